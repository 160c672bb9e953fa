import Testing
@testable import Literate

/// How a checkpointed block is tangled, and what makes one an error.
@Suite struct CheckpointTests {
    @Test func statementsRunOnlyWhenNotRestoredAndKeptValuesStartFromTheCheckpoint() throws {
        let chapter = try parse("""
            ```swift-run
            var total = 0
            ```

            ```swift-run
            //| cache: model, losses, total
            let model = Linear(2, 1), other = 3
            var losses: [Double] = try load()
            for step in 0..<3 { losses.append(Double(step)) }
            total += other
            ```

            """)
        let source = Tangler().tangle(chapter).source
        #expect(source.contains("""
            LegendSession.begin(2)
            LegendSession.checkpointBegin(2)
            #sourceLocation(file: "book/01-test.md", line: 7)
            let model = LegendSession.restore(2, "model") { Linear(2, 1) }, other = 3
            var losses: [Double] = try LegendSession.restore(2, "losses") { try load() }
            if LegendSession.runs(2) {
            #sourceLocation(file: "book/01-test.md", line: 9)
            for step in 0..<3 { losses.append(Double(step)) }
            total += other
            }
            #sourceLocation(file: "book/01-test.md", line: 11)

            #sourceLocation(file: "book/01-test.md", line: 6)
                       legendKeep(2, "model", model)
            #sourceLocation(file: "book/01-test.md", line: 6)
                              legendKeep(2, "losses", &losses)
            #sourceLocation(file: "book/01-test.md", line: 6)
                                      legendKeep(2, "total", &total)
            #sourceLocation()
            LegendSession.checkpointEnd(2)
            LegendSession.end(2)
            """))
    }

    @Test func theNamesAreTheOptionsNotTheirColumnsInTheKey() throws {
        let a = try parse("```swift-run\n//| cache: x\nvar x = 1\n```\n")
        let b = try parse("```swift-run\n//| cache: [x]\nvar x = 1\n```\n")
        #expect(a.blocks[0].options.run.cache.map(\.column) == [12])
        #expect(b.blocks[0].options.run.cache.map(\.column) == [13])
        #expect(a.blocks[0].options.runKey == b.blocks[0].options.runKey)
    }

    /// Each case: a chapter, and the one error it must give (line:column: message).
    static let problems: [(String, String, String)] = [
        ("a name no block declares", "```swift-run\n//| cache: model\nlet x = 1\n```\n",
         "2:12: error: `cache:` names `model`, which neither this block nor a block above it declares at its top level; list the values this block computes or changes"),
        ("a name without a first value", "```swift-run\n//| cache: a\nvar a: [Double]\na = [1]\n```\n",
         "3:5: error: `a` is kept by this block's checkpoint, so give it its first value where it is declared (`var a: [Double] = []`)"),
        ("a var of a block above, changed but not kept", "```swift-run\nvar seen: [Int] = []\n```\n\n```swift-run\n//| cache: y\nvar y = 2\nseen.append(y)\n```\n",
         "8:1: error: this block changes `seen`, declared in block 1, but its checkpoint does not keep it; add `seen` to `//| cache:` (line 6)"),
        ("a value not kept, used below", "```swift-run\n//| cache: y\nlet helper = 3\nvar y = helper\n```\n\n```swift-run\nprint(helper + y)\n```\n",
         "8:7: error: `helper` is declared in block 1, whose checkpoint does not keep it; add it to that block's `//| cache:` (line 2), or compute it in this block"),
        ("a value not kept, used in an inline value", "```swift-run\n//| cache: y\nlet helper = 3\nvar y = helper\n```\n\nIt is `{swift} helper * 2`.\n",
         "7:16: error: `helper` is declared in block 1, whose checkpoint does not keep it; add it to that block's `//| cache:` (line 2), or compute it in this block"),
        ("not a name", "```swift-run\n//| cache: a.b\nlet a = 1\n```\n",
         "2: error: block option 'cache' lists names of values ('//| cache: model, history'); 'a.b' is not a Swift name"),
    ]

    @Test(arguments: problems.indices)
    func problemsAreReportedWhereTheyAre(_ index: Int) throws {
        let (name, text, expected) = Self.problems[index]
        let chapter = try parse(text)
        let found = chapter.blockProblems.values.flatMap { $0 }.map(\.description)
        #expect(found == ["book/01-test.md:" + expected], "\(name)")
    }

    @Test func namesOfOtherScopesAreNotMistakenForTheBlocks() throws {
        // A later block's own `helper` (a parameter, a local) is not the checkpointed block's.
        let chapter = try parse("""
            ```swift-run
            //| cache: y
            let helper = 3
            var y = helper
            ```

            ```swift-run
            func f(helper: Int) -> Int { helper * y }
            let g = [1, 2].map { helper in helper + 1 }
            for helper in 0..<2 { print(helper) }
            print(y.description, f(helper: 1), g)
            ```

            """)
        #expect(chapter.blockProblems.isEmpty)
    }
}
