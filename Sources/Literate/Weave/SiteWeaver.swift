import NotebookCore

/// Weaves chapters into HTML pages through the theme's templates. Templates receive a flat
/// context (`title`, `content`, `previous`, `next`, `chapters`, `book`, `hasSearch`,
/// `hasPrint`), never the Markdown tree.
struct SiteWeaver {
    /// The print page's file in the site.
    static let printPageName = "print.html"

    let book: Book
    let chapters: [ParsedChapter]
    let theme: Theme
    let resolver: LinkResolver
    let references: CrossReferences
    /// Nil for a book without a bibliography.
    let citations: Citations?
    /// Every claim of the book's results; pages link to the claims page when there is one.
    var claimsPage: ClaimsPage?

    init(book: Book, chapters: [ParsedChapter], theme: Theme) {
        self.book = book
        self.chapters = chapters
        self.theme = theme
        resolver = LinkResolver(chapters)
        references = CrossReferences(chapters)
        citations = Citations(book: book, chapters: chapters)
    }

    /// The chapter's tree as its page shows it: each block replaced by its code and outputs,
    /// links to chapters' Markdown pointing at their pages, math and wiki links rendered.
    /// Problems found on the way go to `diagnostics`.
    func wovenTree(_ chapter: ParsedChapter, result: ChapterResult?, diagnostics: inout [Diagnostic]) -> MarkdownTree {
        var tree = chapter.tree
        for block in chapter.blocks {
            if let problem = ambiguousCaption(block, result?[block: block.number], path: chapter.chapter.path) { diagnostics.append(problem) }
            let weaver = HTMLBlockWeaver(options: writerOptions(for: block, in: chapter, bookPlot: book.plot, references: references, result: result),
                                         highlighter: SwiftHighlighter.html, showClaims: showsClaims(block, bookClaims: book.claims))
            tree.weave(weaver.weave(block, result?[block: block.number]), inPlaceOf: block.node)
        }
        // Swift shown but not run is highlighted too.
        for index in chapter.tree.blocks {
            guard case .codeBlock(let info) = tree[index].kind,
                  tree.string(info).split(whereSeparator: { $0 == " " || $0 == "\t" }).first == "swift" else { continue }
            let code = SwiftHighlighter.html(tree.literal(of: index))
            tree.weave("<pre><code class=\"language-swift\">\(code)</code></pre>\n", inPlaceOf: index)
        }
        InlineValueText.rewrite(&tree, chapter: chapter, result: result)
        PageLinks(pages: pagesByFile, folder: chapter.chapter.folder).rewrite(&tree)
        CrossReferenceRenderer(chapter: chapter, references: references).rewrite(&tree, diagnostics: &diagnostics)
        if let citations { CitationRenderer(chapter: chapter, citations: citations).rewrite(&tree, diagnostics: &diagnostics) }
        InlineRenderer(chapter: chapter, resolver: resolver).rewrite(&tree, diagnostics: &diagnostics)
        return tree
    }

    /// The chapter's body as HTML, without heading anchors.
    func chapterContent(_ chapter: ParsedChapter, result: ChapterResult?, diagnostics: inout [Diagnostic]) -> String {
        HTMLRenderer.html(wovenTree(chapter, result: result, diagnostics: &diagnostics))
    }

    /// The chapter's article — its body with heading anchors — and its sections.
    func article(_ chapter: ParsedChapter, result: ChapterResult?, diagnostics: inout [Diagnostic]) -> (html: String, sections: [HeadingAnchors.Section]) {
        let (tree, sections) = anchoredTree(chapter, result: result, diagnostics: &diagnostics)
        return (HTMLRenderer.html(tree), sections)
    }

    /// The woven tree with its headings anchored, and its sections.
    private func anchoredTree(_ chapter: ParsedChapter, result: ChapterResult?, diagnostics: inout [Diagnostic]) -> (MarkdownTree, [HeadingAnchors.Section]) {
        var tree = wovenTree(chapter, result: result, diagnostics: &diagnostics)
        let sections = HeadingAnchors.apply(to: &tree)
        return (tree, sections)
    }

    /// A chapter woven once for each place that shows it.
    struct WovenChapter {
        /// Its own page.
        let page: String
        /// The article that page holds (for the search index).
        let article: String
        /// Its section of the print page; nil when the theme has no print page.
        let printed: PrintedChapter?
    }

    /// A chapter as the print page holds it, its ids made unique on that page (`PrintAnchors`).
    struct PrintedChapter {
        let slug: String
        let title: String
        let content: String
        let sections: [HeadingAnchors.Section]
    }

