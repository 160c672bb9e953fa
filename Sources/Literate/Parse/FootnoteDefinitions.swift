/// GFM's footnote definitions: `[^label]: text`, continued by the lines indented by four
/// columns (and a paragraph's lazy lines). cmark does not know them — it would read
/// `[^1]: word` as a link reference definition — so they are found in the chapter's lines,
/// emptied from the text cmark parses (line numbers do not move), and their text parsed apart
/// (`GFMBlocks`). Definitions are found at the top level of the chapter, where GFM's are
/// written; one inside a list item or block quote stays text.
struct FootnoteDefinition: Sendable, Equatable {
    /// The label as written, and as references find it (case folded).
    let label: String
    var key: String { label.lowercased() }
    /// The `[^label]:` line and the definition's last line (from 1).
    let startLine: Int
    let endLine: Int
    /// The definition's text: its first line's after the marker, then its other lines without
    /// their four columns of indentation. Line `i` is the chapter's line `startLine + i`.
    let body: [String]

    /// The definitions in `lines` (the chapter's, or the text cmark will parse), skipping the
    /// lines of code and HTML blocks, and those inside lists and block quotes (`nested`) that
    /// are indented (an unindented one is a lazy line there, which GFM reads as a definition).
    static func find(in lines: [Substring], skipping skipped: Set<Int>, nested: [ClosedRange<Int>]) -> [FootnoteDefinition] {
        var definitions: [FootnoteDefinition] = []
        var nestedIndex = 0
        var number = 1
        while number <= lines.count {
            let line = lines[number - 1]
            // Most lines do not open with `[^`: nothing to do.
            guard let marker = marker(line), !skipped.contains(number) else {
                number += 1
                continue
            }
            while nestedIndex < nested.count && nested[nestedIndex].upperBound < number { nestedIndex += 1 }
            if nestedIndex < nested.count && nested[nestedIndex].contains(number) && marker.indent > 0 {
                number += 1
                continue
            }
            let definition = collect(from: number, marker: marker, lines: lines, skipped: skipped)
            definitions.append(definition)
            number = definition.endLine + 1
        }
        return definitions
    }

    struct Marker {
        let label: String
        let indent: Int
        /// Where the definition's text starts on the line (UTF-8 offset).
        let contentStart: Int
    }

    /// `[^label]:` opening `line` (after at most three spaces), as cmark-gfm reads it: a label
    /// of anything but spaces, tabs, line ends and `]`, and the spaces after the colon.
    static func marker(_ line: Substring) -> Marker? {
        let bytes = line.utf8
        var index = bytes.startIndex
        var indent = 0
        while index < bytes.endIndex && bytes[index] == UInt8(ascii: " ") && indent < 4 {
            indent += 1
            index = bytes.index(after: index)
        }
        guard indent < 4, index < bytes.endIndex, bytes[index] == UInt8(ascii: "[") else { return nil }
        index = bytes.index(after: index)
        guard index < bytes.endIndex, bytes[index] == UInt8(ascii: "^") else { return nil }
        index = bytes.index(after: index)
        let labelStart = index
        while index < bytes.endIndex, !isLabelStop(bytes[index]) { index = bytes.index(after: index) }
        guard index > labelStart, index < bytes.endIndex, bytes[index] == UInt8(ascii: "]") else { return nil }
        let labelEnd = index
        index = bytes.index(after: index)
        guard index < bytes.endIndex, bytes[index] == UInt8(ascii: ":") else { return nil }
        index = bytes.index(after: index)
        while index < bytes.endIndex && (bytes[index] == UInt8(ascii: " ") || bytes[index] == UInt8(ascii: "\t")) {
            index = bytes.index(after: index)
        }
        return Marker(label: String(decoding: bytes[labelStart..<labelEnd], as: UTF8.self), indent: indent,
                      contentStart: bytes.distance(from: bytes.startIndex, to: index))
    }

    static func isLabelStop(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "]") || byte == 32 || byte == 9 || byte == 10 || byte == 13 || byte == 0
    }

    /// The definition opening on line `start`: its lines go on while they are blank, indented
    /// by four columns, or a lazy line of an open paragraph; blank lines at its end are not its.
    private static func collect(from start: Int, marker: Marker, lines: [Substring], skipped: Set<Int>) -> FootnoteDefinition {
        let first = String(decoding: lines[start - 1].utf8.dropFirst(marker.contentStart), as: UTF8.self)
        var body = [first]
        var fence = ParsedChapter.fence(opening: Substring(first))
        var paragraphOpen = fence == nil && opensParagraph(first)
        var lastContent = 0
        var number = start + 1
        while number <= lines.count {
            let line = lines[number - 1]
            if isBlank(line) {
                body.append("")
                paragraphOpen = false
                number += 1
                continue
            }
            if let content = dedented(line) {
                let text = String(content)
                if let open = fence {
                    if ParsedChapter.isClosingFence(content, fence: open) { fence = nil }
                } else if paragraphOpen && continuesParagraph(text) {
                    // still the same paragraph
                } else {
                    fence = ParsedChapter.fence(opening: content)
                    paragraphOpen = fence == nil && opensParagraph(text)
                }
                body.append(text)
            } else if paragraphOpen && fence == nil && !skipped.contains(number) && FootnoteDefinition.marker(line) == nil
                        && continuesParagraph(String(line)) {
                body.append(String(line))
            } else {
                break
            }
            lastContent = body.count - 1
            number += 1
        }
        return FootnoteDefinition(label: marker.label, startLine: start, endLine: start + lastContent,
                                  body: Array(body[...lastContent]))
    }

    private static func isBlank(_ line: Substring) -> Bool {
        line.utf8.allSatisfy { $0 == 32 || $0 == 9 || $0 == 13 }
    }

    /// The line without four columns of indentation (tabs stop every four), or nil if it has fewer.
    static func dedented(_ line: Substring) -> Substring? {
        var column = 0
        var index = line.utf8.startIndex
        while column < 4, index < line.utf8.endIndex {
            switch line.utf8[index] {
            case UInt8(ascii: " "): column += 1
            case UInt8(ascii: "\t"): column += 4 - column % 4
            default: return nil
            }
            index = line.utf8.index(after: index)
        }
        return column >= 4 ? line[index...] : nil
    }

    /// Whether cmark reads `line` after a paragraph's line as more of that paragraph (and not as
    /// a block that interrupts it).
    static func continuesParagraph(_ line: String) -> Bool {
        let tree = CmarkDocument.tree(markdown: "p\n" + line)
        return tree.nodes.count > 1 && tree[1].kind == .paragraph && tree.end(of: 1) == tree.nodes.count
    }

    /// Whether `line` alone leaves a paragraph open (at the end of a block quote or list item too).
    static func opensParagraph(_ line: String) -> Bool {
        let tree = CmarkDocument.tree(markdown: line)
        var index = 0
        while true {
            // The last child of `index`.
            var child = index + 1, last: Int?
            while child < tree.end(of: index) {
                last = child
                child = tree.end(of: child)
            }
            guard let last else { return false }
            switch tree[last].kind {
            case .paragraph: return true
            case .blockQuote, .list, .item: index = last
            default: return false
            }
        }
    }

    /// `text` with the definitions' lines emptied, so that cmark parses the rest alone.
    static func removing(_ definitions: [FootnoteDefinition], from text: String) -> String {
        guard !definitions.isEmpty else { return text }
        var lines = text.splitLines()
        for definition in definitions {
            for number in definition.startLine...definition.endLine where number <= lines.count {
                lines[number - 1] = ""
            }
        }
        return lines.joined(separator: "\n")
    }
}
