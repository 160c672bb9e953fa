import Testing
@testable import Literate

/// The three weavers write the same pieces of a block's results, each in its own format.
@Suite struct ChapterWeaverTests {
    let chapter = try! parse("# W\n\n```swift-run\nprint(\"kept\")\n```\n\n```swift-run\nfail()\n```\n\n```swift-run\nprint(\"later\")\n```\n")
    let result = ChapterResult(blocks: [
        BlockResult(status: .ran, items: [.text("kept\n")], stderr: "warned\n"),
        BlockResult(status: .failed, failure: [.error("boom", file: "book/01-test.md", line: 8)]),
        BlockResult(status: .notRun),
    ])

    @Test func everyWeaverShowsTheSamePieces() {
        let site = SiteWeaver(book: Book(path: "book", title: "B", plot: .braille, chapters: [], warnings: []),
                              chapters: [chapter], theme: try! Theme.load(from: [packageRoot + "/templates"]))
        let weavers: [any ChapterWeaver] = [HTMLWeaver(site: site), MarkdownWeaver(), TerminalWeaver(bookPlot: .braille)]
        for weaver in weavers {
            let text = weaver.weave(chapter, result)
            #expect(text.contains("kept") && text.contains("warned"), "\(type(of: weaver))")
            #expect(text.contains("book/01-test.md:8: error: boom"), "\(type(of: weaver))")
            #expect(text.contains("not run") || text.contains("Not run"), "\(type(of: weaver))")
        }
    }

    @Test func thePiecesOfABlock() {
        #expect(BlockPiece.pieces(of: chapter.blocks[0], result.blocks[0], showOutput: true) == [.text("kept\n"), .stderr("warned\n")])
        #expect(BlockPiece.pieces(of: chapter.blocks[0], result.blocks[0], showOutput: false) == [])
        #expect(BlockPiece.pieces(of: chapter.blocks[1], result.blocks[1], showOutput: false)
                == [.failure("book/01-test.md:8: error: boom", expected: false)])
        #expect(BlockPiece.pieces(of: chapter.blocks[2], result.blocks[2], showOutput: true) == [.notRun(.earlierFailure)])
        #expect(BlockPiece.pieces(of: chapter.blocks[2], nil, showOutput: true) == [.notRun(.draft)])
    }
}