    /// The chapter's page, its article, and its section of the print page. The chapter is woven
    /// once: the print page's section is the same tree with its anchors rewritten.
    func chapterPage(_ index: Int, result: ChapterResult?, diagnostics: inout [Diagnostic]) throws(Diagnostic) -> WovenChapter {
        let chapter = chapters[index]
        var context = baseContext(current: index)
        context["title"] = chapter.title
        context["summary"] = chapter.chapter.frontMatter.summary ?? ""
        var (tree, sections) = anchoredTree(chapter, result: result, diagnostics: &diagnostics)
        let content = HTMLRenderer.html(tree)
        context["content"] = content
        let tableOfContents = sections.filter { $0.level == 2 }.map { ["title": $0.title, "id": $0.id] }
        let pathToRoot = chapter.chapter.pathToRoot
        context["pathToRoot"] = pathToRoot
        if let contents = book.tableOfContents {
            let navigation = Navigation(contents: contents, numbered: book.numbered, sectionsOfCurrent: sections, titles: titlesByFile, pages: pagesByFile)
            context["tableOfContents"] = navigation.sidebar(current: chapter.chapter.fileName, pathToRoot: pathToRoot)
            context["breadcrumbs"] = navigation.breadcrumbs(for: chapter.chapter.fileName, pathToRoot: pathToRoot)
        }
        context["sections"] = tableOfContents
        context["hasSections"] = !tableOfContents.isEmpty
        if index > 0 { context["previous"] = link(index - 1) }
        if index + 1 < chapters.count { context["next"] = link(index + 1) }
        let page = try theme.render("chapter", context)
        var printed: PrintedChapter?
        if theme.has("print") {
            let slug = chapter.chapter.slug
            PrintAnchors(slug: slug, slugs: Set(chapters.map(\.chapter.slug))).rewrite(&tree)
            printed = PrintedChapter(slug: slug, title: chapter.title, content: HTMLRenderer.html(tree), sections: sections)
        }
        return WovenChapter(page: page, article: content, printed: printed)
    }

    /// The print page, if the theme has one: every chapter in order on one page, each a
    /// `<section>` whose id is its slug, after one table of contents (chapters and their
    /// level-2 sections).
    func printPage(_ printed: [PrintedChapter]) throws(Diagnostic) -> String? {
        guard theme.has("print") else { return nil }
        var context = baseContext(current: nil)
        context["title"] = book.title
        context["chapters"] = printed.enumerated().map { number, chapter -> [String: Any] in
            let sections = chapter.sections.filter { $0.level == 2 }.map {
                ["title": $0.title, "id": PrintAnchors.id($0.id, inChapter: chapter.slug)]
            }
            return ["number": number + 1, "title": chapter.title, "id": chapter.slug, "content": chapter.content,
                    "sections": sections, "hasSections": !sections.isEmpty]
        }
        return try theme.render("print", context)
    }

    static let bibliographyPageName = "bibliography.html"

    /// The book's bibliography page: every work the book cites.
    func bibliographyPage() throws(Diagnostic) -> String? {
        guard let citations, !citations.bookEntries.isEmpty else { return nil }
        var context = baseContext(current: nil)
        context["title"] = "References"
        context["content"] = "<h1 id=\"references\">References</h1>\n" + ReferenceList(citations.bookEntries, labels: citations.labels).html()
        context["sections"] = [[String: Any]]()
        context["hasSections"] = false
        return try theme.render("chapter", context)
    }

    /// The claims page, if the book's results hold a claim.
    func claimsAuditPage() throws(Diagnostic) -> String? {
        guard let claimsPage, !claimsPage.isEmpty else { return nil }
        var context = baseContext(current: nil)
        context["title"] = "Claims"
        context["content"] = claimsPage.html()
        context["sections"] = [[String: Any]]()
        context["hasSections"] = false
        return try theme.render("chapter", context)
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

    private var pagesByFile: [String: String] {
        Dictionary(chapters.map { ($0.chapter.fileName, $0.chapter.slug) }, uniquingKeysWith: { first, _ in first })
    }

    private var titlesByFile: [String: String] {
        Dictionary(chapters.map { ($0.chapter.fileName, $0.title) }, uniquingKeysWith: { first, _ in first })
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
        var context: [String: Any] = ["book": bookContext, "chapters": list, "pathToRoot": "", "hasSearch": theme.has("search"),
                "language": book.mdBook?.language ?? "en",
                "hasBibliography": !(citations?.bookEntries.isEmpty ?? true),
                "hasClaims": !(claimsPage?.isEmpty ?? true),
                "hasPrint": theme.has("print")]
        if let contents = book.tableOfContents, current == nil {
            context["tableOfContents"] = Navigation(contents: contents, numbered: book.numbered, sectionsOfCurrent: [], titles: titlesByFile, pages: pagesByFile).sidebar(current: nil, pathToRoot: "")
        }
        return context
    }
}

/// The site's weaver as a `ChapterWeaver`: a chapter's article, as its page holds it.
struct HTMLWeaver: ChapterWeaver {
    let site: SiteWeaver

    func weave(_ chapter: ParsedChapter, _ result: ChapterResult?, diagnostics: inout [Diagnostic]) -> String {
        site.article(chapter, result: result, diagnostics: &diagnostics).html
    }
}
