/// Gives every heading of a page an `id` (GitHub's style: `## The ReLU Sword` → `the-relu-sword`)
/// and a link to itself, and lists the headings for the table of contents.
enum HeadingAnchors {
    struct Section: Equatable {
        let level: Int
        let title: String
        let id: String
    }

    static func apply(_ html: String) -> (html: String, sections: [Section]) {
        var copy = html
        let (anchored, sections) = copy.withUTF8 { bytes -> (String?, [Section]) in
            // First the headings and what each becomes; then the page, written once at its
            // final size (pages can be tens of megabytes).
            var edits: [(range: Range<Int>, replacement: String)] = []
            var sections: [Section] = []
            var used: [String: Int] = [:]
            var position = 0
            // cmark writes headings as `<h1>`…`</h1>`, without attributes.
            for open in HTMLText.occurrences(of: Array("<h".utf8), in: bytes) where open >= position {
                guard open + 3 < bytes.count, (UInt8(ascii: "1")...UInt8(ascii: "6")).contains(bytes[open + 2]),
                      bytes[open + 3] == UInt8(ascii: ">") else { continue }
                let level = Int(bytes[open + 2] - UInt8(ascii: "0"))
                let closing = Array("</h\(level)>".utf8)
                guard let close = HTMLText.occurrences(of: closing, in: bytes, from: open + 4, limit: 1).first else { continue }
                let inner = String(decoding: UnsafeBufferPointer(rebasing: bytes[(open + 4)..<close]), as: UTF8.self)
                let title = HTMLText.plainText(inner)
                var id = slug(title)
                if id.isEmpty { id = "section" }
                if let count = used[id] {
                    used[id] = count + 1
                    id += "-\(count)"
                } else {
                    used[id] = 1
                }
                sections.append(Section(level: level, title: title, id: id))
                position = close + closing.count
                edits.append((open..<position, "<h\(level) id=\"\(id)\">\(inner) <a class=\"anchor\" href=\"#\(id)\" aria-label=\"Link to this section\">#</a></h\(level)>"))
            }
            guard !edits.isEmpty else { return (nil, []) }
            let size = edits.reduce(bytes.count) { $0 + $1.replacement.utf8.count - $1.range.count }
            let page = String(unsafeUninitializedCapacity: size) { output in
                var written = 0, read = 0
                func copy(_ part: some Collection<UInt8>) {
                    written += UnsafeMutableBufferPointer(rebasing: output[written...]).initialize(fromContentsOf: part)
                }
                for edit in edits {
                    copy(UnsafeBufferPointer(rebasing: bytes[read..<edit.range.lowerBound]))
                    copy(edit.replacement.utf8)
                    read = edit.range.upperBound
                }
                copy(UnsafeBufferPointer(rebasing: bytes[read...]))
                return written
            }
            return (page, sections)
        }
        return (anchored ?? html, sections)
    }

    /// Text without tags, entities decoded for the few cmark writes.
    static func plainText(_ html: String) -> String { HTMLText.plainText(html) }

    static func slug(_ title: String) -> String {
        var slug = ""
        for character in title.lowercased() {
            if character.isLetter || character.isNumber || character == "-" || character == "_" {
                slug.append(character)
            } else if character == " " {
                slug.append("-")
            }
        }
        return slug
    }
}
