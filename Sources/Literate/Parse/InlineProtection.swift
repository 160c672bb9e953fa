/// Math (`$…$`, `$$…$$`), wiki links (`[[Title]]`, `[[Title|label]]`), cross-references
/// (`@fig-depth`) and labels (`{#sec-rnn}` ending a heading or a display formula's line) in prose.
/// They are taken out of the text before cmark parses it — TeX's `\\` and `_` would otherwise be
/// read as Markdown — and come back as nodes of the chapter's tree (`InlineProtection.restore`).
public struct InlineSpan: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case math(tex: String, display: Bool)
        case wikiLink(target: String, label: String?)
        /// `@fig-…`, `@tbl-…`, `@sec-…`, `@eq-…`: Quarto's references to numbered things.
        case crossReference(label: String)
        /// `{#label}` at the end of a line: the id of the heading or display formula it ends.
        case label(String)
        /// `[@glorot2010, p. 8]` or `@he2016`, pandoc's citations (in a book with a bibliography).
        case citation(Citation)
        /// `` `{swift} expr` ``: a value the chapter computes, written into the prose (Quarto's
        /// syntax). `column` is the expression's, from 1, in bytes.
        case inlineValue(expression: String, column: Int)
    }

    /// The kinds of numbered things a cross-reference names, by its label's prefix.
    public static let referencePrefixes = ["fig-", "tbl-", "sec-", "eq-"]

    public let kind: Kind
    /// Where the span is in the file: line, and UTF-8 columns (from 0) of its first and past-last byte.
    public let line: Int
    public let columns: Range<Int>
    /// The span's text as written.
    public let source: String

    /// The text that stands for the span while cmark parses: private-use characters, which
    /// Markdown treats as letters and passes through untouched.
    static func placeholder(_ index: Int) -> String { "\u{E000}\(index)\u{E001}" }

    /// Fills the lines a multi-line formula leaves behind, so they are not blank (a blank line
    /// would end the paragraph); removed from the tree.
    static let filler = "\u{E002}"
}

enum InlineProtection {
    /// Finds the spans in `lines` (the chapter's lines, without line ends), skipping the lines of
    /// code blocks and the insides of code spans.
    /// With `citations`, pandoc's citations are spans too (a book with a bibliography).
    static func spans(in lines: [Substring], skipping codeLines: Set<Int>, citations: Bool = false) -> [InlineSpan] {
        var spans: [InlineSpan] = []
        var state = ScanState()
        for (index, line) in lines.enumerated() {
            let number = index + 1
            if codeLines.contains(number) { state.openCode = nil; continue }
            let first = spans.count
            let citing = citations && state.openCode == nil && state.openDisplay == nil && line.utf8.contains(UInt8(ascii: "@"))
            if citing { addCitations(in: line, number: number, to: &spans) }
            // A native string lends its bytes without a copy (a chapter can be tens of megabytes).
            let scanned: Void? = line.utf8.withContiguousStorageIfAvailable { bytes in
                scan(bytes, line: number, state: &state, spans: &spans)
            }
            if scanned == nil {
                Array(line.utf8).withUnsafeBufferPointer { scan($0, line: number, state: &state, spans: &spans) }
            }
            // `protect` replaces a line's spans from the right: they must be in the line's order.
            if citing && spans.count - first > 1 {
                spans[first...].sort { ($0.line, $0.columns.lowerBound) < ($1.line, $1.columns.lowerBound) }
            }
        }
        return spans
    }

    /// What continues from one line to the next: a display formula, a code span.
    struct ScanState {
        var openDisplay: (line: Int, column: Int, tex: String)?
        /// The length of the backtick run that opened a code span across lines.
        var openCode: Int?
    }

