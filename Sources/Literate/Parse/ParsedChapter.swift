/// A `swift-run` block of a chapter.
public struct SwiftRunBlock: Sendable, Equatable {
    /// The block's number in the chapter, from 1.
    public let number: Int
    /// Its code block in the chapter's tree.
    let node: MarkdownTree.Index
    /// The opening and closing fence lines, and the code's first line, in the chapter's file as
    /// written (lines an include brought in are the include's line).
    public let startLine: Int
    public let endLine: Int
    public let codeStartLine: Int
    /// The fence lines in the chapter's text, its includes expanded: where weavers splice.
    let textStartLine: Int
    let textEndLine: Int
    /// The code as written, option lines included.
    public let code: String
    public let options: BlockOptions
    /// How many `//|` lines open the code.
    let optionLineCount: Int
    /// For an inline value (`` `{swift} expr` `` in prose, run as a block of its own): the
    /// expression's column on its line. Nil for a fenced block.
    var inlineColumn: Int? = nil

    /// The code as the page shows it: without the option lines.
    public var displayCode: String {
        code.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(optionLineCount).joined(separator: "\n")
    }

    /// How messages name it: "block 3", or "the inline value `ratio * 2`".
    public var name: String { inlineColumn == nil ? "block \(number)" : "the inline value `\(code)`" }

    /// Whether there is anything to run besides options and blank lines.
    public var isEmpty: Bool { displayCode.allSatisfy(\.isWhitespace) }
}

extension Sequence where Element == SwiftRunBlock {
    /// The blocks and inline values in the order the text has them, which is the order they run:
    /// an inline value after the blocks above it, a caption's values right after their block.
    func inTextOrder() -> [SwiftRunBlock] {
        sorted { ($0.textStartLine, $0.inlineColumn ?? 0) < ($1.textStartLine, $1.inlineColumn ?? 0) }
    }
}

/// A chapter after parsing: its Markdown tree, its blocks and its title.
public struct ParsedChapter: Sendable {
    public let chapter: Chapter
    /// The chapter's Markdown, with its math and wiki links as nodes of their own.
    let tree: MarkdownTree
    public let blocks: [SwiftRunBlock]
    /// The prose's inline values, each run as a block numbered after the fenced ones, in
    /// document order.
    public let inlineBlocks: [SwiftRunBlock]
    /// The inline values of each block's captions (`//| caption: … {swift} expr …`, and
    /// `fig-cap:`, `tbl-cap:`), by block number and option key: their numbers, in the caption's
    /// order. They run right after their block.
    public let captionValues: [Int: [String: [Int]]]
    /// Every block the chapter's program runs, by number: the fenced ones, then the inline values.
    public var allBlocks: [SwiftRunBlock] { inlineBlocks.isEmpty ? blocks : blocks + inlineBlocks }

    /// The number of the inline value written as `span` (the n-th inline value is block
    /// `blocks.count + n`), or nil.
    func inlineNumber(ofSpanAt index: Int) -> Int? {
        guard case .inlineValue = spans[index].kind else { return nil }
        return blocks.count + spans[..<index].reduce(1) { count, span in
            if case .inlineValue = span.kind { count + 1 } else { count }
        }
    }
    /// Problems found while parsing. Errors attach to blocks in `blockProblems`.
    public let warnings: [Diagnostic]
    /// Errors that stop a block from running, by block number (bad options, unterminated fence).
    public let blockProblems: [Int: [Diagnostic]]
    /// The text of the first level-1 heading, else of the first heading.
    let headingTitle: String?
    /// Math and wiki links, in the order they are written.
    public let spans: [InlineSpan]

    public var title: String {
        chapter.tocTitle ?? chapter.frontMatter.title ?? headingTitle ?? chapter.slug
    }

