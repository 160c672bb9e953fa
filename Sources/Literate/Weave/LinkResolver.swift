import NotebookCore

/// Resolves `[[wiki links]]` to chapters by title, slug or front-matter alias, ignoring case.
public struct LinkResolver: Sendable {
    private let targets: [String: (slug: String, title: String)]

    public init(_ chapters: [ParsedChapter]) {
        var targets: [String: (String, String)] = [:]
        for chapter in chapters.reversed() {
            let entry = (chapter.chapter.slug, chapter.title)
            for name in [chapter.title, chapter.chapter.slug] + chapter.chapter.frontMatter.aliases {
                targets[LinkResolver.normalize(name)] = entry
            }
        }
        self.targets = targets
    }

    /// The slug and title of the chapter `target` names, or nil.
    public func resolve(_ target: String) -> (slug: String, title: String)? {
        targets[LinkResolver.normalize(target)]
    }

    static func normalize(_ name: String) -> String {
        name.lowercased().split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" }).joined(separator: " ")
    }
}

/// Renders the chapter's math as MathML (through `TeXMath`) and its wiki links as links to the
/// chapters they name, in place in the tree and in document order.
struct InlineRenderer {
    let chapter: ParsedChapter
    let resolver: LinkResolver

    func rewrite(_ tree: inout MarkdownTree, diagnostics: inout [Diagnostic]) {
        guard !chapter.spans.isEmpty else { return }
        let spans = tree.nodes.indices.filter { index in
            switch tree.nodes[index].kind {
            case .math, .wikiLink: true
            default: false
            }
        }
        for index in spans {
            var node = tree[index]
            let html: String
            switch node.kind {
            case .math(let display):
                html = mathML(tex: tree.literal(of: index), display: display, line: Int(node.line), diagnostics: &diagnostics)
            case .wikiLink(let target, let label):
                html = link(to: tree.string(target), label: label.map { tree.string($0) }, written: tree.literal(of: index),
                            line: Int(node.line), diagnostics: &diagnostics)
            default:
                continue
            }
            node.kind = .wovenInline
            node.literal = tree.store(html)
            tree[index] = node
        }
    }

    private func mathML(tex: String, display: Bool, line: Int, diagnostics: inout [Diagnostic]) -> String {
        do {
            return try TeXMath().mathML(tex, display: display)
        } catch {
            let source = display ? "$$\(tex)$$" : "$\(tex)$"
            diagnostics.append(.warning("\(error.message) in math '\(source)'; it is shown as code",
                                        file: chapter.chapter.path, line: line))
            return "<code class=\"math-error\">\(HTMLWriter.escape(source))</code>"
        }
    }

    private func link(to target: String, label: String?, written: String, line: Int, diagnostics: inout [Diagnostic]) -> String {
        if let found = resolver.resolve(target) {
            // A link to the page it is on goes nowhere: the name is shown as text.
            if found.slug == chapter.chapter.slug { return "<span class=\"wiki-link current\">\(HTMLWriter.escape(label ?? target))</span>" }
            return "<a class=\"wiki-link\" href=\"\(HTMLWriter.escape(chapter.chapter.pathToRoot + found.slug)).html\">\(HTMLWriter.escape(label ?? target))</a>"
        }
        diagnostics.append(.warning("the wiki link '\(written)' names no chapter (by title, file name or alias); fix the name or add 'aliases: [\(target)]' to the chapter it means",
                                    file: chapter.chapter.path, line: line))
        return "<span class=\"wiki-link unresolved\">\(HTMLWriter.escape(label ?? target))</span>"
    }
}