    /// Finds the spans that end on one line.
    private static func scan(_ bytes: UnsafeBufferPointer<UInt8>, line number: Int, state: inout ScanState,
                             spans: inout [InlineSpan]) {
        // Most lines of prose hold no `$`, backtick, `[`, `@` or `{`: nothing starts or ends on them.
        if state.openDisplay == nil && state.openCode == nil
            && !bytes.contains(where: { $0 == 36 || $0 == 96 || $0 == 91 || $0 == 64 || $0 == 123 }) {
            return
        }
        if bytes.allSatisfy({ $0 == 32 || $0 == 9 || $0 == 13 }) {
            // A blank line ends a paragraph: nothing inline continues past it.
            state.openDisplay = nil
            state.openCode = nil
            return
        }
        var i = 0
        if let display = state.openDisplay {
            // A display formula continued from an earlier line.
            if let close = find(bytes, "$$", from: 0) {
                let tex = display.tex + "\n" + String(decoding: bytes[0..<close], as: UTF8.self)
                spans.append(InlineSpan(kind: .math(tex: tex, display: true), line: display.line,
                                        columns: display.column..<Int.max, source: "$$" + tex + "$$"))
                state.openDisplay = nil
                i = close + 2
            } else {
                state.openDisplay!.tex += "\n" + String(decoding: bytes, as: UTF8.self)
                return
            }
        }
        while i < bytes.count {
            let byte = bytes[i]
            if let run = state.openCode {
                // Inside a code span that began on an earlier line.
                if byte == UInt8(ascii: "`") {
                    let length = runLength(bytes, from: i, of: byte)
                    if length == run { state.openCode = nil }
                    i += length
                } else {
                    i += 1
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "\\"):
                i += 2 // an escaped character, `\$` among them
            case UInt8(ascii: "`"):
                let length = runLength(bytes, from: i, of: byte)
                if let close = findRun(bytes, length: length, from: i + length) {
                    if let (expression, column) = inlineExpression(bytes, from: i + length, to: close) {
                        spans.append(InlineSpan(kind: .inlineValue(expression: expression, column: column), line: number,
                                                columns: i..<(close + length),
                                                source: String(decoding: bytes[i..<(close + length)], as: UTF8.self)))
                    }
                    i = close + length
                } else {
                    state.openCode = length
                    i += length
                }
            case UInt8(ascii: "$"):
                if i + 1 < bytes.count && bytes[i + 1] == UInt8(ascii: "$") {
                    if let close = find(bytes, "$$", from: i + 2) {
                        let tex = String(decoding: bytes[(i + 2)..<close], as: UTF8.self)
                        spans.append(InlineSpan(kind: .math(tex: tex, display: true), line: number,
                                                columns: i..<(close + 2), source: "$$" + tex + "$$"))
                        i = close + 2
                    } else {
                        state.openDisplay = (number, i, String(decoding: bytes[(i + 2)...], as: UTF8.self))
                        i = bytes.count
                    }
                } else if let close = inlineMathEnd(bytes, openingAt: i) {
                    let tex = String(decoding: bytes[(i + 1)..<close], as: UTF8.self)
                    spans.append(InlineSpan(kind: .math(tex: tex, display: false), line: number,
                                            columns: i..<(close + 1), source: "$" + tex + "$"))
                    i = close + 1
                } else {
                    i += 1
                }
            case UInt8(ascii: "["):
                if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "["), let close = find(bytes, "]]", from: i + 2) {
                    let inner = bytes[(i + 2)..<close]
                    if !inner.isEmpty, !inner.contains(UInt8(ascii: "[")), !inner.contains(UInt8(ascii: "]")) {
                        let text = String(decoding: inner, as: UTF8.self)
                        let parts = text.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
                        let target = parts[0].trimmingSpaces
                        let label = parts.count > 1 ? parts[1].trimmingSpaces : nil
                        spans.append(InlineSpan(kind: .wikiLink(target: target, label: label), line: number,
                                                columns: i..<(close + 2), source: "[[" + text + "]]"))
                        i = close + 2
                        continue
                    }
                }
                i += 1
            case UInt8(ascii: "@"):
                if let end = crossReferenceEnd(bytes, at: i) {
                    let label = String(decoding: bytes[(i + 1)..<end], as: UTF8.self)
                    spans.append(InlineSpan(kind: .crossReference(label: label), line: number, columns: i..<end, source: "@" + label))
                    i = end
                } else {
                    i += 1
                }
            case UInt8(ascii: "{"):
                if let end = labelEnd(bytes, at: i) {
                    let label = String(decoding: bytes[(i + 2)..<(end - 1)], as: UTF8.self)
                    spans.append(InlineSpan(kind: .label(label), line: number, columns: i..<end, source: "{#" + label + "}"))
                    i = end
                } else {
                    i += 1
                }
            default:
                i += 1
            }
        }
    }

    /// The citations of one line that lie outside code spans and outside the other spans the
    /// line will hold (found first here, then by the byte scan, which skips what is taken).
    private static func addCitations(in line: Substring, number: Int, to spans: inout [InlineSpan]) {
        let text = String(line)
        var taken: [Range<Int>] = []
        Array(text.utf8).withUnsafeBufferPointer { bytes in
            var i = 0
            while i < bytes.count {
                if bytes[i] == UInt8(ascii: "\\") { i += 2; continue }
                guard bytes[i] == UInt8(ascii: "`") || bytes[i] == UInt8(ascii: "$") else { i += 1; continue }
                let length = runLength(bytes, from: i, of: bytes[i])
                if bytes[i] == UInt8(ascii: "`") {
                    let close = findRun(bytes, length: length, from: i + length)
                    taken.append(i..<((close ?? bytes.count) + length))
                    i = (close ?? bytes.count) + length
                } else if length >= 2, let close = find(bytes, "$$", from: i + 2) {
                    taken.append(i..<(close + 2)); i = close + 2
                } else if let close = inlineMathEnd(bytes, openingAt: i) {
                    taken.append(i..<(close + 1)); i = close + 1
                } else {
                    i += length
                }
            }
            // A cross-reference is not a citation.
            for start in 0..<bytes.count where bytes[start] == UInt8(ascii: "@") {
                if let end = crossReferenceEnd(bytes, at: start) { taken.append(start..<end) }
            }
        }
        for found in CitationScanner.citations(in: text) {
            let start = text.utf8.distance(from: text.startIndex, to: found.range.lowerBound)
            let end = text.utf8.distance(from: text.startIndex, to: found.range.upperBound)
            guard !taken.contains(where: { $0.overlaps(start..<end) }) else { continue }
            spans.append(InlineSpan(kind: .citation(found.citation), line: number, columns: start..<end,
                                    source: String(text[found.range])))
        }
    }

    /// Every `` `{swift} expr` `` of a line outside other code spans: expression and column.
    static func inlineExpressions(in bytes: UnsafeBufferPointer<UInt8>) -> [(String, Int)] {
        var found: [(String, Int)] = []
        var i = 0
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "\\") { i += 2; continue }
            guard bytes[i] == UInt8(ascii: "`") else { i += 1; continue }
            let length = runLength(bytes, from: i, of: bytes[i])
            guard let close = findRun(bytes, length: length, from: i + length) else { break }
            if let value = inlineExpression(bytes, from: i + length, to: close) { found.append(value) }
            i = close + length
        }
        return found
    }

    /// The expression of a code span that reads `{swift} expr`, and its column (from 1), or nil.
    static func inlineExpression(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> (String, Int)? {
        var i = start
        if i < end && bytes[i] == 32 { i += 1 }
        let marker = Array("{swift}".utf8)
        guard end - i > marker.count, Array(bytes[i..<(i + marker.count)]) == marker, bytes[i + marker.count] == 32 else { return nil }
        i += marker.count
        while i < end && bytes[i] == 32 { i += 1 }
        var last = end
        while last > i && bytes[last - 1] == 32 { last -= 1 }
        guard last > i else { return nil }
        return (String(decoding: bytes[i..<last], as: UTF8.self), i + 1)
    }

    static func isLabelByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
    }

    /// Where `@fig-name` (or another reference prefix) that starts at `start` ends: the `@` not
    /// after a letter or digit (`a@fig-x.org` is an address), a known prefix, then at least one
    /// label character; a trailing `-` or `_` is punctuation, not label.
    static func crossReferenceEnd(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        if start > 0 && (isLabelByte(bytes[start - 1]) || bytes[start - 1] >= 0x80) { return nil }
        let prefix = InlineSpan.referencePrefixes.first { prefix in
            start + prefix.utf8.count < bytes.count
                && zip(prefix.utf8, bytes[(start + 1)...]).allSatisfy { $0 == $1 }
        }
        guard let prefix else { return nil }
        var end = start + 1 + prefix.utf8.count
        while end < bytes.count && isLabelByte(bytes[end]) { end += 1 }
        while end > start + 1 + prefix.utf8.count && (bytes[end - 1] == UInt8(ascii: "-") || bytes[end - 1] == UInt8(ascii: "_")) { end -= 1 }
        return end > start + 1 + prefix.utf8.count ? end : nil
    }

    /// Where `{#label}` that starts at `start` ends, if only spaces follow it on its line.
    static func labelEnd(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> Int? {
        guard start + 3 < bytes.count, bytes[start + 1] == UInt8(ascii: "#") else { return nil }
        var end = start + 2
        while end < bytes.count && isLabelByte(bytes[end]) { end += 1 }
        guard end > start + 2, end < bytes.count, bytes[end] == UInt8(ascii: "}"),
              bytes[(end + 1)...].allSatisfy(isSpace) else { return nil }
        return end + 1
    }

    /// Pandoc's rule: the opening `$` is followed by a non-space, the closing `$` follows a
    /// non-space and is not followed by a digit; `\$` does not close.
    static func inlineMathEnd(_ bytes: UnsafeBufferPointer<UInt8>, openingAt start: Int) -> Int? {
        guard start + 1 < bytes.count, !isSpace(bytes[start + 1]) else { return nil }
        var j = start + 1
        while j < bytes.count {
            if bytes[j] == UInt8(ascii: "\\") { j += 2; continue }
            if bytes[j] == UInt8(ascii: "$") {
                if j > start + 1, !isSpace(bytes[j - 1]),
                   !(j + 1 < bytes.count && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[j + 1])) {
                    return j
                }
                return nil
            }
            j += 1
        }
        return nil
    }

    static func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 13 }

    static func runLength(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, of byte: UInt8) -> Int {
        var end = start
        while end < bytes.count && bytes[end] == byte { end += 1 }
        return end - start
    }

    /// The next run of exactly `length` backticks.
    static func findRun(_ bytes: UnsafeBufferPointer<UInt8>, length: Int, from start: Int) -> Int? {
        var i = start
        while i < bytes.count {
            if bytes[i] == UInt8(ascii: "`") {
                let run = runLength(bytes, from: i, of: bytes[i])
                if run == length { return i }
                i += run
            } else {
                i += 1
            }
        }
        return nil
    }

    /// The first `pair` (two bytes, as `$$` or `]]`) at or after `start`, skipping escaped characters.
    static func find(_ bytes: UnsafeBufferPointer<UInt8>, _ pair: StaticString, from start: Int) -> Int? {
        let first = pair.utf8Start[0], second = pair.utf8Start[1]
        var i = start
        while i + 1 < bytes.count {
            if bytes[i] == UInt8(ascii: "\\") { i += 2; continue }
            if bytes[i] == first && bytes[i + 1] == second { return i }
            i += 1
        }
        return nil
    }

    /// The chapter's text with every span replaced by its placeholder (multi-line display math
    /// keeps its line breaks, so line numbers do not move).
    static func protect(_ text: String, spans: [InlineSpan]) -> String {
        guard !spans.isEmpty else { return text }
        var lines = text.splitLines().map { Array($0.utf8) }
        for (index, span) in spans.enumerated().reversed() {
            let placeholder = Array(InlineSpan.placeholder(index).utf8)
            let lineIndex = span.line - 1
            if span.columns.upperBound == Int.max {
                // Display math over several lines: the placeholder on the first, the rest emptied
                // up to the closing `$$`.
                // Line feeds counted as bytes: to Swift, a "\r\n" in the TeX is one character.
                let extra = span.source.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
                let lastIndex = lineIndex + extra
                let last = lines[lastIndex]
                let close = (last.withUnsafeBufferPointer { find($0, "$$", from: 0) } ?? last.count - 2) + 2
                let filler = Array(InlineSpan.filler.utf8)
                lines[lastIndex] = filler + Array(last[close...])
                for middle in (lineIndex + 1)..<lastIndex { lines[middle] = filler }
                lines[lineIndex] = Array(lines[lineIndex][..<span.columns.lowerBound]) + placeholder
            } else {
                var line = lines[lineIndex]
                line.replaceSubrange(span.columns, with: placeholder)
                lines[lineIndex] = line
            }
        }
        return lines.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n")
    }
}

