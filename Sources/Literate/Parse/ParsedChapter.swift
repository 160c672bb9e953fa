/// A `swift-run` block of a chapter.
public struct SwiftRunBlock: Sendable, Equatable {
    /// The block's number in the chapter, from 1.
    public let number: Int
    /// Position among all code blocks of the chapter (cmark's order).
    let codeBlockIndex: Int
    /// The opening and closing fence lines.
    public let startLine: Int
    public let endLine: Int
    /// The code as written, option lines included.
    public let code: String
    public let options: BlockOptions
    /// How many `//|` lines open the code.
    let optionLineCount: Int

    /// The file line of the code's first line.
    public var codeStartLine: Int { startLine + 1 }

    /// The code as the page shows it: without the option lines.
    public var displayCode: String {
        code.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(optionLineCount).joined(separator: "\n")
    }

    /// Whether there is anything to run besides options and blank lines.
    public var isEmpty: Bool { displayCode.allSatisfy(\.isWhitespace) }
}

/// A chapter after parsing: its Markdown tree, its blocks and its title.
public final class ParsedChapter: @unchecked Sendable {
    // @unchecked: the cmark tree is only read after parsing, and rendered by one thread at a time.
    public let chapter: Chapter
    let document: CmarkDocument
    public let blocks: [SwiftRunBlock]
    /// Problems found while parsing. Errors attach to blocks in `blockProblems`.
    public let warnings: [Diagnostic]
    /// Errors that stop a block from running, by block number (bad options, unterminated fence).
    public let blockProblems: [Int: [Diagnostic]]
    let headings: [Heading]
    /// Math and wiki links, in the order of their placeholders.
    public let spans: [InlineSpan]

    public var title: String {
        chapter.frontMatter.title ?? headings.first(where: { $0.level == 1 })?.text ?? chapter.slug
    }

    public init(_ chapter: Chapter) {
        self.chapter = chapter
        // A first parse finds the code blocks, whose text must stay as written; math and wiki
        // links elsewhere are then protected and the text parsed again.
        let body = chapter.markdownBody
        var document = CmarkDocument(markdown: body)
        var codeLines = Set(1...max(1, chapter.frontMatterLines))
        if chapter.frontMatterLines == 0 { codeLines = [] }
        for block in document.codeBlocks { codeLines.formUnion(block.startLine...max(block.startLine, block.endLine)) }
        spans = InlineProtection.spans(in: chapter.source.lines, skipping: codeLines)
        if !spans.isEmpty {
            document = CmarkDocument(markdown: InlineProtection.protect(body, spans: spans))
        }
        self.document = document
        let spans = self.spans
        headings = document.headings.map { heading in
            Heading(level: heading.level, text: ParsedChapter.plainText(heading.text, spans: spans), line: heading.line)
        }
        var blocks: [SwiftRunBlock] = []
        var warnings = chapter.warnings
        var problems: [Int: [Diagnostic]] = [:]
        let lines = chapter.source.lines
        for codeBlock in document.codeBlocks {
            let fence = ParsedChapter.fence(opening: lines[line: codeBlock.startLine])
            let closed = fence.map { fence in
                codeBlock.endLine > codeBlock.startLine
                    && ParsedChapter.isClosingFence(lines[line: codeBlock.endLine], fence: fence)
            } ?? true
            let isSwiftRun = codeBlock.info.split(whereSeparator: { $0 == " " || $0 == "\t" }).first == "swift-run"
            guard isSwiftRun else {
                if !closed {
                    warnings.append(.warning("this code fence is never closed, so the rest of the file is code; close it with \(fence!.character == "`" ? "```" : "~~~")",
                                             file: chapter.path, line: codeBlock.startLine))
                }
                continue
            }
            let number = blocks.count + 1
            let (options, optionLines, optionProblems) = BlockOptions.parse(
                codeBlock.literal, path: chapter.path, firstLine: codeBlock.startLine + 1)
            var blockProblems = optionProblems
            if !closed {
                blockProblems.append(.error("this swift-run block is never closed, so the rest of the file would be code; close it with \(String(repeating: fence!.character, count: fence!.length))",
                                            file: chapter.path, line: codeBlock.startLine))
            }
            let block = SwiftRunBlock(number: number, codeBlockIndex: codeBlock.index, startLine: codeBlock.startLine,
                                      endLine: codeBlock.endLine, code: codeBlock.literal, options: options,
                                      optionLineCount: optionLines)
            if block.isEmpty && blockProblems.isEmpty {
                warnings.append(.warning("swift-run block \(number) is empty, so there is nothing to run; add code or remove the block",
                                         file: chapter.path, line: codeBlock.startLine))
            }
            if !blockProblems.isEmpty { problems[number] = blockProblems }
            blocks.append(block)
        }
        self.blocks = blocks
        self.warnings = warnings
        blockProblems = problems
    }

    /// Text with placeholders turned back into what a reader should see: a link's label, a
    /// formula's TeX.
    static func plainText(_ text: String, spans: [InlineSpan]) -> String {
        guard text.contains("\u{E000}") else { return text }
        var result = text
        for (index, span) in spans.enumerated() {
            let shown: String
            switch span.kind {
            case .math(let tex, _): shown = tex
            case .wikiLink(let target, let label): shown = label ?? target
            }
            result = result.replacingOccurrences(of: InlineSpan.placeholder(index), with: shown)
        }
        return result
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
