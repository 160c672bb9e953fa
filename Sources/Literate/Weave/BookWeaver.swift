import Foundation

/// The weave stage for a whole book: each chapter through each weaver — its HTML page and its
/// Markdown — then the search index, the landing page, the search page and the print page.
struct BookWeaver {
    let book: Book
    let chapters: [ParsedChapter]
    let theme: Theme

    /// The woven files (path in the site → contents) and the problems found on the way (math
    /// the renderer rejects, wiki links that name no chapter).
    func weave(_ results: [ChapterResult?]) throws(Diagnostic) -> (files: [String: Data], problems: [Diagnostic]) {
        var site = SiteWeaver(book: book, chapters: chapters, theme: theme)
        site.claimsPage = ClaimsPage(chapters: chapters, results: results)
        var markdown = MarkdownWeaver(bookPlot: book.plot, resolver: site.resolver, references: site.references,
                                      citations: site.citations)
        markdown.bookClaims = book.claims
        var files: [String: Data] = [:]
        var problems: [Diagnostic] = site.references.problems
        var search = SearchIndex()
        var printed: [SiteWeaver.PrintedChapter] = []
        for (index, chapter) in chapters.enumerated() {
            let page = chapter.chapter.slug + ".html"
            let woven = try site.chapterPage(index, result: results[index], diagnostics: &problems)
            files[page] = Data(woven.page.utf8)
            // Results say where a chapter is: "Guide › Setup".
            let above = book.tableOfContents?.path(to: chapter.chapter.fileName).dropLast().map(\.title) ?? []
            search.add(chapterTitle: (above + [chapter.title]).joined(separator: " › "), page: page, article: woven.article)
            if let section = woven.printed { printed.append(section) }
            files[chapter.chapter.fileName] = Data(markdown.weave(chapter, results[index]).utf8)
        }
        // mdBook's redirects: a page at each old address, pointing to the new one.
        if let configuration = book.mdBook {
            for redirect in configuration.redirects where files[redirect.page] == nil {
                files[redirect.page] = Data(configuration.redirectPage(redirect).utf8)
            }
        }
        // A chapter whose page is index.html (mdBook's README.md) is the landing page.
        if files["index.html"] == nil { files["index.html"] = Data(try site.indexPage().utf8) }
        if let page = try site.searchPage() {
            files["search.html"] = Data(page.utf8)
            files["search-index.js"] = search.script()
        }
        if let page = try site.bibliographyPage() {
            files[SiteWeaver.bibliographyPageName] = Data(page.utf8)
        }
        if let page = try site.claimsAuditPage() {
            files[ClaimsPage.pageName] = Data(page.utf8)
        }
        if let page = try site.printPage(printed) {
            files[SiteWeaver.printPageName] = Data(page.utf8)
        }
        return (files, problems)
    }
}
