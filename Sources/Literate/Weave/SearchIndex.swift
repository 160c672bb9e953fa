import Foundation

/// The site's search index, written at build time: one entry per section of each chapter, as a
/// script (`search-index.js`) so that search also works from `file://`, where pages cannot fetch.
struct SearchIndex {
    struct Entry: Encodable {
        /// Chapter title, section title, page URL with anchor, and the section's text.
        let chapter: String
        let section: String
        let url: String
        let text: String
    }

    private(set) var entries: [Entry] = []

    /// Adds a chapter page's sections: the article split at its anchored headings.
    mutating func add(chapterTitle: String, page: String, article: String) {
        var article = article
        let found: [Entry] = article.withUTF8 { bytes in
            var entries: [Entry] = []
            var section = (title: chapterTitle, id: "")
            var start = 0
            func flush(upTo end: Int) {
                // The text of a long section is cut: the index needs its beginning, not all of it.
                let raw = UnsafeBufferPointer(rebasing: bytes[start..<min(end, start + 65_536)])
                let plain = HTMLText.plainText(String(decoding: raw, as: UTF8.self), limit: 4000)
                if !plain.isEmpty || !section.id.isEmpty {
                    entries.append(Entry(chapter: chapterTitle, section: section.title,
                                         url: page + (section.id.isEmpty ? "" : "#" + section.id), text: plain))
                }
            }
            for open in HTMLText.occurrences(of: Array("<h".utf8), in: bytes) where open >= start {
                // An anchored heading is written `<hN id="…">title <a class="anchor" …>#</a></hN>`.
                guard open + 9 < bytes.count, (UInt8(ascii: "1")...UInt8(ascii: "6")).contains(bytes[open + 2]) else { continue }
                let prefix = Array(" id=\"".utf8)
                guard Array(bytes[(open + 3)..<(open + 3 + prefix.count)]) == prefix else { continue }
                let closing = Array("</h\(bytes[open + 2] - UInt8(ascii: "0"))>".utf8)
                guard let close = HTMLText.occurrences(of: closing, in: bytes, from: open, limit: 1).first else { continue }
                let idStart = open + 3 + prefix.count
                var idEnd = idStart
                while idEnd < close && bytes[idEnd] != UInt8(ascii: "\"") { idEnd += 1 }
                // Raw HTML in a chapter can look like the start of one (`<h2 id="</h2>`).
                guard idEnd + 2 <= close else { continue }
                flush(upTo: open)
                let id = String(decoding: UnsafeBufferPointer(rebasing: bytes[idStart..<idEnd]), as: UTF8.self)
                let heading = String(decoding: UnsafeBufferPointer(rebasing: bytes[(idEnd + 2)..<close]), as: UTF8.self)
                let visible = heading.range(of: " <a class=\"anchor\"").map { String(heading[..<$0.lowerBound]) } ?? heading
                section = (HTMLText.plainText(visible), id)
                start = close + closing.count
            }
            flush(upTo: bytes.count)
            return entries
        }
        entries += found
    }

    /// `search-index.js`: deterministic (entries in book order, keys sorted).
    func script() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(entries)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        // `</` cannot end the script early inside a string.
        return Data("window.LEGEND_SEARCH_INDEX = \(json.replacingOccurrences(of: "</", with: "<\\/"));\n".utf8)
    }
}
