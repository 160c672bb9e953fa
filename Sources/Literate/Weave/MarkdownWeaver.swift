/// Weaves a chapter into Markdown: the source as written, byte for byte, with each block's
/// outputs inserted after it. Blocks read as `swift` on code-hosting sites; `//| echo: false`
/// blocks are left out, as in the HTML.
public struct MarkdownWeaver: Sendable {
    public let bookPlot: String
    public let resolver: LinkResolver?

    public init(bookPlot: String = "braille", resolver: LinkResolver? = nil) {
        self.bookPlot = bookPlot
        self.resolver = resolver
    }

    public func weave(_ chapter: ParsedChapter, _ result: ChapterResult?) -> String {
        let text = chapter.chapter.source.text
        let crlf = text.contains("\r\n")
        var lines = text.splitLines().map(String.init)
        // Wiki links become relative links to the chapter's woven Markdown; math stays as written.
        if let resolver {
            for span in chapter.spans.reversed() {
                guard case .wikiLink(let target, let label) = span.kind, let found = resolver.resolve(target) else { continue }
                var bytes = Array(lines[span.line - 1].utf8)
                bytes.replaceSubrange(span.columns, with: Array("[\(label ?? target)](\(found.slug).md)".utf8))
                lines[span.line - 1] = String(decoding: bytes, as: UTF8.self)
            }
        }
        // From the last block up, so earlier line numbers stay valid.
        for block in chapter.blocks.reversed() {
            let start = block.startLine - 1, end = min(block.endLine, lines.count) - 1
            guard start >= 0, start <= end else { continue }
            let prefix = MarkdownWeaver.containerPrefix(lines[end])
            let pieces = MarkdownBlockWeaver(options: writerOptions(for: block, in: chapter, bookPlot: bookPlot))
                .weave(block, result?.blocks[safe: block.number - 1])
            var inserted: [String] = []
            for piece in pieces {
                inserted.append(prefix.trimmingTrailingSpaces + (crlf ? "\r" : ""))
                for line in piece.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                    inserted.append((line.isEmpty ? prefix.trimmingTrailingSpaces : prefix + line) + (crlf ? "\r" : ""))
                }
            }
            if block.options.echo {
                lines[start] = MarkdownWeaver.renameInfo(lines[start])
                lines.insert(contentsOf: inserted, at: end + 1)
            } else {
                lines.replaceSubrange(start...end, with: inserted.drop(while: { $0.allSatisfy { $0 == " " || $0 == ">" || $0 == "\r" } }))
            }
        }
        return lines.joined(separator: "\n")
    }

    /// What precedes the fence on its line: list indentation, `>` of block quotes.
    static func containerPrefix(_ line: String) -> String {
        String(line.prefix(while: { $0 == " " || $0 == ">" || $0 == "\t" }))
    }

    /// `swift-run` → `swift`, so the block is highlighted where the Markdown is read.
    static func renameInfo(_ line: String) -> String {
        guard let range = line.range(of: "swift-run") else { return line }
        return line.replacingCharacters(in: range, with: "swift")
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var text = self
        while text.last == " " { text.removeLast() }
        return text
    }
}

extension Array {
    subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
