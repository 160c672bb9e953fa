import NotebookCore

/// Weaves chapters into HTML pages through the theme's templates. Templates receive a flat
/// context (`title`, `content`, `previous`, `next`, `chapters`, `book`), never the Markdown tree.
struct SiteWeaver {
    let book: Book
    let chapters: [ParsedChapter]
    let theme: Theme
    let resolver: LinkResolver

    init(book: Book, chapters: [ParsedChapter], theme: Theme) {
        self.book = book
        self.chapters = chapters
        self.theme = theme
        resolver = LinkResolver(chapters)
    }

    /// The chapter's body: cmark's HTML with each block replaced by its code and outputs, and
    /// math and wiki links rendered. Problems found on the way go to `diagnostics`.
    func chapterContent(_ chapter: ParsedChapter, result: ChapterResult?, diagnostics: inout [Diagnostic]) -> String {
        var replacements: [Int: String] = [:]
        for block in chapter.blocks {
            let weaver = HTMLBlockWeaver(options: writerOptions(for: block, in: chapter, bookPlot: book.plot),
                                         highlighter: SwiftHighlighter.html)
            replacements[block.codeBlockIndex] = weaver.weave(block, result?.blocks[safe: block.number - 1])
        }
        // Swift shown but not run is highlighted too.
        for codeBlock in chapter.document.codeBlocks where replacements[codeBlock.index] == nil {
            let language = codeBlock.info.split(whereSeparator: { $0 == " " || $0 == "\t" }).first
            if language == "swift" {
                replacements[codeBlock.index] = "<pre><code class=\"language-swift\">\(SwiftHighlighter.html(codeBlock.literal))</code></pre>\n"
            }
        }
        var html = chapter.document.html(replacingCodeBlocks: replacements)
        // A link to a chapter's Markdown file means its page here (on a code-hosting site, the
        // woven .md files link to each other as written).
        html = HTMLText.linkingPages(html, slugs: Set(chapters.map(\.chapter.slug)))
        return InlineRenderer(chapter: chapter, resolver: resolver).render(html, diagnostics: &diagnostics)
    }

    /// The chapter's page, and its article (for the search index).
    func chapterPage(_ index: Int, result: ChapterResult?, diagnostics: inout [Diagnostic]) throws(Diagnostic) -> (String, String) {
        let chapter = chapters[index]
        var context = baseContext(current: index)
        context["title"] = chapter.title
        context["summary"] = chapter.chapter.frontMatter.summary ?? ""
        let (content, sections) = HeadingAnchors.apply(chapterContent(chapter, result: result, diagnostics: &diagnostics))
        context["content"] = content
        let tableOfContents = sections.filter { $0.level == 2 }.map { ["title": $0.title, "id": $0.id] }
        context["sections"] = tableOfContents
        context["hasSections"] = !tableOfContents.isEmpty
        if index > 0 { context["previous"] = link(index - 1) }
        if index + 1 < chapters.count { context["next"] = link(index + 1) }
        return (try theme.render("chapter", context), content)
    }

    /// The search page, if the theme has one.
    func searchPage() throws(Diagnostic) -> String? {
        guard theme.has("search") else { return nil }
        var context = baseContext(current: nil)
        context["title"] = "Search"
        return try theme.render("search", context)
    }

    func indexPage() throws(Diagnostic) -> String {
        var context = baseContext(current: nil)
        context["title"] = book.title
        if !chapters.isEmpty { context["next"] = link(0) }
        return try theme.render("index", context)
    }

    private func link(_ index: Int) -> [String: Any] {
        ["title": chapters[index].title, "url": chapters[index].chapter.slug + ".html"]
    }

    private func baseContext(current: Int?) -> [String: Any] {
        var bookContext: [String: Any] = ["title": book.title]
        if let author = book.author { bookContext["author"] = author }
        if let description = book.description { bookContext["description"] = description }
        let list: [[String: Any]] = chapters.enumerated().map { index, chapter in
            var entry = link(index)
            entry["number"] = index + 1
            entry["current"] = index == current
            if let summary = chapter.chapter.frontMatter.summary { entry["summary"] = summary }
            return entry
        }
        return ["book": bookContext, "chapters": list, "pathToRoot": "", "hasSearch": theme.has("search")]
    }
}
