import NotebookCore

/// A chapter's blocks as one Swift program.
public struct TangledProgram: Sendable, Equatable {
    /// The text of `main.swift`.
    public let source: String
    /// The blocks it runs, in order.
    public let blocks: [Int]
    /// For each block, the lines of `main.swift` it spans (framing included), so that a
    /// diagnostic reported outside the mapped region (an unbalanced brace) still finds its block.
    let regions: [Region]

    struct Region: Sendable, Equatable {
        let block: Int
        let lines: ClosedRange<Int>
    }

    /// The block whose region holds `line` of `main.swift`.
    func block(atProgramLine line: Int) -> Int? {
        regions.last(where: { $0.lines.lowerBound <= line })?.block
    }
}

/// Turns a chapter into one program: each block framed by begin/end calls, and its code under
/// `#sourceLocation`, so compiler errors and traps name the Markdown file and line.
public struct Tangler: Sendable {
    public init() {}

    /// The program of `chapter`, running the blocks numbered in `blocks` (default: every block
    /// that is evaluated, not empty and free of option errors).
    /// - Parameter lineNeutral: number every block from line 1, so that the program (a cache key)
    ///   does not change when prose above a block moves it.
    public func tangle(_ chapter: ParsedChapter, blocks selected: [Int]? = nil, lineNeutral: Bool = false) -> TangledProgram {
        let numbers = selected ?? Tangler.runnableBlocks(of: chapter)
        // A cache key names the chapter as the book does, not as the path was typed (`legend
        // build book` and `cd book; legend build` share results).
        let shown = lineNeutral ? chapter.chapter.fileName : chapter.chapter.path
        let file = shown.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        var lines = [
            "// The program of \(shown), tangled by legend: edit the chapter, not this file.",
            "import Foundation",
            "import TensorForge",
            "import Notebook",
            SessionProtocol.start(seed: chapter.chapter.frontMatter.seed),
        ]
        var regions: [TangledProgram.Region] = []
        // swiftc takes time quadratic in the number of top-level statements, so runs of blocks
        // that declare nothing (no name later blocks could need) share one `do { }`.
        var inGroup = false
        for block in chapter.blocks where numbers.contains(block.number) {
            let groupable = !SwiftTokens.mayDeclareAtTopLevel(block.code)
            if groupable && !inGroup { lines.append("do {"); inGroup = true }
            if !groupable && inGroup { lines.append("}"); inGroup = false }
            let first = lines.count + 1
            lines.append(SessionProtocol.begin(block.number))
            // The `//|` option lines are left out (the location starts after them): they are
            // comments to the compiler, and presentation options must not change the program.
            lines.append("#sourceLocation(file: \"\(file)\", line: \(lineNeutral ? 1 : block.codeStartLine + block.optionLineCount))")
            lines.append(contentsOf: block.code.split(separator: "\n", omittingEmptySubsequences: false)
                .dropFirst(block.optionLineCount).map(String.init))
            lines.append("#sourceLocation()")
            lines.append(SessionProtocol.end(block.number))
            regions.append(.init(block: block.number, lines: first...lines.count))
        }
        if inGroup { lines.append("}") }
        return TangledProgram(source: lines.joined(separator: "\n") + "\n", blocks: numbers, regions: regions)
    }

    /// The blocks that run by default: evaluated, not empty, with valid options.
    static func runnableBlocks(of chapter: ParsedChapter) -> [Int] {
        chapter.blocks.filter { $0.options.eval && !$0.isEmpty && chapter.blockProblems[$0.number] == nil }.map(\.number)
    }
}
