import Testing
@testable import Literate

/// An inline value that names a value of a block below it is an error at the name, not a 0
/// woven into the prose.
@Suite struct InlineOrderTests {
    @Test func aValueOfABlockBelowIsAnErrorAtItsName() throws {
        let chapter = try parse("""
            The mean is `{swift} mean.formatted(.fixed(2))` over `{swift} steps` steps.

            ```swift-run
            let steps = 10
            let mean = 0.5
            ```

            """)
        let found = chapter.blockProblems.values.flatMap { $0 }.map(\.description).sorted()
        #expect(found == [
            "book/01-test.md:1:22: error: `mean` is declared below this text, in block 1 (line 5), and an inline value sees only the blocks above it; move the text below that block, or the declaration above the text",
            "book/01-test.md:1:63: error: `steps` is declared below this text, in block 1 (line 4), and an inline value sees only the blocks above it; move the text below that block, or the declaration above the text",
        ])
    }

    @Test func valuesAboveCaptionsAndNamesOfItsOwnAreFine() throws {
        // Below its block; in the block's own caption; a closure's parameter named like a later
        // value; a name no block declares (the compiler's to report).
        let chapter = try parse("""
            ```swift-run
            //| label: fig-a
            //| fig-cap: After `{swift} steps` steps.
            let steps = 10
            ```

            Then `{swift} steps`, `{swift} [1, 2].map { later in later * 2 }`, `{swift} Double.pi`.

            ```swift-run
            let later = 3
            ```

            """)
        #expect(chapter.blockProblems.isEmpty)
    }
}
