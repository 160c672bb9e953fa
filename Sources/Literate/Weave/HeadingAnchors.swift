/// Gives every heading of a page an `id` (GitHub's style: `## The ReLU Sword` → `the-relu-sword`)
/// and a link to itself, and lists the headings for the table of contents.
enum HeadingAnchors {
    struct Section: Equatable {
        let level: Int
        let title: String
        let id: String
    }

    static func apply(_ html: String) -> (html: String, sections: [Section]) {
        var output = ""
        var sections: [Section] = []
        var used: [String: Int] = [:]
        var rest = Substring(html)
        while let open = rest.range(of: "<h") {
            let after = rest[open.upperBound...]
            guard let level = after.first?.wholeNumberValue, (1...6).contains(level),
                  after.dropFirst().first == ">",
                  let close = after.range(of: "</h\(level)>") else {
                output += rest[..<open.upperBound]
                rest = after
                continue
            }
            let inner = after[after.index(after.startIndex, offsetBy: 2)..<close.lowerBound]
            let title = plainText(String(inner))
            var id = slug(title)
            if id.isEmpty { id = "section" }
            if let count = used[id] {
                used[id] = count + 1
                id += "-\(count)"
            } else {
                used[id] = 1
            }
            sections.append(Section(level: level, title: title, id: id))
            output += rest[..<open.lowerBound]
            output += "<h\(level) id=\"\(id)\">\(inner) <a class=\"anchor\" href=\"#\(id)\" aria-label=\"Link to this section\">#</a></h\(level)>"
            rest = after[close.upperBound...]
        }
        output += rest
        return (output, sections)
    }

    /// Text without tags, entities decoded for the few cmark writes.
    static func plainText(_ html: String) -> String {
        var text = ""
        var inTag = false
        var inAnnotation = false
        var tag = ""
        for character in html {
            if character == "<" { inTag = true; tag = ""; continue }
            if inTag {
                if character == ">" {
                    inTag = false
                    if tag.hasPrefix("annotation") { inAnnotation = true }
                    if tag.hasPrefix("/annotation") { inAnnotation = false }
                } else {
                    tag.append(character)
                }
                continue
            }
            if !inAnnotation { text.append(character) }
        }
        return text.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&amp;", with: "&").trimmingSpaces
    }

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
