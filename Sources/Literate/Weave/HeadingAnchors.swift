/// Gives every heading of a page an `id` (GitHub's style: `## The ReLU Sword` → `the-relu-sword`)
/// and a link to itself, and lists the headings for the table of contents.
enum HeadingAnchors {
    struct Section: Equatable {
        let level: Int
        let title: String
        let id: String
    }

    /// Gives every heading of `tree` an id (and so a link to itself); returns the headings in order.
    static func apply(to tree: inout MarkdownTree) -> [Section] {
        var sections: [Section] = []
        var used: [String: Int] = [:]
        let headings = tree.blocks.filter { if case .heading = tree[$0].kind { true } else { false } }
        for index in headings {
            guard case .heading(let level, let given) = tree[index].kind else { continue }
            // The title as the page shows it: math as MathML's text, a wiki link as its label.
            let title = HTMLText.plainText(HTMLRenderer.html(childrenOf: index, in: tree))
            if let given {
                // `{#label}`: the author's id, kept as written.
                let id = tree.string(given)
                used[id, default: 0] += 1
                sections.append(Section(level: Int(level), title: title, id: id))
                continue
            }
            var id = slug(title)
            if id.isEmpty { id = "section" }
            if let count = used[id] {
                used[id] = count + 1
                id += "-\(count)"
            } else {
                used[id] = 1
            }
            sections.append(Section(level: Int(level), title: title, id: id))
            tree[index].kind = .heading(level: level, id: tree.store(id))
        }
        return sections
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
