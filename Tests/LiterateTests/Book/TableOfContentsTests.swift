import Foundation
import Testing
@testable import Literate

/// SUMMARY.md in mdBook's format: order, nesting, numbers, parts, separators, drafts.
@Suite struct TableOfContentsTests {
    static let summary = """
        # Summary

        [Introduction](README.md)

        # User Guide

        - [Installation](guide/install.md)
        - [Reading](guide/reading.md)
            - [Deep](guide/deep/nested.md)
                - [Deeper](guide/deep/deeper.md)
            - [Not yet]()

        ---

        # Reference

        - [Options](reference/options.md)

        [Appendix](appendix.md)

        """

    @Test func theOutlineIsReadAsMdBookReadsIt() {
        let (contents, problems) = TableOfContents.parse(Self.summary, file: "SUMMARY.md")
        #expect(problems.isEmpty)
        #expect(contents.chapters.map(\.file) == ["README.md", "guide/install.md", "guide/reading.md", "guide/deep/nested.md",
                                                  "guide/deep/deeper.md", "reference/options.md", "appendix.md"])
        #expect(contents.chapters.map(\.number) == [nil, "1.", "2.", "2.1.", "2.1.1.", "3.", nil], "numbers go on across parts")
        #expect(contents.items.count == 8)
        guard case .part("User Guide") = contents.items[1], case .separator = contents.items[4], case .part("Reference") = contents.items[5] else {
            Issue.record("parts and separators: \(contents.items)")
            return
        }
        guard case .chapter(let reading) = contents.items[3] else { Issue.record("\(contents.items[3])"); return }
        #expect(reading.children.map(\.title) == ["Deep", "Not yet"])
        #expect(reading.children[1].file == nil && reading.children[1].number == "2.2.", "a draft has a number and no page")
        #expect(contents.path(to: "guide/deep/deeper.md").map(\.title) == ["Reading", "Deep", "Deeper"])
    }

    @Test func aBookInFoldersBuildsInItsOrderWithPagesWhereItsFilesAre() throws {
        let book = try TemporaryBook([
            "SUMMARY.md": Self.summary,
            "README.md": "# Welcome\n\nStart with [installing](guide/install.md), then [[Reading]].\n",
            "guide/install.md": "## Installing\n\nSee ![a picture](img/p.svg) and [reading](reading.md#x); back to [the start](../README.md).\n",
            "guide/img/p.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"/>",
            "guide/reading.md": "# Reading\n\n## X\n",
            "guide/deep/nested.md": "# Nested\n\nUp: [reading](../reading.md).\n",
            "guide/deep/deeper.md": "# Deeper\n",
            "reference/options.md": "Options without a heading.\n",
            "appendix.md": "# Appendix\n",
        ])
        defer { book.remove() }
        let (report, _) = try book.build()
        #expect(!report.failed)
        #expect(report.book.chapters.map(\.slug) == ["index", "guide/install", "guide/reading", "guide/deep/nested", "guide/deep/deeper", "reference/options", "appendix"])
        #expect(report.parsedChapters.map(\.title) == ["Introduction", "Installation", "Reading", "Deep", "Deeper", "Options", "Appendix"],
                "titles from the table of contents")
        let install = try book.read("guide/install.html")
        #expect(install.contains("<link rel=\"stylesheet\" href=\"../style.css\">"))
        #expect(install.contains("<a href=\"reading.html#x\">reading</a>") && install.contains("<a href=\"../index.html\">the start</a>"))
        #expect(install.contains("<a href=\"../guide/install.html\" aria-current=\"page\"><strong>1.</strong> Installation</a>"))
        #expect(install.contains("<li class=\"part-title\">User Guide</li>") && install.contains("<li class=\"spacer\" role=\"separator\"></li>"))
        #expect(install.contains("<details><summary><a href=\"../guide/reading.html\"><strong>2.</strong> Reading</a></summary>"), "a branch not holding the page is closed")
        #expect(install.contains("<span class=\"draft\"><strong>2.2.</strong> Not yet</span>"))
        #expect(install.contains("rel=\"prev\" href=\"../index.html\"") && install.contains("rel=\"next\" href=\"../guide/reading.html\""))
        let deeper = try book.read("guide/deep/deeper.html")
        #expect(deeper.contains("<details open><summary><a href=\"../../guide/reading.html\">"), "the branch holding the page is open")
        #expect(deeper.contains("<nav class=\"breadcrumbs\" aria-label=\"Breadcrumbs\"><ol><li><a href=\"../../guide/reading.html\">Reading</a></li><li><a href=\"../../guide/deep/nested.html\">Deep</a></li><li aria-current=\"page\">Deeper</li></ol></nav>"))
        #expect(try book.read("index.html").contains("<a class=\"wiki-link\" href=\"guide/reading.html\">Reading</a>"))
        #expect(try book.read("guide/deep/nested.md").contains("Up: [reading](../reading.md)."))
        #expect(FileManager.default.fileExists(atPath: book.output + "/guide/img/p.svg"))
        #expect(try book.read("search-index.js").contains("\"Reading › Deep › Deeper\""), "search results say where a chapter is")
        #expect(!FileManager.default.fileExists(atPath: book.output + "/SUMMARY.html"))
        // Every link of every page, the print page's included, lands.
        #expect(try Checker(options: book.options, log: { _ in }).check().map(\.description) == [])
    }

    @Test func numbersCanBeTurnedOffAndTitlesFallBack() throws {
        let book = try TemporaryBook([
            "book.yml": "numbers: false\n",
            "SUMMARY.md": "- [](a.md)\n- [Given](b.md)\n",
            "a.md": "## Starts at level two\n",
            "b.md": "---\ntitle: Front matter\n---\n# Heading\n",
        ])
        defer { book.remove() }
        let (report, _) = try book.build()
        #expect(report.parsedChapters.map(\.title) == ["Starts at level two", "Given"])
        #expect(!(try book.read("a.html")).contains("<strong>1.</strong>"))
    }

    @Test func problemsOfTheTableOfContentsAreNamedAtTheirLine() throws {
        let book = try TemporaryBook([
            "SUMMARY.md": "# Summary\n\n- [A](a.md)\n- [Gone](gone.md)\n- [Again](a.md)\n- [Out](../outside.md)\n- [Text](notes.txt)\n",
            "a.md": "# A\n",
        ])
        defer { book.remove() }
        let problems = try Checker(options: book.options, log: { _ in }).check().map(\.description)
        let summary = book.book + "/SUMMARY.md"
        for expected in [
            "\(summary):4: error: the table of contents lists 'gone.md', which does not exist; create it, fix the link, or make it a draft with '[Gone]()'",
            "\(summary):5: error: 'a.md' is listed twice; a chapter has one place in the book",
            "\(summary):6: error: '../outside.md' is not a Markdown file of the book; a chapter names a .md file inside the book, relative to the book's folder",
            "\(summary):7: error: 'notes.txt' is not a Markdown file of the book; a chapter names a .md file inside the book, relative to the book's folder",
        ] {
            #expect(problems.contains(expected), "\(problems)")
        }
    }
}

