import Foundation
import Testing
@testable import Literate
import NotebookCore

/// End to end: claims made by blocks, as `legend build` and `legend check` report and show them.
@Suite struct ClaimsBuildTests {
    @Test func aFalseClaimFailsTheBuildAtItsLineEvenWhenAnErrorIsExpected() throws {
        let book = try TemporaryBook([
            "01-claims.md": """
                # Claims

                ```swift-run
                let ratio = 3.2e-7
                claim(ratio < 1e-9, "the first layer receives less than a billionth of the last layer's gradient", ["ratio": ratio])
                claim(ratio > 0, "the gradient is not zero")
                print("after the claims")
                ```

                ```swift-run
                //| error: true
                claim(1 + 1 == 3, "one and one make three", ["sum": 2, "expected": 3])
                ```

                ```swift-run
                //| claims: hide
                claim(ratio < 1, "the ratio is below one", ["ratio": ratio])
                print("still runs")
                ```

                """,
        ])
        defer { book.remove() }
        let (report, lines) = try book.build()
        #expect(report.failed)
        let path = book.book + "/01-claims.md"
        #expect(lines.contains("\(path):5: error: claim not supported: 'the first layer receives less than a billionth of the last layer's gradient' — ratio = 3.2e-7"))
        #expect(lines.contains("\(path):12: error: claim not supported: 'one and one make three' — sum = 2, expected = 3"))
        #expect(lines.contains { $0.hasPrefix("Built 1 chapter") && $0.contains("; 4 claims, 2 do not hold.") })
        let result = try #require(report.chapters[0].run?.result)
        // A false claim stops nothing: its block shows all it printed, the next blocks run.
        #expect(result.blocks.map(\.status) == [.failed, .failed, .ran])
        #expect(result.claims.map(\.holds) == [false, true, false, true])
        #expect(result.claims.map(\.line) == [5, 6, 12, 17])
        #expect(report.claims == ClaimTally(result.claims))

        let markdown = try book.read("01-claims.md")
        #expect(markdown.contains("```text\nafter the claims\n```\n\n> ✗ Claim not supported: the first layer receives less than a billionth of the last layer's gradient (ratio = 3.2e-7)\n>\n> ✓ Claim: the gradient is not zero\n"))
        #expect(markdown.contains("```text\nstill runs\n```\n"))
        // The code shows the statement; `claims: hide` leaves out only the claim's line.
        #expect(markdown.contains("claim(ratio < 1, \"the ratio is below one\""))
        #expect(!markdown.contains("Claim: the ratio is below one"), "claims: hide leaves the block's claims out of the page")
        let page = try book.article("01-claims.html")
        #expect(page.contains("<li class=\"claim claim-holds\"><span class=\"claim-mark\" aria-hidden=\"true\">✓</span> <span class=\"claim-lead\">Claim:</span> the gradient is not zero</li>"))
        #expect(page.contains("<li class=\"claim claim-fails\" title=\"sum = 2, expected = 3\"><span class=\"claim-mark\" aria-hidden=\"true\">✗</span> <span class=\"claim-lead\">Claim not supported:</span> one and one make three <span class=\"claim-values\">(sum = 2, expected = 3)</span></li>"))
        #expect(!page.contains("</span> the ratio is below one"))
        #expect(page.components(separatedBy: "<li class=\"claim ").count - 1 == 3)

        // The claims page lists every claim, hidden ones too, each linked to its block.
        let audit = try book.article("claims.html")
        #expect(audit.contains("<p class=\"claims-tally\">4 claims, 2 do not hold.</p>"))
        #expect(audit.contains("<tr class=\"claim-fails\"><td><a href=\"01-claims.html#block-1\">Claims</a></td><td>5</td><td>the first layer receives less than a billionth of the last layer&#39;s gradient</td><td>ratio = 3.2e-7</td><td><span class=\"claim-mark\" aria-hidden=\"true\">✗</span> does not hold</td></tr>"))
        #expect(audit.contains("<tr class=\"claim-holds\"><td><a href=\"01-claims.html#block-3\">Claims</a></td><td>17</td><td>the ratio is below one</td><td>ratio = 3.2e-7</td><td><span class=\"claim-mark\" aria-hidden=\"true\">✓</span> holds</td></tr>"))
        #expect(audit.components(separatedBy: "<tr class=\"claim-").count - 1 == 4)
        #expect(try book.read("01-claims.html").contains("<a href=\"claims.html\">Claims</a>"))
    }

