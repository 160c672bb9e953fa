import Foundation
import Testing
@testable import Literate

/// A book in mdBook's layout — book.toml, src/SUMMARY.md — builds unchanged, with the chapter
/// order, titles and URLs mdBook gives it (mdBook's guide: chapters in SUMMARY.md's order,
/// titled by their links' text; a chapter's page is its path with `.html`, a README.md is its
/// folder's index.html; `[output.html.redirect]` makes a page at each old address).
@Suite struct MdBookTests {
    static let files: [String: String] = [
        "book.toml": """
            [book]
            title = "An mdBook"
            authors = ["Ada", "Grace"]
            src = "src"

            [preprocessor.mermaid]
            command = "mdbook-mermaid"

            [output.html.redirect]
            "/old/start.html" = "../index.html"

            [output.linkcheck]
            """,
        "src/SUMMARY.md": "# Summary\n\n[Introduction](README.md)\n\n- [The guide](guide/README.md)\n    - [Setup](guide/setup.md)\n\n[Appendix](appendix.md)\n",
        "src/README.md": "# Welcome {#sec-welcome}\n\nRead [the guide](guide/README.md).\n",
        "src/guide/README.md": "# Guide\n\nThen [set up](setup.md), or go [back](../README.md).\n",
        "src/guide/setup.md": "## Setting up\n\nSee @sec-welcome.\n\n```swift-run\nprint(6 * 7)\n```\n",
        "src/appendix.md": "# Appendix\n",
    ]

    @Test func itBuildsWithMdBooksOrderTitlesAndURLs() throws {
        let book = try TemporaryBook(Self.files)
        defer { book.remove() }
        let lines = try book.build { $0.outputPath = book.folder + "/output" }.1
        let (report, _) = try book.build()
        #expect(report.book.title == "An mdBook" && report.book.author == "Ada, Grace")
        #expect(report.book.chapters.map(\.fileName) == ["README.md", "guide/README.md", "guide/setup.md", "appendix.md"])
        #expect(report.book.chapters.map(\.slug) == ["index", "guide/index", "guide/setup", "appendix"])
        #expect(report.parsedChapters.map(\.title) == ["Introduction", "The guide", "Setup", "Appendix"])
        #expect(try book.read("index.html").contains("<title>Introduction · An mdBook</title>"), "README.md is the landing page")
        #expect(try book.read("guide/index.html").contains("<a href=\"setup.html\">set up</a>, or go <a href=\"../index.html\">back</a>"))
        #expect(try book.read("guide/setup.md").contains("```text\n42\n```"))
        #expect(try book.read("guide/README.md").hasPrefix("# Guide"), "the woven Markdown keeps the source's name")
        #expect(try book.read("guide/setup.md").contains("See [Chapter 1](../README.md#sec-welcome)."), "Markdown links name the source files")
        #expect(try book.read("guide/setup.html").contains("<a class=\"cross-reference\" href=\"../index.html#sec-welcome\">Chapter 1</a>"))
        #expect(try book.read("old/start.html").contains("<meta http-equiv=\"refresh\" content=\"0; url=../index.html\">"))
        #expect(lines.contains { $0.contains("warning: Legend does not run mdBook's preprocessors mermaid and renderers linkcheck") }, "\(lines)")
        #expect(try Checker(options: book.options, log: { _ in }).check().map(\.description) == [])
    }

    @Test func itsOutputIsBookTomlsBuildFolder() throws {
        let book = try TemporaryBook(Self.files)
        defer { book.remove() }
        #expect(Book.configuredOutput(of: book.book) == book.book + "/book")
        #expect(Book.discover(from: book.book + "/src/guide") == "../..")
    }

    @Test func aBrokenBookTomlIsNamedAtItsLine() throws {
        let book = try TemporaryBook(["book.toml": "[book]\ntitle = \"x\nsrc = 1\n", "src/SUMMARY.md": "- [A](a.md)\n", "src/a.md": "# A\n"])
        defer { book.remove() }
        #expect {
            _ = try book.build()
        } throws: { error in
            let description = (error as? Diagnostic)?.description ?? ""
            return description.hasPrefix("\(book.book)/book.toml:2:") && description.contains("error: book.toml is not valid TOML")
        }
    }
}
