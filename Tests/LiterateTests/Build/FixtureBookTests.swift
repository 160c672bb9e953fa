import Foundation
import Testing
@testable import Literate

/// Fixture books (Tests/LiterateTests/Fixtures/<name>/book) built end to end; their woven
/// Markdown is compared byte for byte with `<name>/expected/`. With LEGEND_RECORD=1 the expected
/// files are written instead, to be reviewed in the diff like code.
@Suite struct FixtureBookTests {
    func expectWoven(_ fixture: String, _ pages: [String], in book: TemporaryBook,
                     sourceLocation: SourceLocation = #_sourceLocation) throws {
        let folder = TemporaryBook.fixture(fixture) + "/expected"
        for page in pages {
            let actual = try book.read(page).replacingOccurrences(of: book.book, with: "BOOK")
            let path = folder + "/" + page
            if ProcessInfo.processInfo.environment["LEGEND_RECORD"] == "1" {
                try actual.write(toFile: path, atomically: true, encoding: .utf8)
                continue
            }
            guard let expected = try? String(contentsOfFile: path, encoding: .utf8) else {
                Issue.record("no expected file \(path); record it with LEGEND_RECORD=1", sourceLocation: sourceLocation)
                continue
            }
            #expect(actual == expected, "\(fixture)/\(page) differs from the expected file", sourceLocation: sourceLocation)
        }
    }

    @Test func twoChapters() throws {
        let book = try TemporaryBook(fixture: "two-chapters")
        defer { book.remove() }
        let (report, _) = try book.build()
        #expect(!report.failed)
        try expectWoven("two-chapters", ["01-first.md", "02-second.md"], in: book)
        let second = try book.article("02-second.html")
        #expect(second.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !second.contains("<script>"))
        let index = try book.read("index.html")
        #expect(index.contains("<title>Two &lt;Chapters&gt;</title>"))
        #expect(index.contains("<a href=\"01-first.html\">First</a>") && index.contains("<a href=\"02-second.html\">Second</a>"))
    }

    @Test func blockOptions() throws {
        let book = try TemporaryBook(fixture: "options")
        defer { book.remove() }
        let (report, _) = try book.build()
        #expect(!report.failed)
        try expectWoven("options", ["01-options.md"], in: book)
        let article = try book.article("01-options.html")
        #expect(article.contains("id=\"tbl-squares\""))
        #expect(!article.contains("<code>never shown"), "output: false hides what the block printed")
        #expect(article.components(separatedBy: "only the output").count == 2, "echo: false hides the code, not its output")
    }

    /// GitHub Flavored Markdown: the page has the table, strikethrough, footnote, autolink,
    /// task list and callout; the Markdown keeps them as written.
    @Test func githubFlavoredMarkdown() throws {
        let book = try TemporaryBook(fixture: "gfm")
        defer { book.remove() }
        let (report, _) = try book.build()
        #expect(!report.failed)
        try expectWoven("gfm", ["01-gfm.md"], in: book)
        let source = try String(contentsOfFile: book.book + "/01-gfm.md", encoding: .utf8)
        #expect(try book.read("01-gfm.md") == source.replacingOccurrences(of: "```swift-run\n", with: "```swift\n"),
                "only the block's fence changes in the Markdown")
        let article = try book.article("01-gfm.html")
        for part in [
            "<div class=\"callout callout-note\" role=\"note\">\n<p class=\"callout-title\">Note</p>\n<p>Gradients are measured",
            "<th align=\"left\">activation</th>\n<th align=\"center\">depth</th>\n<th align=\"right\">first-layer norm</th>",
            "<td align=\"left\">ReLU | He</td>", "<td align=\"right\"><code>1.1e-7</code></td>",
            "<del>learns</del> barely learns",
            "<sup class=\"footnote-ref\"><a href=\"#fn1\" id=\"fnref1\">1</a></sup>",
            "<a href=\"https://example.org/legend/ledger\">https://example.org/legend/ledger</a>.",
            "<li><input type=\"checkbox\" checked=\"\" disabled=\"\" /> measure sigmoid</li>",
            "<li><input type=\"checkbox\" disabled=\"\" /> measure tanh with <del>Xavier</del> He initialisation</li>",
            "<section class=\"footnotes\">\n<ol>\n<li id=\"fn1\">\n<p>Its gradients fall by about <em>seventeen</em> orders of magnitude. <a href=\"#fnref1\" class=\"footnote-backref\">↩</a></p>\n</li>\n</ol>\n</section>",
        ] {
            #expect(article.contains(part), "the page lacks \(part)")
        }
        // The footnotes close the article, after the block.
        let block = try #require(article.range(of: "not run"))
        let footnotes = try #require(article.range(of: "<section class=\"footnotes\">"))
        #expect(block.upperBound < footnotes.lowerBound)
        #expect(!article.contains("[!NOTE]") && !article.contains("[^1]") && !article.contains("[x]"))
    }

    /// Citations, cross-references and a callout, as an author of a paper-like book writes them.
    @Test func scholarly() throws {
        let book = try TemporaryBook(fixture: "scholarly")
        defer { book.remove() }
        let (report, _) = try book.build()
        #expect(!report.failed && report.weaveProblems.isEmpty, "\(report.weaveProblems)")
        try expectWoven("scholarly", ["01-depth.md", "02-back.md"], in: book)
        let depth = try book.article("01-depth.html")
        for part in [
            "<div class=\"callout callout-tip\" role=\"note\">",
            "<h2 id=\"sec-measurement\">The measurement <a",
            "<a class=\"cross-reference\" href=\"#fig-norms\">Figure 1.1</a> shows the norms",
            "<figcaption>Figure 1.1: Gradient norm by layer</figcaption>", "<caption>Table 1.1</caption>",
            "<span class=\"citation\">(<a href=\"#ref-he2016\">He et al. 2016, p. 771</a>)</span>",
            "<span class=\"equation-number\" id=\"eq-chain\">(1.1)</span>",
            "<h2 id=\"references\">References", "<p class=\"reference\" id=\"ref-hochreiter1997\">",
        ] {
            #expect(depth.contains(part), "the page lacks \(part)")
        }
        let back = try book.article("02-back.html")
        #expect(back.contains("<a class=\"cross-reference\" href=\"01-depth.html#eq-chain\">Equation (1.1)</a> explains"))
        #expect(back.contains("<span class=\"citation\">(<a href=\"#ref-hochreiter1997\">see Hochreiter and Schmidhuber 1997</a>; <a href=\"#ref-he2016\">2016</a>)</span>"), "\(back)")
        let print = try book.read("print.html")
        #expect(print.contains("href=\"#01-depth--eq-chain\""), "links between chapters point into the print page")
    }
}