    @Test func claimsShownPerBookAndBlockCheckedAndKeptInTheCache() throws {
        let chapter = """
            # Held

            ```swift-run
            //| claims: show
            let layers = 100
            claim(layers > 10, "the network is deep", ["layers": Double(layers)])
            ```

            ```swift-run
            claim(true, "the book's default hides this one")
            ```

            """
        let book = try TemporaryBook(["book.yml": "title: Claims\nclaims: hide\n", "01-held.md": chapter])
        defer { book.remove() }
        let (report, lines) = try book.build()
        #expect(!report.failed)
        #expect(lines.contains { $0.hasPrefix("Built 1 chapter") && $0.hasSuffix("; 2 claims, all hold.") })
        let markdown = try book.read("01-held.md")
        #expect(markdown.contains("> ✓ Claim: the network is deep (layers = 100)\n"))
        #expect(!markdown.contains("Claim: the book's default hides this one"))
        #expect(try book.article("01-held.html").contains("<span class=\"claim-lead\">Claim:</span> the network is deep"))
        #expect(try book.article("01-held.html").components(separatedBy: "<li class=\"claim ").count - 1 == 1)
        for page in ["index.html", "01-held.html", "search.html"] {
            #expect(try book.read(page).contains("<a href=\"claims.html\">Claims</a>"), "\(page) links to the claims page")
        }

        let findings = try Checker(options: book.options, log: { _ in }).findings()
        #expect(findings.problems.map(\.description) == [])
        #expect(findings.claims == report.claims)
        #expect(findings.claims.description == "2 claims, all hold")

        // Prose moves the blocks: the cached result keeps its claims, at their new lines.
        try book.write("01-held.md", "Opening words.\n\nMore of them.\n\n" + chapter)
        let (cached, _) = try book.build()
        #expect(cached.chapters[0].run?.fromCache == true)
        #expect(cached.chapters[0].run?.result.claims.map(\.line) == [10, 14])
        #expect(try book.read("01-held.md").contains("> ✓ Claim: the network is deep (layers = 100)\n"))
        let audit = try book.article("claims.html")
        #expect(audit.contains("<td><a href=\"01-held.html#block-1\">Held</a></td><td>10</td><td>the network is deep</td><td>layers = 100</td>"))
        #expect(audit.contains("<td><a href=\"01-held.html#block-2\">Held</a></td><td>14</td><td>the book&#39;s default hides this one</td>"))
    }

    @Test func aBookWithoutClaimsHasNoClaimsPage() throws {
        let book = try TemporaryBook(["01-plain.md": "# Plain\n\n```swift-run\nprint(1)\n```\n"])
        defer { book.remove() }
        let (report, lines) = try book.build()
        #expect(!report.failed && report.claims.count == 0)
        #expect(!FileManager.default.fileExists(atPath: book.output + "/claims.html"))
        #expect(try !book.read("01-plain.html").contains("claims.html"))
        #expect(!lines.contains { $0.contains("claim") })
    }

    @Test(arguments: [
        ([true, true, true], "3 claims, all hold"),
        ([true], "1 claim, it holds"),
        ([false], "1 claim, 1 does not hold"),
        ([true, false, false], "3 claims, 2 do not hold"),
    ])
    func theTallyReadsAsASentence(holding: [Bool], expected: String) {
        let claims = holding.map { Claim(statement: "s", holds: $0, file: "book/01.md", line: 1) }
        #expect(ClaimTally(claims).description == expected)
    }

    @Test func aBadClaimsSettingInBookYmlIsNamed() throws {
        let book = try TemporaryBook(["book.yml": "title: T\nclaims: sometimes\n", "01-a.md": "# A\n"])
        defer { book.remove() }
        #expect(throws: Diagnostic.error("'claims' must be show or hide: whether pages show blocks' claims after their outputs",
                                         file: book.book + "/book.yml", line: 2)) {
            _ = try Book.load(from: book.book)
        }
    }
}