extension InlineProtection {
    /// Turns the placeholders in the tree cmark parsed from `protect`'s text into math and
    /// wiki-link nodes, right after the parse: only text nodes hold spans, so nothing else (and
    /// nothing a block prints later) can pass for one. A placeholder that cmark put elsewhere —
    /// a URL, a title, raw HTML — is put back as written.
    static func restore(_ spans: [InlineSpan], in tree: inout MarkdownTree) {
        guard !spans.isEmpty else { return }
        var edits = MarkdownTree.Edits()
        for index in tree.indices {
            var node = tree[index]
            switch node.kind {
            case .text:
                guard let pieces = pieces(of: tree.bytes(node.literal), spanCount: spans.count) else { continue }
                var leaves: [MarkdownTree.Node] = []
                for piece in pieces {
                    switch piece {
                    case .text(let range):
                        leaves.append(.leaf(.text, literal: node.literal.part(range)))
                    case .span(let number):
                        leaves.append(leaf(for: spans[number], in: &tree))
                    }
                }
                edits.replace(index, by: leaves)
                continue
            case .link(let url, let title):
                node.kind = .link(url: asWritten(url, spans: spans, in: &tree), title: title.map { asWritten($0, spans: spans, in: &tree) })
            case .image(let url, let title):
                node.kind = .image(url: asWritten(url, spans: spans, in: &tree), title: title.map { asWritten($0, spans: spans, in: &tree) })
            case .codeBlock(let info):
                node.kind = .codeBlock(info: asWritten(info, spans: spans, in: &tree))
            default:
                break
            }
            node.literal = asWritten(node.literal, spans: spans, in: &tree)
            if node != tree[index] { tree[index] = node }
        }
        tree.apply(edits)
    }

