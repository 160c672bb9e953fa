/// Gives every heading of a page an `id` (GitHub's style: `## The ReLU Sword` → `the-relu-sword`)
/// and a link to itself, and lists the headings for the table of contents.
enum HeadingAnchors {
    struct Section: Equatable {
        let level: Int
        let title: String
        let id: String
    }

    static func apply(_ html: String) -> (html: String, sections: [Section]) {
        var html = html
        return html.withUTF8 { bytes -> (String, [Section]) in
            var output = [UInt8]()
            output.reserveCapacity(bytes.count + 4096)
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
                output.append(contentsOf: bytes[position..<open])
                output.append(contentsOf: "<h\(level) id=\"\(id)\">\(inner) <a class=\"anchor\" href=\"#\(id)\" aria-label=\"Link to this section\">#</a></h\(level)>".utf8)
                position = close + closing.count
            }
            output.append(contentsOf: bytes[position...])
            return (String(decoding: output, as: UTF8.self), sections)
        }
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
