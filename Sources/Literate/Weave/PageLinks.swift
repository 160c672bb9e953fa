/// A link to a chapter's Markdown file means its page here (on a code-hosting site, the woven
/// `.md` files link to each other as written): `02-x.md` and `02-x.md#part` become `02-x.html`
/// and `02-x.html#part`, in the chapter's links and in `href` attributes of its raw HTML.
struct PageLinks {
    /// The book's chapters' pages (without `.html`) by file (`guide/README.md` → `guide/index`).
    let pages: [String: String]
    /// The folder of the chapter whose links these are (`guide/`), which relative links start from.
    var folder = ""

    func rewrite(_ tree: inout MarkdownTree) {
        let candidates = tree.nodes.indices.filter { index in
            switch tree.nodes[index].kind {
            case .link, .htmlBlock, .htmlInline: true
            default: false
            }
        }
        for index in candidates {
            var node = tree[index]
            switch node.kind {
            case .link(let url, let title):
                guard let page = page(for: tree.string(url)) else { continue }
                node.kind = .link(url: tree.store(page), title: title)
            case .htmlBlock, .htmlInline:
                guard let html = linkingPages(inHTML: tree.literal(of: index)) else { continue }
                node.literal = tree.store(html)
            default:
                continue
            }
            tree[index] = node
        }
    }

    /// The page's address, if `url` is a chapter's Markdown file.
    func page(for url: some StringProtocol) -> String? {
        let path = url.prefix { $0 != "#" }
        guard path.hasSuffix(".md"), !path.contains(":"),
              let page = pages[Book.lexicallyNormal(folder + path)] else { return nil }
        // The link stays relative; only its last part changes (`README.md` → `index.html`).
        let name = page.split(separator: "/").last.map(String.init) ?? page
        let parent = path.contains("/") ? path[...path.lastIndex(of: "/")!] : ""
        return parent + name + ".html" + url[path.endIndex...]
    }

    /// Raw HTML with its `href="…"` and `href='…'` values that name chapters' Markdown files
    /// changed, or nil if there are none.
    func linkingPages(inHTML html: String) -> String? {
        var rest = Substring(html), result = "", changed = false
        while let attribute = rest.firstRange(of: "href=") {
            result += rest[..<attribute.upperBound]
            rest = rest[attribute.upperBound...]
            guard let quote = rest.first, quote == "\"" || quote == "'" else { continue }
            result.append(quote)
            rest = rest.dropFirst()
            let value = rest.prefix { $0 != quote }
            if let page = page(for: value) {
                result += page
                changed = true
            } else {
                result += value
            }
            rest = rest[value.endIndex...]
        }
        return changed ? result + rest : nil
    }
}