    /// With `citations` (a book with a bibliography), pandoc's `[@key]` and `@key` are citations.
    public init(_ chapter: Chapter, citations: Bool = false) {
        self.chapter = chapter
        // A first parse finds the code blocks, whose text must stay as written; math and wiki
        // links elsewhere are then protected and the text parsed again.
        let body = chapter.markdownBody
        var tree = CmarkDocument.tree(markdown: body)
        var codeBlocks = ParsedChapter.codeBlocks(of: tree)
        var codeLines = Set(1...max(1, chapter.frontMatterLines))
        if chapter.frontMatterLines == 0 { codeLines = [] }
        for node in codeBlocks.map({ tree[$0] }) {
            codeLines.formUnion(Int(node.line)...Int(max(node.line, node.endLine)))
        }
        spans = InlineProtection.spans(in: chapter.source.lines, skipping: codeLines, citations: citations)
        // GFM's footnote definitions are found in the lines cmark will parse (math protected),
        // outside code and HTML blocks, and taken out of them (`FootnoteDefinition`).
        var text = InlineProtection.protect(body, spans: spans)
        let parsedLines = spans.isEmpty ? chapter.source.lines : text.splitLines()
        var literalLines = codeLines
        var nested: [ClosedRange<Int>] = []
        var child = 1
        while child < tree.nodes.count {
            switch tree[child].kind {
            case .list, .blockQuote: nested.append(Int(tree[child].line)...Int(max(tree[child].line, tree[child].endLine)))
            default: break
            }
            child = tree.end(of: child)
        }
        for index in tree.blocks where tree[index].kind == .htmlBlock {
            literalLines.formUnion(Int(tree[index].line)...Int(max(tree[index].line, tree[index].endLine)))
        }
        let definitions = FootnoteDefinition.find(in: parsedLines, skipping: literalLines, nested: nested)
        if !spans.isEmpty || !definitions.isEmpty {
            text = FootnoteDefinition.removing(definitions, from: text)
            tree = CmarkDocument.tree(markdown: text)
        }
        // A definition's lines are not link reference definitions.
        let notReferences = definitions.reduce(into: literalLines) { $0.formUnion($1.startLine...$1.endLine) }
        GFMBlocks.rewrite(&tree, lines: parsedLines, definitions: definitions, skipping: notReferences)
        InlineProtection.restore(spans, in: &tree)
        GFMInlines.rewrite(&tree, footnotes: definitions.map(\.key))
        codeBlocks = ParsedChapter.codeBlocks(of: tree)
        self.tree = tree
        // The first level-1 heading, else the first heading of any level (docs often start at ##).
        let headings = tree.blocks.filter { if case .heading = tree[$0].kind { true } else { false } }
        headingTitle = (headings.first { if case .heading(1, _) = tree[$0].kind { true } else { false } } ?? headings.first)
            .map { tree.plainText(of: $0) }
        var blocks: [SwiftRunBlock] = []
        var warnings = chapter.warnings
        var problems: [Int: [Diagnostic]] = [:]
        let lines = chapter.source.lines
        for index in codeBlocks {
            guard case .codeBlock(let infoText) = tree[index].kind else { continue }
            let startLine = Int(tree[index].line), endLine = Int(tree[index].endLine)
            let info = tree.string(infoText), literal = tree.literal(of: index)
            let fence = ParsedChapter.fence(opening: lines[line: startLine])
            let closed = fence.map { fence in
                endLine > startLine && ParsedChapter.isClosingFence(lines[line: endLine], fence: fence)
            } ?? true
            let isSwiftRun = info.split(whereSeparator: { $0 == " " || $0 == "\t" }).first == "swift-run"
            guard isSwiftRun else {
                if !closed {
                    warnings.append(.warning("this code fence is never closed, so the rest of the file is code; close it with \(fence!.character == "`" ? "```" : "~~~")",
                                             file: chapter.path, line: startLine))
                }
                continue
            }
            let number = blocks.count + 1
            let (options, optionLines, optionProblems) = BlockOptions.parse(
                literal, path: chapter.path, firstLine: startLine + 1)
            var blockProblems = optionProblems
            if !closed {
                blockProblems.append(.error("this swift-run block is never closed, so the rest of the file would be code; close it with \(String(repeating: fence!.character, count: fence!.length))",
                                            file: chapter.path, line: startLine))
            }
            let written = chapter.lineMap
            let block = SwiftRunBlock(number: number, node: index, startLine: written.written(startLine), endLine: written.written(endLine),
                                      codeStartLine: written.written(startLine + 1), textStartLine: startLine, textEndLine: endLine,
                                      code: literal, options: options, optionLineCount: optionLines)
            if block.isEmpty && blockProblems.isEmpty {
                warnings.append(.warning("swift-run block \(number) is empty, so there is nothing to run; add code or remove the block",
                                         file: chapter.path, line: startLine))
            }
            if !blockProblems.isEmpty { problems[number] = blockProblems }
            blocks.append(block)
        }
        self.blocks = blocks
        var inlineBlocks: [SwiftRunBlock] = []
        for span in spans {
            guard case .inlineValue(let expression, let column) = span.kind else { continue }
            let line = chapter.lineMap.written(span.line)
            inlineBlocks.append(SwiftRunBlock(number: blocks.count + inlineBlocks.count + 1, node: -1, startLine: line, endLine: line,
                                              codeStartLine: line, textStartLine: span.line, textEndLine: span.line,
                                              code: expression, options: BlockOptions(), optionLineCount: 0, inlineColumn: column))
        }
        // A caption's values run after their block: placed at its closing fence, in the
        // caption line's order; errors name the caption's line and column.
        var captionValues: [Int: [String: [Int]]] = [:]
        for block in blocks {
            let optionLines = block.code.split(separator: "\n", omittingEmptySubsequences: false).prefix(block.optionLineCount)
            for (offset, optionLine) in zip(optionLines.indices, optionLines) where optionLine.contains("{swift}") {
            let key = optionLine.drop(while: { $0 == " " || $0 == "\t" }).dropFirst(3).prefix(while: { $0 != ":" }).trimmingSpaces
            // The last line of a key is its value, as the options read it.
            guard BlockOptions.captionKeys.contains(key),
                  optionLines.lastIndex(where: { $0.drop(while: { $0 == " " || $0 == "\t" }).dropFirst(3).prefix(while: { $0 != ":" }).trimmingSpaces == key }) == offset
            else { continue }
            let textLine = block.textStartLine + 1 + offset - optionLines.startIndex
            let line = Array(optionLine.utf8)
            for (expression, column) in line.withUnsafeBufferPointer({ InlineProtection.inlineExpressions(in: $0) }) {
                let number = blocks.count + inlineBlocks.count + 1
                let written = chapter.lineMap.written(textLine)
                inlineBlocks.append(SwiftRunBlock(number: number, node: -1, startLine: written, endLine: written, codeStartLine: written,
                                                  textStartLine: block.textEndLine, textEndLine: block.textEndLine, code: expression,
                                                  options: BlockOptions(), optionLineCount: 0, inlineColumn: column))
                captionValues[block.number, default: [:]][key, default: []].append(number)
            }
            }
        }
        self.inlineBlocks = inlineBlocks
        self.captionValues = captionValues
        for (number, found) in Checkpoints.problems(blocks + inlineBlocks, path: chapter.path) {
            problems[number, default: []] += found
        }
        for (number, found) in InlineOrder.problems(blocks + inlineBlocks, path: chapter.path) {
            problems[number, default: []] += found
        }
        // Lines above are of the text, includes expanded; diagnostics name them as written.
        self.warnings = chapter.warnings + warnings.dropFirst(chapter.warnings.count).map(chapter.located)
        blockProblems = problems.mapValues { $0.map(chapter.located) }
    }

