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

/// Puts rendered math and resolved links where their placeholders stand in cmark's HTML.
struct InlineRenderer {
    let chapter: ParsedChapter
    let resolver: LinkResolver

    func render(_ html: String, diagnostics: inout [Diagnostic]) -> String {
        guard !chapter.spans.isEmpty else { return html }
        let html = HTMLText.replacing(InlineSpan.filler, with: "", in: html)
        // One pass over the page: each placeholder is replaced where it stands.
        var output = ""
        output.reserveCapacity(html.utf8.count)
        var rest = Substring(html)
        let open = "\u{E000}".unicodeScalars.first!, close = "\u{E001}".unicodeScalars.first!
        while let start = rest.unicodeScalars.firstIndex(of: open) {
            output += rest[..<start]
            let afterOpen = rest.unicodeScalars.index(after: start)
            guard let end = rest.unicodeScalars[afterOpen...].firstIndex(of: close),
                  let index = Int(String(rest.unicodeScalars[afterOpen..<end])), chapter.spans.indices.contains(index) else {
                output.unicodeScalars.append(open)
                rest = rest[afterOpen...]
                continue
            }
            output += rendered(chapter.spans[index], diagnostics: &diagnostics)
            rest = rest[rest.unicodeScalars.index(after: end)...]
        }
        return output + rest
    }

    private func rendered(_ span: InlineSpan, diagnostics: inout [Diagnostic]) -> String {
        switch span.kind {
        case .math(let tex, let display):
            do {
                return try TeXMath().mathML(tex, display: display)
            } catch {
                diagnostics.append(.warning("\(error.message) in math '\(span.source)'; it is shown as code",
                                            file: chapter.chapter.path, line: span.line))
                return "<code class=\"math-error\">\(HTMLWriter.escape(span.source))</code>"
            }
        case .wikiLink(let target, let label):
            if let found = resolver.resolve(target) {
                return "<a class=\"wiki-link\" href=\"\(HTMLWriter.escape(found.slug)).html\">\(HTMLWriter.escape(label ?? target))</a>"
            }
            diagnostics.append(.warning("the wiki link '\(span.source)' names no chapter (by title, file name or alias); fix the name or add 'aliases: [\(target)]' to the chapter it means",
                                        file: chapter.chapter.path, line: span.line))
            return "<span class=\"wiki-link unresolved\">\(HTMLWriter.escape(label ?? target))</span>"
        }
    }
}
