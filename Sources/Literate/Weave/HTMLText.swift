#if canImport(Glibc)
import Glibc
#endif

/// Byte-level helpers for the woven HTML, which can be tens of megabytes: searching and
/// replacing on UTF-8 bytes, never through Foundation's UTF-16 string search, and never
/// character by character (grapheme breaking is the slow part of Swift strings).
enum HTMLText {
    /// The offsets of every occurrence of `needle` in `bytes`, left to right, not overlapping.
    static func occurrences(of needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>, from start: Int = 0,
                            limit: Int = .max) -> [Int] {
        guard let first = needle.first, needle.count <= bytes.count, let base = bytes.baseAddress else { return [] }
        var found: [Int] = []
        var i = start
        let last = bytes.count - needle.count
        while i <= last {
            // memchr finds the candidates (vectorised in glibc); the rest is compared by hand.
            guard let hit = memchr(base + i, Int32(first), last - i + 1) else { break }
            let position = base.distance(to: hit.assumingMemoryBound(to: UInt8.self))
            var j = 1
            while j < needle.count && bytes[position + j] == needle[j] { j += 1 }
            if j == needle.count {
                found.append(position)
                if found.count == limit { break }
                i = position + needle.count
            } else {
                i = position + 1
            }
        }
        return found
    }

    /// `text` with every `target` replaced by `replacement`.
    static func replacing(_ target: String, with replacement: String, in text: String) -> String {
        var text = text
        let needle = Array(target.utf8)
        return text.withUTF8 { bytes -> String in
            let hits = occurrences(of: needle, in: bytes)
            guard !hits.isEmpty else { return String(decoding: bytes, as: UTF8.self) }
            var output = [UInt8]()
            output.reserveCapacity(bytes.count + hits.count * max(0, replacement.utf8.count - needle.count))
            var position = 0
            for hit in hits {
                output.append(contentsOf: bytes[position..<hit])
                output.append(contentsOf: replacement.utf8)
                position = hit + needle.count
            }
            output.append(contentsOf: bytes[position...])
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// The text of an HTML fragment without its tags (and without MathML's TeX annotation),
    /// with cmark's few entities decoded and runs of white space made one space.
    static func plainText(_ html: some StringProtocol, limit: Int = .max) -> String {
        var output = [UInt8]()
        var inTag = false, inAnnotation = false, pendingSpace = false
        var tag = [UInt8]()
        let utf8 = html.utf8
        var index = utf8.startIndex
        while index != utf8.endIndex && output.count < limit {
            let byte = utf8[index]
            index = utf8.index(after: index)
            if inTag {
                if byte == UInt8(ascii: ">") {
                    inTag = false
                    if tag.starts(with: Array("annotation".utf8)) { inAnnotation = true }
                    if tag.starts(with: Array("/annotation".utf8)) { inAnnotation = false }
                } else if tag.count < 12 {
                    tag.append(byte)
                }
                continue
            }
            if byte == UInt8(ascii: "<") { inTag = true; tag.removeAll(keepingCapacity: true); continue }
            if inAnnotation { continue }
            if byte == 32 || byte == 10 || byte == 9 || byte == 13 {
                pendingSpace = !output.isEmpty
                continue
            }
            if pendingSpace { output.append(32); pendingSpace = false }
            output.append(byte)
        }
        var text = String(decoding: output, as: UTF8.self)
        if text.utf8.contains(UInt8(ascii: "&")) {
            for (entity, character) in [("&quot;", "\""), ("&#39;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")] {
                text = replacing(entity, with: character, in: text)
            }
        }
        return text
    }
}
