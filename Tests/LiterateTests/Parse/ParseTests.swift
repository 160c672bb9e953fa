import Testing
@testable import Literate

@Suite struct ParseTests {
    @Test func collectsSwiftRunBlocksWithLinesAndOptions() throws {
        let chapter = try parse("""
            ---
            title: T
            ---
            # Heading

            ```swift
            not run
            ```

            ```swift-run
            //| echo: false
            //| caption: "A plot"
            let x = 1
            ```

            - item

              ```swift-run
              print(x)
              ```
            """)
        #expect(chapter.title == "T")
        #expect(chapter.blocks.count == 2)
        let first = chapter.blocks[0]
        #expect(first.number == 1 && first.startLine == 10 && first.endLine == 14 && first.codeStartLine == 11)
        #expect(first.options.echo == false && first.options.caption == "A plot")
        #expect(first.displayCode == "let x = 1\n")
        #expect(chapter.blocks[1].startLine == 18 && chapter.blocks[1].code == "print(x)\n")
        #expect(chapter.blockProblems.isEmpty && chapter.warnings.isEmpty)
    }

    @Test func titleFallsBackToTheFirstHeadingThenTheSlug() throws {
        #expect(try parse("Intro\n\n# The *Curse*\n").title == "The Curse")
        #expect(try parse("no heading").title == "01-test")
    }

    @Test func unterminatedFenceIsAnErrorAtItsLine() throws {
        let chapter = try parse("# T\n\n````swift-run\nlet x = 1\n```\n")
        #expect(chapter.blockProblems[1]?.map(\.description) == [
            "book/01-test.md:3: error: this swift-run block is never closed, so the rest of the file would be code; close it with ````",
        ])
        let other = try parse("```python\nx\n")
        #expect(other.warnings.map(\.description) == [
            "book/01-test.md:1: warning: this code fence is never closed, so the rest of the file is code; close it with ```",
        ])
    }

    @Test func emptyBlockIsAWarning() throws {
        let chapter = try parse("```swift-run\n//| echo: false\n\n```\n")
        #expect(chapter.warnings.map(\.description) == [
            "book/01-test.md:1: warning: swift-run block 1 is empty, so there is nothing to run; add code or remove the block",
        ])
        #expect(Tangler.runnableBlocks(of: chapter).isEmpty)
    }

    @Test(arguments: [
        ("//| ech: false", "book/01-test.md:2: error: unknown block option 'ech' (known: echo, eval, output, error, caption, fig-cap, tbl-cap, label, plot, claims, cache)"),
        ("//| echo: maybe", "book/01-test.md:2: error: block option 'echo' must be true or false, not 'maybe'"),
        ("//| label: has space", "book/01-test.md:2: error: block option 'label' must be letters, digits, '-' or '_', not 'has space'"),
        ("//| plot: png", "book/01-test.md:2: error: block option 'plot' must be one of braille, ascii, svg, not 'png'"),
        ("//| claims: maybe", "book/01-test.md:2: error: block option 'claims' must be show or hide, not 'maybe'"),
        ("//| echo", "book/01-test.md:2: error: a block option reads '//| key: value'; found '//| echo'"),
    ])
    func badOptions(line: String, message: String) throws {
        let chapter = try parse("```swift-run\n\(line)\nprint(1)\n```\n")
        #expect(chapter.blockProblems[1]?.map(\.description) == [message])
    }

    @Test func fencesInsideBlockQuotesAndLists() throws {
        let chapter = try parse("> ```swift-run\n> print(1)\n> ```\n\n1. item\n   ```swift-run\n   print(2)\n   ```\n")
        #expect(chapter.blocks.map(\.code) == ["print(1)\n", "print(2)\n"])
        #expect(chapter.blockProblems.isEmpty)
    }
}