    private static func leaf(for span: InlineSpan, in tree: inout MarkdownTree) -> MarkdownTree.Node {
        let line = Int32(clamping: span.line)
        switch span.kind {
        case .math(let tex, let display):
            return .leaf(.math(display: display), literal: tree.store(tex), line: line)
        case .wikiLink(let target, let label):
            return .leaf(.wikiLink(target: tree.store(target), label: label.map { tree.store($0) }),
                         literal: tree.store(span.source), line: line)
        case .crossReference(let label):
            return .leaf(.crossReference(label: tree.store(label)), literal: tree.store(span.source), line: line)
        case .label(let label):
            return .leaf(.label(id: tree.store(label)), literal: tree.store(span.source), line: line)
        case .citation:
            return .leaf(.citation, literal: tree.store(span.source), line: line)
        case .inlineValue:
            return .leaf(.inlineValue, literal: tree.store(span.source), line: line)
        }
    }

    /// Text with its placeholders put back as written and its fillers removed.
    private static func asWritten(_ range: MarkdownTree.TextRange, spans: [InlineSpan], in tree: inout MarkdownTree) -> MarkdownTree.TextRange {
        let bytes = tree.bytes(range)
        guard let pieces = pieces(of: bytes, spanCount: spans.count) else { return range }
        var written: [UInt8] = []
        for piece in pieces {
            switch piece {
            case .text(let range): written += bytes.dropFirst(range.lowerBound).prefix(range.count)
            case .span(let number): written += spans[number].source.utf8
            }
        }
        return tree.store(written)
    }

