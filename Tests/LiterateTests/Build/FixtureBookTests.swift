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
}