@Suite struct ChapterListTests {
    @Test func bookYmlCanListTheChaptersToo() throws {
        let book = try TemporaryBook([
            "book.yml": """
                title: Listed
                chapters:
                  - intro.md
                  - part: Guide
                  - file: guide/setup.md
                    title: Setting up
                    chapters:
                      - guide/more.md
                  - "---"
                  - end.md
                """,
            "intro.md": "# Intro\n", "guide/setup.md": "# Setup\n", "guide/more.md": "# More\n", "end.md": "# End\n",
            "unlisted.md": "# Not in the book\n",
        ])
        defer { book.remove() }
        let (report, _) = try book.build()
        #expect(report.book.chapters.map(\.fileName) == ["intro.md", "guide/setup.md", "guide/more.md", "end.md"])
        #expect(report.parsedChapters.map(\.title) == ["Intro", "Setting up", "More", "End"])
        let page = try book.read("guide/more.html")
        #expect(page.contains("<li class=\"part-title\">Guide</li>") && page.contains("<strong>2.1.</strong> More"))
        #expect(!FileManager.default.fileExists(atPath: book.output + "/unlisted.html"))
    }
}

@Suite struct NewChapterInATableOfContentsTests {
    @Test func legendNewListsTheChapterInSummaryMd() throws {
        let book = try TemporaryBook(["SUMMARY.md": "# Summary\n\n- [One](01-one.md)", "01-one.md": "# One\n"])
        defer { book.remove() }
        let path = try NewChapter.create(title: "Second [draft]", book: book.book)
        #expect(path == book.book + "/02-second-draft.md")
        #expect(try String(contentsOfFile: book.book + "/SUMMARY.md", encoding: .utf8) == "# Summary\n\n- [One](01-one.md)\n- [Second \\[draft\\]](02-second-draft.md)\n")
        let (report, _) = try book.build()
        #expect(report.parsedChapters.map(\.title) == ["One", "Second [draft]"])
    }
}
