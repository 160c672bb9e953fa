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
    /// The runs of included code, whose `#sourceLocation` names the file they were read from.
    var inclusions: [Inclusion] = []

    struct Region: Sendable, Equatable {
        let block: Int
        let lines: ClosedRange<Int>
    }

    /// Lines `lines` of `file`, included into a block at `include` (line and column) of the chapter.
    struct Inclusion: Sendable, Equatable {
        let block: Int
        let file: String
        let lines: ClosedRange<Int>
        let include: (line: Int, column: Int)

        static func == (a: Inclusion, b: Inclusion) -> Bool {
            a.block == b.block && a.file == b.file && a.lines == b.lines && a.include == b.include
        }
    }

    /// The included run that holds `line` of `file`, as the compiler names them.
    func inclusion(file: String, line: Int) -> Inclusion? {
        inclusions.first { $0.file == file && $0.lines.contains(line) }
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
    /// - Parameter positional: number the blocks by their place among those run, not as the
    ///   chapter numbers them (a checkpoint's key: a block added below the checkpoint renumbers
    ///   the inline values above it, which changes nothing they compute).
    public func tangle(_ chapter: ParsedChapter, blocks selected: [Int]? = nil, lineNeutral: Bool = false,
                       positional: Bool = false) -> TangledProgram {
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
        var inclusions: [TangledProgram.Inclusion] = []
        // swiftc takes time quadratic in the number of top-level statements, so runs of blocks
        // that declare nothing (no name later blocks could need) share one `do { }`.
        var inGroup = false
        // In document order: an inline value sees the blocks above it, not those below.
        let ordered = chapter.inlineBlocks.isEmpty ? chapter.blocks
            : chapter.allBlocks.inTextOrder()
        let running = ordered.filter { numbers.contains($0.number) }.map(\.number)
        let renumbered = positional ? Dictionary(uniqueKeysWithValues: running.enumerated().map { ($0.element, $0.offset + 1) }) : [:]
        for block in ordered where numbers.contains(block.number) {
            let number = renumbered[block.number] ?? block.number
            if let column = block.inlineColumn {
                if inGroup { lines.append("}"); inGroup = false }
                let first = lines.count + 1
                lines.append(SessionProtocol.begin(number))
                // The expression alone on its line, at its column, so that the compiler's
                // line:col is the prose's (a key leaves the column out: prose before it moves it).
                lines.append("LegendSession.inline({ () -> Any in")
                lines.append("#sourceLocation(file: \"\(file)\", line: \(lineNeutral ? 1 : block.codeStartLine))")
                lines.append(String(repeating: " ", count: lineNeutral ? 0 : column - 1) + block.code)
                lines.append("#sourceLocation()")
                lines.append("})")
                lines.append(SessionProtocol.end(number))
                regions.append(.init(block: block.number, lines: first...lines.count))
                continue
            }
            let groupable = !SwiftTokens.mayDeclareAtTopLevel(block.code)
            if groupable && !inGroup { lines.append("do {"); inGroup = true }
            if !groupable && inGroup { lines.append("}"); inGroup = false }
            let first = lines.count + 1
            lines.append(SessionProtocol.begin(number))
            // The `//|` option lines are left out (the location starts after them): they are
            // comments to the compiler, and presentation options must not change the program.
            let code = block.code.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(block.optionLineCount)
            let origins = chapter.chapter.lineMap.isIdentity
                ? code.indices.map { (file: file, line: (lineNeutral ? 1 : block.codeStartLine + block.optionLineCount) + $0 - code.startIndex) }
                : origins(code, of: block, in: chapter, file: file, lineNeutral: lineNeutral, inclusions: &inclusions)
            let kept = block.options.run.cache
            // As in a notebook, the block's last expression is shown (a Void one shows nothing).
            let shownCode = Tangler.showingLastValue(code.joined(separator: "\n"))
            let shownLines = shownCode.split(separator: "\n", omittingEmptySubsequences: false)
            var program = shownLines.enumerated().map { Checkpoints.Line.code($0.offset, String($0.element)) }
            if !kept.isEmpty {
                // Whether each name of the blocks above is a `var`: a kept one is passed `inout`.
                var variables: [String: Bool] = [:]
                for above in ordered.prefix(while: { $0.number != block.number }) where numbers.contains(above.number) && above.inlineColumn == nil {
                    for binding in BlockSyntax(above.displayCode).bindings { variables[binding.name] = binding.isVariable }
                }
                lines.append(SessionProtocol.checkpointBegin(number))
                program = Checkpoints.program(of: shownCode, block: number, keeping: kept, variablesAbove: variables)
            }
            var expected: (file: String, line: Int)?
            for line in program {
                switch line {
                case .code(let index, let text):
                    let origin = origins[index]
                    if expected.map({ $0.file != origin.file || $0.line != origin.line }) ?? true {
                        lines.append("#sourceLocation(file: \"\(origin.file)\", line: \(origin.line))")
                    }
                    lines.append(text)
                    expected = (origin.file, origin.line + 1)
                case .added(let text):
                    lines.append(text)
                    expected = nil
                case .option(let text, let line):
                    lines.append("#sourceLocation(file: \"\(file)\", line: \(lineNeutral ? 1 : chapter.chapter.lineMap.written(line)))")
                    lines.append(text)
                    expected = nil
                }
            }
            if program.isEmpty {
                lines.append("#sourceLocation(file: \"\(file)\", line: \(lineNeutral ? 1 : chapter.chapter.lineMap.written(block.textStartLine + 1 + block.optionLineCount)))")
            }
            lines.append("#sourceLocation()")
            if !kept.isEmpty { lines.append(SessionProtocol.checkpointEnd(number)) }
            lines.append(SessionProtocol.end(number))
            regions.append(.init(block: block.number, lines: first...lines.count))
        }
        if inGroup { lines.append("}") }
        var program = TangledProgram(source: lines.joined(separator: "\n") + "\n", blocks: numbers, regions: regions)
        program.inclusions = inclusions
        return program
    }

    /// Where each line of a block's code is, in a chapter with includes: the chapter's lines
    /// under its name and line, included lines under the included file's name and line (so a
    /// compiler error or a trap there names the line of that file).
    private func origins(_ code: ArraySlice<Substring>, of block: SwiftRunBlock, in chapter: ParsedChapter, file: String,
                         lineNeutral: Bool, inclusions: inout [TangledProgram.Inclusion]) -> [(file: String, line: Int)] {
        let map = chapter.chapter.lineMap
        let firstLine = block.textStartLine + 1 + block.optionLineCount
        let base = map.written(firstLine)
        // Paths as the book names them in a key (whatever folder the command was typed in).
        let bookFolder = String(chapter.chapter.path.dropLast(chapter.chapter.fileName.count))
        var origins: [(file: String, line: Int)] = []
        for offset in 0..<code.count {
            let line = firstLine + offset
            if let inclusion = map.inclusion(at: line) {
                var name = inclusion.file
                if lineNeutral && !bookFolder.isEmpty && name.hasPrefix(bookFolder) { name.removeFirst(bookFolder.count) }
                origins.append((name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""), inclusion.fileLine))
                if let last = inclusions.last, last.block == block.number, last.file == inclusion.file,
                   last.include == (inclusion.line, inclusion.column), last.lines.upperBound + 1 == inclusion.fileLine {
                    inclusions[inclusions.count - 1] = .init(block: block.number, file: inclusion.file, lines: last.lines.lowerBound...inclusion.fileLine,
                                                            include: last.include)
                } else {
                    inclusions.append(.init(block: block.number, file: inclusion.file, lines: inclusion.fileLine...inclusion.fileLine,
                                            include: (inclusion.line, inclusion.column)))
                }
            } else {
                let written = map.written(line)
                origins.append((file, lineNeutral ? written - base + 1 : written))
            }
        }
        return origins
    }

    /// `code` with its last statement, if it is an expression whose value would be dropped,
    /// passed to `LegendSession.displayLast`, on the same lines.
    static func showingLastValue(_ code: String) -> String {
        guard let range = BlockSyntax(code).lastValue else { return code }
        var bytes = Array(code.utf8)
        bytes.insert(UInt8(ascii: ")"), at: range.upperBound)
        bytes.insert(contentsOf: Array("LegendSession.displayLast(".utf8), at: range.lowerBound)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The blocks that run by default: evaluated, not empty, with valid options.
    static func runnableBlocks(of chapter: ParsedChapter) -> [Int] {
        chapter.allBlocks.filter { $0.options.eval && !$0.isEmpty && chapter.blockProblems[$0.number] == nil }.map(\.number)
    }
}
