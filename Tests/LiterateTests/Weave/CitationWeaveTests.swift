import Foundation
import Testing
@testable import Literate

/// Citations in a book with `bibliography:`: author–year text, a reference list per chapter, a
/// bibliography page, and unknown keys named where they are.
@Suite struct CitationWeaveTests {
    static let bib = """
        @string{neco = "Neural Computation"}
        @article{hochreiter1997, author = {Hochreiter, Sepp and Schmidhuber, J{\\"u}rgen}, title = {Long Short-Term Memory},
          journal = neco, year = 1997, doi = {10.1162/neco.1997.9.8.1735}}
        @inproceedings{glorot2010, author = {Glorot, Xavier and Bengio, Yoshua}, title = {Understanding the Difficulty of Training Deep Feedforward Neural Networks}, booktitle = {AISTATS}, year = {2010}}
        @misc{unused, title = {Never cited}, year = 2000}
        """

    func book(_ chapters: [String: String], bibliography: Bool = true) throws -> TemporaryBook {
        var files = chapters
        files["book.yml"] = bibliography ? "title: Cited\nbibliography: refs.bib\n" : "title: Cited\n"
        files["refs.bib"] = Self.bib
        return try TemporaryBook(files)
    }

    @Test func citationsReadAuthorYearAndEachChapterListsWhatItCites() throws {
        let book = try self.book([
            "01-a.md": "# A\n\nAs measured [@glorot2010, p. 3; @hochreiter1997], and @hochreiter1997 said; see also [-@glorot2010].\nA mail: me@example.org, and `@glorot2010` in code.\n",
            "02-b.md": "# B\n\nOnly [@glorot2010].\n",
        ])
        defer { book.remove() }
        let (report, _) = try book.build()
        #expect(report.weaveProblems.isEmpty, "\(report.weaveProblems)")
        let a = try book.article("01-a.html")
        #expect(a.contains("<span class=\"citation\">(<a href=\"#ref-glorot2010\">Glorot and Bengio 2010, p. 3</a>; <a href=\"#ref-hochreiter1997\">Hochreiter and Schmidhuber 1997</a>)</span>"), "\(a)")
        #expect(a.contains("<span class=\"citation\"><a href=\"#ref-hochreiter1997\">Hochreiter and Schmidhuber (1997)</a></span> said"))
        #expect(a.contains("<span class=\"citation\">(<a href=\"#ref-glorot2010\">2010</a>)</span>"))
        #expect(a.contains("<code>@glorot2010</code>"))
        #expect(a.contains("<h2 id=\"references\">References"))
        #expect(a.contains("<p class=\"reference\" id=\"ref-hochreiter1997\">Hochreiter, Sepp, and Jürgen Schmidhuber. 1997."))
        #expect(!a.contains("Never cited"), "a chapter lists only what it cites")
        let b = try book.article("02-b.html")
        #expect(b.contains("id=\"ref-glorot2010\"") && !b.contains("id=\"ref-hochreiter1997\""))
        let page = try book.read("bibliography.html")
        #expect(page.contains("id=\"ref-glorot2010\"") && page.contains("id=\"ref-hochreiter1997\"") && !page.contains("Never cited"))
        #expect(try book.read("01-a.html").contains("href=\"bibliography.html\""), "pages link to the bibliography")

        let markdown = try book.read("01-a.md")
        #expect(markdown.contains("As measured ([Glorot and Bengio 2010, p. 3](#ref-glorot2010); [Hochreiter and Schmidhuber 1997](#ref-hochreiter1997)), and [Hochreiter and Schmidhuber (1997)](#ref-hochreiter1997) said; see also ([2010](#ref-glorot2010)).\nA mail: me@example.org, and `@glorot2010` in code.\n"))
        #expect(markdown.hasSuffix("\n## References\n\n<a id=\"ref-glorot2010\"></a>Glorot, Xavier, and Yoshua Bengio. 2010. “Understanding the Difficulty of Training Deep Feedforward Neural Networks.” In *AISTATS*.\n\n<a id=\"ref-hochreiter1997\"></a>Hochreiter, Sepp, and Jürgen Schmidhuber. 1997. “Long Short-Term Memory.” *Neural Computation*. <https://doi.org/10.1162/neco.1997.9.8.1735>\n"), "\(markdown)")
    }

    @Test func anUnknownKeyIsNamedAtItsLine() throws {
        let book = try self.book(["01-a.md": "# A\n\nFine [@glorot2010].\n\nNot [@nobody2020].\n"])
        defer { book.remove() }
        let found = try Checker(options: book.options, log: { _ in }).check().map(\.description)
        #expect(found.contains("\(book.book)/01-a.md:5: error: '@nobody2020' is not in the bibliography 'refs.bib'; add an entry with that key there, or fix the key"), "\(found)")
        #expect(try book.build().0.weaveProblems.map(\.severity) == [.warning], "a warning in build")
    }

    @Test func withoutABibliographyAtSignsAreText() throws {
        let book = try self.book(["01-a.md": "# A\n\nUse @MainActor [@x].\n"], bibliography: false)
        defer { book.remove() }
        _ = try book.build()
        #expect(try book.article("01-a.html").contains("Use @MainActor [@x]."))
        #expect(!FileManager.default.fileExists(atPath: book.output + "/bibliography.html"))
    }

    @Test func aMissingBibliographyIsOneClearError() throws {
        let book = try TemporaryBook(["book.yml": "bibliography: gone.bib\n", "01-a.md": "# A\n"])
        defer { book.remove() }
        #expect(throws: Diagnostic.error("the bibliography 'gone.bib' named in book.yml does not exist; fix 'bibliography:' or add the file", file: book.book + "/book.yml")) {
            _ = try book.build()
        }
    }
}
