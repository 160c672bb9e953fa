import Foundation
import Testing
@testable import Literate

/// `` `{swift} expr` `` in prose: evaluated at its place in the chapter's session, written as
/// text in both outputs, failing like a block at its own line and column.
@Suite struct InlineValueTests {
    static let chapter = """
        # Depth

        ```swift-run
        var depth = 20
        let ratio = 3.2e-7
        ```

        ## At depth `{swift} depth`

        The first layer gets `{swift} ratio` of the gradient (`{swift} ratio.formatted(.scientific(1))`), \
        and `code {swift} stays` as code.

        - a list item: `{swift} "text"`

        | depth | ratio |
        |---|---|
        | `{swift} depth` | `{swift} ratio * 2` |

        ```swift-run
        depth = 50
        ```

        Now the depth is `{swift} depth`.

        ```swift
        let shown = `{swift} 1`
        ```

        """

    @Test func valuesReadAsTextInEveryPlaceAndSeeOnlyTheBlocksAbove() throws {
        let book = try TemporaryBook(["01-a.md": Self.chapter])
        defer { book.remove() }
        let (report, _) = try book.build()
        #expect(!report.failed, "\(report.chapters.map(\.problems))")
        let html = try book.article("01-a.html")
        #expect(html.contains("<h2 id=\"at-depth-20\">At depth <span class=\"inline-value\">20</span>"), "a heading, evaluated where it stands: after block 1")
        #expect(html.contains("gets <span class=\"inline-value\">3.2e-7</span> of the gradient (<span class=\"inline-value\">3e-7</span>)"))
        #expect(html.contains("<code>code {swift} stays</code>"))
        #expect(html.contains("a list item: <span class=\"inline-value\">text</span>"))
        #expect(html.contains("<td><span class=\"inline-value\">20</span></td>\n<td><span class=\"inline-value\">6.4e-7</span></td>"), "\(html)")
        #expect(html.contains("Now the depth is <span class=\"inline-value\">50</span>."), "after block 2")
        #expect(html.contains("shown = `{swift} 1`"), "code blocks are never evaluated")
        let markdown = try book.read("01-a.md")
        for line in ["## At depth 20", "The first layer gets 3.2e-7 of the gradient (3e-7), and `code {swift} stays` as code.",
                     "- a list item: text", "| 20 | 6.4e-7 |", "Now the depth is 50.", "let shown = `{swift} 1`"] {
            #expect(markdown.contains(line + "\n"), "the Markdown lacks \(line)")
        }
    }

    @Test func aCompileErrorAndATrapAreReportedAtTheExpression() throws {
        let book = try TemporaryBook(["01-a.md": "# A\n\nFine `{swift} 1 + 1`, broken `{swift} nope + 1`.\n", "02-b.md": "# B\n\nTrap: `{swift} [1, 2][3]`.\n"])
        defer { book.remove() }
        let (report, lines) = try book.build()
        #expect(report.failed)
        #expect(lines.contains("\(book.book)/01-a.md:3:39: error: cannot find 'nope' in scope"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("\(book.book)/02-b.md:3:") && $0.contains("error: the inline value `[1, 2][3]` trapped: Fatal error: Index out of range") }, "\(lines)")
        let html = try book.article("01-a.html")
        #expect(html.contains("Fine <span class=\"inline-value\">2</span>, broken <code class=\"inline-value failed\" title=\"\(book.book)/01-a.md:3:39: error: cannot find &#39;nope&#39; in scope"))
        #expect(try book.read("01-a.md").contains("Fine 2, broken `{swift} nope + 1`."), "a failed value stays as written")
    }

    @Test func proseEditsRunNothingAndExpressionEditsRunTheChapter() throws {
        let book = try TemporaryBook(["01-a.md": "# A\n\n```swift-run\nlet x = 21\n```\n\nTwice: `{swift} x * 2`.\n"])
        defer { book.remove() }
        _ = try book.build()
        #expect(try book.read("01-a.md").contains("Twice: 42."))
        try book.write("01-a.md", "# A\n\nNew prose above.\n\n```swift-run\nlet x = 21\n```\n\nIt is twice: `{swift} x * 2`.\n")
        #expect(try book.build().0.chapters[0].run?.fromCache == true, "prose moved the block and the value: nothing runs")
        #expect(try book.read("01-a.md").contains("It is twice: 42."))
        try book.write("01-a.md", "# A\n\nNew prose above.\n\n```swift-run\nlet x = 21\n```\n\nIt is twice: `{swift} x * 3`.\n")
        #expect(try book.build().0.chapters[0].run?.fromCache == false)
        #expect(try book.read("01-a.md").contains("It is twice: 63."))
    }

    @Test func tangleShowsHowAValueEntersTheProgram() throws {
        let chapter = try parse("# A\n\nSee `{swift} 1 + 1`.\n")
        let program = Tangler().tangle(chapter).source
        #expect(program.contains("LegendSession.begin(1)\nLegendSession.inline({ () -> Any in\n#sourceLocation(file: \"book/01-test.md\", line: 3)\n             1 + 1\n#sourceLocation()\n})\nLegendSession.end(1)"), "\(program)")
    }
}

@Suite struct CaptionValueTests {
    @Test func aCaptionsValuesAreComputedAfterItsBlock() throws {
        let book = try TemporaryBook(["01-a.md": """
            # A

            ```swift-run
            //| caption: Depth `{swift} depth`, ratio `{swift} ratio.formatted(.scientific(1))`
            let depth = 20
            let ratio = 3.2e-7
            table(["depth"], [[depth]])
            ```

            ```swift-run
            //| caption: Broken `{swift} nothing`
            table(["x"], [[1]])
            ```

            """])
        defer { book.remove() }
        let (report, lines) = try book.build()
        #expect(report.failed)
        #expect(lines.contains("\(book.book)/01-a.md:11:30: error: cannot find 'nothing' in scope"), "\(lines)")
        #expect(try book.article("01-a.html").contains("<caption>Depth 20, ratio 3e-7</caption>"))
        #expect(try book.read("01-a.md").contains("*Depth 20, ratio 3e-7*"))
    }
}

@Suite struct InlineClaimTests {
    @Test func aClaimWrittenInlineIsAMarkAfterItsSentence() throws {
        let book = try TemporaryBook(["01-a.md": """
            # A

            ```swift-run
            let ratio = 3.2e-7
            ```

            The first layer gets less than a millionth `{swift} claim(ratio < 1e-6, "less than a millionth", ["ratio": ratio])`.

            """])
        defer { book.remove() }
        let (report, _) = try book.build()
        #expect(!report.failed)
        #expect(try book.article("01-a.html").contains("a millionth <span class=\"claim-mark\" role=\"img\" aria-label=\"Claim: less than a millionth (ratio = 3.2e-7)\" title=\"Claim: less than a millionth (ratio = 3.2e-7)\">✓</span>."))
        #expect(try book.read("01-a.md").contains("less than a millionth ✓.\n"))
        try book.write("01-a.md", "# A\n\n```swift-run\nlet ratio = 3.2e-7\n```\n\nLess than a billionth `{swift} claim(ratio < 1e-9, \"less than a billionth\", [\"ratio\": ratio])`.\n")
        let (failed, lines) = try book.build()
        #expect(failed.failed)
        #expect(lines.contains("\(book.book)/01-a.md:7: error: claim not supported: 'less than a billionth' — ratio = 3.2e-7"), "\(lines)")
        #expect(try book.article("01-a.html").contains("<span class=\"claim-mark failed\""))
    }
}