    static func codeBlocks(of tree: MarkdownTree) -> [MarkdownTree.Index] {
        tree.blocks.filter { if case .codeBlock = tree[$0].kind { true } else { false } }
    }

    struct Fence { let character: Character; let length: Int }

    /// The fence that opens a code block on `line`, or nil for an indented block.
    static func fence(opening line: Substring?) -> Fence? {
        guard let line else { return nil }
        let content = line.drop(while: { $0 == " " || $0 == ">" || $0 == "\t" || $0 == "-" || $0 == "*" || $0 == "+" || $0.isNumber || $0 == "." || $0 == ")" })
        guard let first = content.first, first == "`" || first == "~" else { return nil }
        let length = content.prefix(while: { $0 == first }).count
        return length >= 3 ? Fence(character: first, length: length) : nil
    }

    static func isClosingFence(_ line: Substring?, fence: Fence) -> Bool {
        guard let line else { return false }
        let content = line.drop(while: { $0 == " " || $0 == ">" || $0 == "\t" })
        let run = content.prefix(while: { $0 == fence.character }).count
        return run >= fence.length && content.dropFirst(run).allSatisfy { $0 == " " || $0 == "\t" || $0 == "\r" }
    }
}

extension Array where Element == Substring {
    /// Line `number` (from 1), or nil past the end.
    subscript(line number: Int) -> Substring? {
        number >= 1 && number <= count ? self[number - 1] : nil
    }
}
