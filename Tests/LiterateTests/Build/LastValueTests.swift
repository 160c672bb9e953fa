import Foundation
import Testing
@testable import Literate

/// As in a notebook, a block's last expression is shown: a displayable value in its rich form,
/// any other value printed, a Void one not at all.
@Suite struct LastValueTests {
    @Test func theLastExpressionOfABlockIsShown() throws {
        let book = try TemporaryBook(["01-a.md": """
            # A

            ```swift-run
            let x = 2
            x * 21   // the answer
            ```

            ```swift-run
            print("printed")
            fflush(stdout);
            ```

            ```swift-run
            let declared = 3
            ```

            ```swift-run
            var total = 1
            total += declared
            ```

            ```swift-run
            claim(total == 4, "the total is four")
            ```

            ```swift-run
            let model = Sequential(Linear(2, 1))
            mseLoss(model(Tensor.ones(3, 2)), Tensor.zeros(3, 1)).backward()
            gradientReport(model)
            ```

            ```swift-run
            [1.5,
             2.5].map {
                $0 * 2
            }
            ```

            """])
        defer { book.remove() }
        let (report, _) = try book.build()
        #expect(!report.failed, "\(report.chapters.map(\.problems))")
        let result = try #require(report.chapters[0].run?.result)
        func printed(_ block: Int) -> String {
            result[block: block]!.items.compactMap { if case .text(let text) = $0 { text } else { nil } }.joined()
        }
        #expect(printed(1) == "42\n")
        #expect(printed(2) == "printed\n")
        #expect(result[block: 3]!.items.isEmpty)
        #expect(result[block: 4]!.items.isEmpty, "an assignment shows nothing")
        #expect(result[block: 5]!.items.isEmpty, "a claim is a verb: no value after it")
        #expect(result[block: 6]!.items.contains { if case .rich(.table) = $0 { true } else { false } }, "a report shows as its table")
        #expect(printed(6).isEmpty, "and not as a dump")
        #expect(printed(7) == "[3.0, 5.0]\n")
        // Lines stay where they were: the program's text keeps every block line on its line.
        let program = Tangler().tangle(try parse(String(contentsOfFile: book.book + "/01-a.md", encoding: .utf8)))
        #expect(program.source.contains("LegendSession.displayLast(x * 21)   // the answer"))
    }
}
