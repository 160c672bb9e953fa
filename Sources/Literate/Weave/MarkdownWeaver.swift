import NotebookCore

/// Weaves a chapter into Markdown: the source as written, byte for byte, with each block's
/// outputs inserted after it. Blocks read as `swift` on code-hosting sites; `//| echo: false`
/// blocks are left out, as in the HTML.
public struct MarkdownWeaver: ChapterWeaver {
    public let bookPlot: PlotStyle
    public let resolver: LinkResolver?

    /// Numbers of figures, tables, sections and equations, and where they are.
    var references: CrossReferences?
    /// The book's citations, if it has a bibliography.
    var citations: Citations?
    /// Whether blocks' claims are shown where a block does not say (book.yml's `claims:`).
    var bookClaims = ClaimDisplay.show

    public init(bookPlot: PlotStyle = .braille, resolver: LinkResolver? = nil) {
        self.bookPlot = bookPlot
        self.resolver = resolver
    }

    init(bookPlot: PlotStyle, resolver: LinkResolver?, references: CrossReferences, citations: Citations?) {
        self.init(bookPlot: bookPlot, resolver: resolver)
        self.references = references
        self.citations = citations
    }

    public func weave(_ chapter: ParsedChapter, _ result: ChapterResult?, diagnostics: inout [Diagnostic]) -> String {
        var text = chapter.chapter.source.text
        let lines = chapter.chapter.source.lines
        // Edits by line (from 0): a new text for the line, lines to insert after it, or removal.
        var replaced: [Int: String] = [:], inserted: [Int: [String]] = [:], removed = Set<Int>()
        let crlf = text.withUTF8 { bytes in !HTMLText.occurrences(of: [13, 10], in: bytes, limit: 1).isEmpty }
        let lineEnd = crlf ? "\r" : ""
        func original(_ index: Int) -> String {
            String(lines[index]) + (crlf && index < lines.count - 1 ? "\r" : "")
        }
        // Wiki links become relative links to the chapter's woven Markdown; math stays as written.
        // Cross-references read as their numbers, with links; labels become anchors, or the
        // numbers of their equations. Right to left, so that columns stay true.
        for (index, span) in chapter.spans.enumerated().reversed() {
            var bytes = Array((replaced[span.line - 1] ?? original(span.line - 1)).utf8)
            switch span.kind {
            case .wikiLink(let target, let label):
                guard let found = resolver?.resolve(target) else { continue }
                bytes.replaceSubrange(span.columns, with: Array("[\(label ?? target)](\(chapter.chapter.pathToRoot + found.slug).md)".utf8))
            case .crossReference(let label):
                guard let target = references?.targets[label] else { continue }
                let href = (target.slug == chapter.chapter.slug ? "" : chapter.chapter.pathToRoot + target.markdownFile) + "#" + target.id
                bytes.replaceSubrange(span.columns, with: Array("[\(target.text)](\(href))".utf8))
            case .label(let label):
                guard let target = references?.targets[label] else { continue }
                if target.kind == .equation {
                    // `$$ … $$ {#eq-x}` → `$$ … \tag{2.1}$$`, which code hosts' math numbers.
                    let before = Array(bytes[..<span.columns.lowerBound])
                    guard let close = (0..<max(0, before.count - 1)).last(where: { before[$0] == 36 && before[$0 + 1] == 36 }) else { continue }
                    let space = close > 0 && before[close - 1] == 32 ? "" : " "
                    var line = Array(before[..<close]) + Array("\(space)\\tag{\(target.number)} ".utf8) + Array(before[close...])
                    while line.last == 32 { line.removeLast() }
                    bytes = line + Array(bytes[span.columns.upperBound...])
                } else {
                    bytes.replaceSubrange(span.columns, with: Array("<a id=\"\(target.id)\"></a>".utf8))
                }
            case .citation(let citation):
                guard let citations else { continue }
                bytes.replaceSubrange(span.columns, with: Array(citations.markdown(citation).utf8))
            case .inlineValue:
                // Its value, for readers on a code host; as written when it has none.
                guard let number = chapter.inlineNumber(ofSpanAt: index), let value = InlineValueText.value(of: number, in: result) else { continue }
                bytes.replaceSubrange(span.columns, with: Array(value.utf8))
            case .math:
                continue
            }
            replaced[span.line - 1] = String(decoding: bytes, as: UTF8.self)
        }
        for block in chapter.blocks {
            let start = block.textStartLine - 1, end = min(block.textEndLine, lines.count) - 1
            guard start >= 0, start <= end else { continue }
            let prefix = MarkdownWeaver.containerPrefix(String(lines[end]))
            let pieces = MarkdownBlockWeaver(options: writerOptions(for: block, in: chapter, bookPlot: bookPlot, references: references, result: result),
                                             showClaims: showsClaims(block, bookClaims: bookClaims))
                .weave(block, result?[block: block.number])
            var output: [String] = []
            for piece in pieces {
                output.append(prefix.trimmingTrailingSpaces + lineEnd)
                for line in piece.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                    output.append((line.isEmpty ? prefix.trimmingTrailingSpaces : prefix + line) + lineEnd)
                }
            }
            if block.options.echo {
                replaced[start] = MarkdownWeaver.renameInfo(replaced[start] ?? original(start))
                inserted[end, default: []] += output
            } else {
                removed.formUnion(start...end)
                let kept = output.drop(while: { $0.allSatisfy { $0 == " " || $0 == ">" || $0 == "\r" } })
                inserted[end, default: []] += kept
            }
        }
        // The works the chapter cites, listed at its end, so the file stands on its own.
        if let citations, case let entries = citations.entries(citedIn: chapter), !entries.isEmpty, !lines.isEmpty {
            let list = ReferenceList(entries, labels: citations.labels)
            var written = ["", "## References"]
            for entry in list.entries {
                // The anchor citations link to; code hosts keep `id`s of empty anchors.
                written += ["", "<a id=\"ref-\(entry.key)\"></a>" + list.markdown(for: entry).replacingOccurrences(of: "\n", with: " ")]
            }
            let last = lines.count - 1 - (lines.last?.isEmpty == true ? 1 : 0)
            inserted[max(0, last), default: []] += written
        }
        let edited = Set(replaced.keys).union(inserted.keys).union(removed).sorted()
        guard !edited.isEmpty else { return text }
        return text.withUTF8 { bytes -> String in
            // Lines are joined by "\n" as in the source; untouched runs are copied as bytes.
            var out = [UInt8]()
            out.reserveCapacity(bytes.count + 4096)
            var first = true
            func emit(_ line: String) {
                if !first { out.append(10) }
                out.append(contentsOf: line.utf8)
                first = false
            }
            var starts = [0]
            starts.reserveCapacity(lines.count)
            for i in 0..<bytes.count where bytes[i] == 10 { starts.append(i + 1) }
            var next = 0
            for index in edited {
                if index > next {
                    // Lines next..<index, untouched, with the "\n"s between them.
                    let from = starts[next], to = starts[index] - 1
                    if !first { out.append(10) }
                    out.append(contentsOf: bytes[from..<to])
                    first = false
                }
                if !removed.contains(index) { emit(replaced[index] ?? original(index)) }
                for line in inserted[index] ?? [] { emit(line) }
                next = index + 1
            }
            if next < lines.count {
                if !first { out.append(10) }
                out.append(contentsOf: bytes[starts[next]...])
            }
            return String(decoding: out, as: UTF8.self)
        }
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
