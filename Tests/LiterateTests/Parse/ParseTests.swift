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
        ("//| ech: false", "book/01-test.md:2: error: unknown block option 'ech' (known: echo, eval, output, error, caption, label, plot)"),
        ("//| echo: maybe", "book/01-test.md:2: error: block option 'echo' must be true or false, not 'maybe'"),
        ("//| label: has space", "book/01-test.md:2: error: block option 'label' must be letters, digits, '-' or '_', not 'has space'"),
        ("//| plot: png", "book/01-test.md:2: error: block option 'plot' must be braille, ascii or svg, not 'png'"),
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

@Suite struct TanglerTests {
    @Test func framesEachBlockAndMapsLines() throws {
        let chapter = try parse("---\nseed: 7\n---\n```swift-run\nlet x = 1\n```\n\n```swift-run\n//| eval: false\nnope\n```\n\n```swift-run\nprint(x)\n```\n")
        let program = Tangler().tangle(chapter)
        #expect(program.blocks == [1, 3])
        #expect(program.source == """
            // The program of book/01-test.md, tangled by legend: edit the chapter, not this file.
            import Foundation
            import TensorForge
            import Notebook
            LegendSession.start(seed: 7)
            LegendSession.begin(1)
            #sourceLocation(file: "book/01-test.md", line: 5)
            let x = 1

            #sourceLocation()
            LegendSession.end(1)
            do {
            LegendSession.begin(3)
            #sourceLocation(file: "book/01-test.md", line: 14)
            print(x)

            #sourceLocation()
            LegendSession.end(3)
            }

            """)
        #expect(program.block(atProgramLine: 9) == 1)
        #expect(program.block(atProgramLine: 18) == 3)
    }

    @Test func blocksThatDeclareNothingShareOneStatement() throws {
        let chapter = try parse("```swift-run\nprint(1)\n```\n\n```swift-run\nfor i in 0..<2 { let y = i; print(y) }\n```\n\n```swift-run\nvar total = 0\n```\n\n```swift-run\ntotal += 1\n```\n")
        let source = Tangler().tangle(chapter).source
        #expect(source.components(separatedBy: "\ndo {\n").count - 1 == 2)
        #expect(source.contains("LegendSession.end(2)\n}\nLegendSession.begin(3)"))
        #expect(source.hasSuffix("LegendSession.end(4)\n}\n"))
    }

    @Test(arguments: [
        ("print(1)", false), ("x += 1\nshow(x)", false), ("for i in 0..<3 { let y = i * 2; print(y) }", false),
        ("table([\"a\"], [[1]]) // let in a comment", false), ("print(\"let { in a string\")", false),
        ("let x = 1", true), ("var y = 2", true), ("func f() {}", true), ("struct S {}", true), ("if let a = b { }", true),
        ("defer { print(1) }", true), ("@MainActor func g() {}", true), ("#if DEBUG\nlet z = 1\n#endif", true),
        ("print(\"unbalanced\"", true), ("import Foundation", true), ("extension Int {}", true),
    ])
    func declarationsAtTheTopLevel(code: String, declares: Bool) {
        #expect(SwiftTokens.mayDeclareAtTopLevel(code) == declares)
    }

    @Test func quotesInPathsAreEscaped() throws {
        let chapter = try parse("```swift-run\nprint(1)\n```\n", path: "my \"book\"/01.md")
        #expect(Tangler().tangle(chapter).source.contains(#"#sourceLocation(file: "my \"book\"/01.md", line: 2)"#))
    }
}
