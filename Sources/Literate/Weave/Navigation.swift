import NotebookCore

/// The sidebar and breadcrumbs of a book with a table of contents (`SUMMARY.md`): nested as the
/// author nested it, numbered (`3.2.`) unless book.yml says `numbers: false`, parts and
/// separators as written, drafts listed without a link; the branch holding the current page is
/// open, the others collapsed.
struct Navigation {
    let contents: TableOfContents
    let numbered: Bool
    /// The current page's sections, listed under its entry.
    let sectionsOfCurrent: [HeadingAnchors.Section]
    /// Each chapter's title by file (an entry written `[](a.md)` takes its chapter's).
    var titles: [String: String] = [:]
    /// Each chapter's page by file (`README.md` is `index`).
    var pages: [String: String] = [:]

    private func href(_ file: String, _ pathToRoot: String) -> String {
        HTMLWriter.escape(pathToRoot + (pages[file] ?? TableOfContents.page(of: file)) + ".html")
    }

    private func title(_ entry: TableOfContents.Entry) -> String {
        entry.title.isEmpty ? entry.file.flatMap { titles[$0] } ?? entry.title : entry.title
    }

    /// The sidebar's list, links relative to a page `pathToRoot` below the root.
    func sidebar(current: String?, pathToRoot: String) -> String {
        var html = "<ol class=\"toc\">\n"
        for item in contents.items {
            switch item {
            case .part(let title): html += "<li class=\"part-title\">\(HTMLWriter.escape(title))</li>\n"
            case .separator: html += "<li class=\"spacer\" role=\"separator\"></li>\n"
            case .chapter(let entry): html += self.entry(entry, current: current, pathToRoot: pathToRoot)
            }
        }
        return html + "</ol>\n"
    }

    private func entry(_ entry: TableOfContents.Entry, current: String?, pathToRoot: String) -> String {
        let isCurrent = entry.file != nil && entry.file == current
        let label = (numbered ? entry.number.map { "<strong>\($0)</strong> " } ?? "" : "") + HTMLWriter.escape(title(entry))
        let link: String
        if let file = entry.file {
            let href = href(file, pathToRoot)
            link = "<a href=\"\(href)\"\(isCurrent ? " aria-current=\"page\"" : "")>\(label)</a>"
        } else {
            link = "<span class=\"draft\">\(label)</span>"
        }
        var sections = ""
        if isCurrent {
            let list = sectionsOfCurrent.filter { $0.level == 2 }
            if !list.isEmpty {
                sections = "<ol class=\"sections\">\n" + list.map { "<li><a href=\"#\(HTMLWriter.escape($0.id))\">\(HTMLWriter.escape($0.title))</a></li>\n" }.joined() + "</ol>"
            }
        }
        let css = isCurrent ? " class=\"current\"" : ""
        guard !entry.children.isEmpty else { return "<li\(css)>\(link)\(sections)</li>\n" }
        let open = isCurrent || contains(entry, current)
        let children = entry.children.map { self.entry($0, current: current, pathToRoot: pathToRoot) }.joined()
        return "<li\(css)><details\(open ? " open" : "")><summary>\(link)</summary>\(sections)<ol>\n\(children)</ol></details></li>\n"
    }

    private func contains(_ entry: TableOfContents.Entry, _ file: String?) -> Bool {
        entry.children.contains { $0.file != nil && $0.file == file || contains($0, file) }
    }

    /// The chapters above `file` in the table of contents, outermost first, as links (a draft
    /// has none), ending with the chapter itself.
    func breadcrumbs(for file: String, pathToRoot: String) -> String {
        let path = contents.path(to: file)
        guard path.count > 1 else { return "" }
        let items = path.enumerated().map { index, entry -> String in
            let title = HTMLWriter.escape(self.title(entry))
            guard index < path.count - 1, let target = entry.file else {
                return "<li\(index == path.count - 1 ? " aria-current=\"page\"" : "")>\(title)</li>"
            }
            return "<li><a href=\"\(href(target, pathToRoot))\">\(title)</a></li>"
        }
        return "<nav class=\"breadcrumbs\" aria-label=\"Breadcrumbs\"><ol>" + items.joined() + "</ol></nav>\n"
    }
}