    enum Piece: Equatable {
        case text(Range<Int>)
        case span(Int)
    }

    /// `bytes` cut at its placeholders and without its fillers (text as offsets from its start),
    /// or nil if it holds neither.
    static func pieces(of bytes: ArraySlice<UInt8>, spanCount: Int) -> [Piece]? {
        // All three marks are U+E000…U+E002: EE 80 80…82 in UTF-8.
        guard bytes.contains(0xEE) else { return nil }
        var pieces: [Piece] = []
        var start = bytes.startIndex, index = bytes.startIndex
        func mark(at index: Int) -> UInt8? {
            index + 2 < bytes.endIndex && bytes[index] == 0xEE && bytes[index + 1] == 0x80 ? bytes[index + 2] : nil
        }
        func cut(_ end: Int) {
            if start < end { pieces.append(.text((start - bytes.startIndex)..<(end - bytes.startIndex))) }
        }
        while index < bytes.endIndex {
            switch mark(at: index) {
            case 0x82:
                cut(index)
                index += 3
                start = index
            case 0x80:
                var end = index + 3
                while end < bytes.endIndex && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[end]) { end += 1 }
                guard end > index + 3, end - index < 24, mark(at: end) == 0x81,
                      let number = Int(String(decoding: bytes[(index + 3)..<end], as: UTF8.self)), number < spanCount else {
                    index += 3
                    continue
                }
                cut(index)
                pieces.append(.span(number))
                index = end + 3
                start = index
            default:
                index += 1
            }
        }
        cut(index)
        return pieces == [.text(0..<bytes.count)] ? nil : pieces
    }
}
