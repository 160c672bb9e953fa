import Foundation
import Testing
@testable import Literate

/// Captions per output, with Quarto's spellings: `fig-cap:` for a block's plots, `tbl-cap:` for
/// its tables, `caption:` for a block with one kind of output.
@Suite struct CaptionTests {
    @Test func eachKindOfOutputGetsItsOwnCaptionNumberedByTheLabel() throws {
        let book = try TemporaryBook(["01-a.md": """
            # A

            ```swift-run
            //| label: fig-loss
            //| fig-cap: Loss over `{swift} steps.count` steps.
            //| tbl-cap: The last `{swift} 2` losses.
            let steps = [1.0, 2, 3]
            lineplot(steps, title: "Loss")
            table(["step": [1, 2], "loss": [0.5, 0.25]])
            ```

            ```swift-run
            //| caption: One table alone.
            table(["x": [1]])
            ```

            ```swift-run
            //| caption: Both at once.
            lineplot([1.0, 2], title: "Both")
            table(["y": [2]])
            ```

            See @fig-loss.

            """])
        defer { book.remove() }
        let (report, lines) = try book.build()
        #expect(!report.failed)
        let html = try book.article("01-a.html")
        #expect(html.contains("<figcaption>Figure 1.1: Loss over 3 steps.</figcaption>"), "\(html)")
        #expect(html.contains("<caption>The last 2 losses.</caption>"))
        #expect(html.contains("<caption>One table alone.</caption>"))
        #expect(!html.contains("<caption>Figure 1.1"))
        let markdown = try book.read("01-a.md")
        #expect(markdown.contains("*Figure 1.1: Loss over 3 steps.*"))
        #expect(markdown.contains("*The last 2 losses.*"))
        #expect(lines.contains("\(book.book)/01-a.md:17: warning: block 3 shows a plot and a table, so its one `caption:` would caption both; write `//| fig-cap:` for the plot and `//| tbl-cap:` for the table"))
        // In `check`, the same is an error.
        let problems = try Checker(options: book.options, log: { _ in }).check()
        #expect(problems.contains { $0.message.hasPrefix("block 3 shows a plot and a table") })
    }
}
