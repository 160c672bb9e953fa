import Testing
@testable import Literate

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
