/// GFM's tables and footnote definitions, made from cmark's tree and the chapter's lines.
///
/// A table is a paragraph to cmark: the paragraph whose lines hold a header row and a delimiter
/// row (`| --- | :-: |`) becomes a table (the lines before the header stay a paragraph). Rows are
/// cut into cells on the lines as written — an escaped `\|` is a pipe, not a border, even in a
/// code span — and the cells' inline content is parsed by cmark, all of a chapter's in one
/// document (`SubDocument`), with the chapter's link reference definitions, so a reference
/// link in a cell resolves. Footnote definitions (`FootnoteDefinition`) are parsed in the same
/// document and put in a footnote section at the end of the chapter; `GFMInlines` numbers the
/// referenced ones and drops the others.
enum GFMBlocks {
    /// Rewrites `tree` (cmark's parse of `lines`, with the definitions' lines emptied).
    static func rewrite(_ tree: inout MarkdownTree, lines: [Substring], definitions: [FootnoteDefinition],
                        skipping skipped: Set<Int>) {
        let tables = findTables(in: tree, lines: lines)
        guard !tables.isEmpty || !definitions.isEmpty else { return }
        var document = SubDocument()
        document.addReferenceDefinitions(from: lines, skipping: skipped)
        for table in tables { document.add(table) }
        for (index, definition) in definitions.enumerated() { document.add(definition, number: index) }
        let parsed = CmarkDocument.tree(markdown: document.text)
        let move = tree.adopt(textOf: parsed)
        let regions = document.blocks(of: parsed)

        func copy(_ index: MarkdownTree.Index, into tokens: inout [MarkdownTree.Edits.Token]) {
            GFMBlocks.copy(subtree: index, of: parsed, into: &tokens) { node in
                var node = move(node)
                if node.line > 0 {
                    node.line = document.sourceLine(node.line)
                    node.endLine = document.sourceLine(node.endLine)
                }
                return node
            }
        }

        var edits = MarkdownTree.Edits()
        for (number, table) in tables.enumerated() {
            var tokens: [MarkdownTree.Edits.Token] = []
            for block in regions[.leading(table: number)] ?? [] { copy(block, into: &tokens) }
            tokens.append(.open(.container(.table, line: Int32(table.headerLine), endLine: Int32(table.endLine))))
            for (row, cells) in table.rows.enumerated() {
                let line = Int32(table.headerLine + (row == 0 ? 0 : row + 1))
                tokens.append(.open(.container(.tableRow(header: row == 0), line: line, endLine: line)))
                for column in cells.indices {
                    tokens.append(.open(.container(.tableCell(header: row == 0, alignment: table.alignments[column]), line: line, endLine: line)))
                    // A cell is parsed as a paragraph that opens with a no-break space (so that it
                    // cannot open a block); the space is taken off its first text.
                    if let paragraph = regions[.cell(table: number, row: row, column: column)]?.first,
                       parsed[paragraph].kind == .paragraph {
                        var child = paragraph + 1
                        while child < parsed.end(of: paragraph) {
                            if child == paragraph + 1, parsed[child].kind == .text {
                                var text = move(parsed[child])
                                let dropped = min(Int(text.literal.count), SubDocument.cellOpening.utf8.count)
                                text.literal = text.literal.part(dropped..<Int(text.literal.count))
                                if text.literal.count > 0 { tokens.append(.leaf(text)) }
                            } else {
                                copy(child, into: &tokens)
                            }
                            child = parsed.end(of: child)
                        }
                    }
                    tokens.append(.close)
                }
                tokens.append(.close)
            }
            tokens.append(.close)
            for block in regions[.trailing(table: number)] ?? [] { copy(block, into: &tokens) }
            edits.replace(subtree: table.paragraph, by: tokens)
        }
        if !definitions.isEmpty {
            var tokens: [MarkdownTree.Edits.Token] = [.open(.container(.footnoteSection))]
            for (number, definition) in definitions.enumerated() {
                // Numbered by position for now; `GFMInlines` numbers them by first reference.
                tokens.append(.open(.container(.footnoteDefinition(number: Int32(number), references: 0),
                                          line: Int32(definition.startLine), endLine: Int32(definition.endLine))))
                for block in regions[.footnote(number)] ?? [] { copy(block, into: &tokens) }
                tokens.append(.close)
            }
            tokens.append(.close)
            edits.append(tokens)
        }
        tree.apply(edits)
    }

    /// Tokens that make a copy of `index`'s subtree in `tree`.
    static func copy(subtree index: MarkdownTree.Index, of tree: MarkdownTree, into tokens: inout [MarkdownTree.Edits.Token],
                     transform: (MarkdownTree.Node) -> MarkdownTree.Node = { $0 }) {
        var open: [Int] = []
        for inner in index..<tree.end(of: index) {
            while let last = open.last, last <= inner {
                open.removeLast()
                tokens.append(.close)
            }
            let node = transform(tree[inner])
            if tree.end(of: inner) == inner + 1 {
                tokens.append(.leaf(node))
            } else {
                tokens.append(.open(node))
                open.append(tree.end(of: inner))
            }
        }
        for _ in open { tokens.append(.close) }
    }

    // MARK: Tables

    /// How many empty cells may fill a table's short rows, at least (more if the table's text
    /// is longer).
    static let fillableCells = 65_536

    struct Table {
        /// The paragraph it was.
        let paragraph: MarkdownTree.Index
        /// Lines before the header, which stay a paragraph.
        let leading: [Substring]
        let leadingLine: Int
        let headerLine: Int
        let endLine: Int
        let alignments: [MarkdownTree.TableAlignment]
        /// The header's cells, then each body row's (as many as the header's).
        let rows: [[[UInt8]]]
        /// Lines after the table that are a paragraph again.
        let trailing: [Substring]
        var trailingLine: Int { endLine + 1 }
    }

    /// The paragraphs of `tree` that hold a table, in document order.
    static func findTables(in tree: MarkdownTree, lines: [Substring]) -> [Table] {
        var tables: [Table] = []
        // Containers entered, for the prefixes (`>`, a list item's indentation) of their lines.
        var open: [MarkdownTree.Index] = []
        var index = 0
        while index < tree.nodes.count {
            while let last = open.last, tree.end(of: last) <= index { open.removeLast() }
            let node = tree[index]
            switch node.kind {
            case .paragraph:
                if node.endLine > node.line, node.line >= 1, Int(node.endLine) <= lines.count,
                   let table = table(in: index, of: tree, lines: lines, containers: open) {
                    tables.append(table)
                }
                index = tree.end(of: index)
                continue
            case .heading, .codeBlock, .htmlBlock:
                index = tree.end(of: index)
                continue
            default:
                if tree.end(of: index) > index + 1 { open.append(index) }
            }
            index += 1
        }
        return tables
    }

    private static func table(in paragraph: MarkdownTree.Index, of tree: MarkdownTree, lines: [Substring],
                              containers: [MarkdownTree.Index]) -> Table? {
        let first = Int(tree[paragraph].line), last = Int(tree[paragraph].endLine)
        // A delimiter row holds only pipes, colons, hyphens and spaces: most paragraphs have none.
        guard (first + 1...last).contains(where: { looksLikeDelimiterRow(lines[$0 - 1]) }) else { return nil }
        let content = (first...last).map { ContainerPrefix.content(of: $0, lines: lines, containers: containers, in: tree) }
        for header in 0..<(content.count - 1) {
            // Indented by four columns, a line is a paragraph's text, never a delimiter row.
            guard content[header + 1].prefix(while: { $0 == " " }).count < 4,
                  let alignments = delimiterRow(Array(content[header + 1].utf8)) else { continue }
            let headerCells = cells(Array(content[header].utf8))
            guard headerCells.count == alignments.count else { continue }
            var rows = [headerCells]
            // Short rows are filled with empty cells, but not without limit (cmark-gfm limits
            // them too): a wide header over many one-cell lines would otherwise make a page
            // far larger than its chapter. The lines past the limit are text.
            var fillable = max(GFMBlocks.fillableCells, content[header...].reduce(0) { $0 + $1.utf8.count })
            var end = content.count
            for (offset, row) in content[(header + 2)...].enumerated() {
                var cells = cells(Array(row.utf8))
                if cells.count > alignments.count { cells.removeLast(cells.count - alignments.count) }
                fillable -= alignments.count - cells.count
                if fillable < 0 {
                    end = header + 2 + offset
                    break
                }
                while cells.count < alignments.count { cells.append([]) }
                rows.append(cells)
            }
            return Table(paragraph: paragraph, leading: Array(content[..<header]), leadingLine: first,
                         headerLine: first + header, endLine: first + end - 1, alignments: alignments, rows: rows,
                         trailing: Array(content[end...]))
        }
        return nil
    }

    private static func looksLikeDelimiterRow(_ line: Substring) -> Bool {
        var hyphen = false
        for byte in line.utf8 {
            switch byte {
            case UInt8(ascii: "-"): hyphen = true
            case UInt8(ascii: "|"), UInt8(ascii: ":"), 32, 9, 13, UInt8(ascii: ">"): continue
            default: return false
            }
        }
        return hyphen
    }

    /// A delimiter row's alignments (`---`, `:--`, `:-:`, `--:` between optional pipes), or nil.
    static func delimiterRow(_ row: [UInt8]) -> [MarkdownTree.TableAlignment]? {
        var alignments: [MarkdownTree.TableAlignment] = []
        for cell in cells(row, unescaping: false) {
            guard !cell.isEmpty else { return nil }
            let left = cell.first == UInt8(ascii: ":"), right = cell.last == UInt8(ascii: ":")
            let hyphens = cell.dropFirst(left ? 1 : 0).dropLast(right && cell.count > 1 ? 1 : 0)
            guard !hyphens.isEmpty, hyphens.allSatisfy({ $0 == UInt8(ascii: "-") }) else { return nil }
            alignments.append(left && right ? .center : left ? .left : right ? .right : .none)
        }
        return alignments.isEmpty ? nil : alignments
    }

    /// A row's cells, trimmed, cut at the pipes that are not escaped; a pipe opening or closing
    /// the row is not a border. `\|` in a cell is a pipe.
    static func cells(_ row: [UInt8], unescaping: Bool = true) -> [[UInt8]] {
        var start = 0, end = row.count
        while start < end && isSpace(row[start]) { start += 1 }
        while end > start && isSpace(row[end - 1]) { end -= 1 }
        guard start < end else { return [] }
        if row[start] == UInt8(ascii: "|") { start += 1 }
        var cells: [[UInt8]] = []
        var cellStart = start, index = start
        while index < end {
            if row[index] == UInt8(ascii: "\\") && index + 1 < end {
                index += 2
                continue
            }
            if row[index] == UInt8(ascii: "|") {
                cells.append(trimmed(row[cellStart..<index], unescaping: unescaping))
                cellStart = index + 1
            }
            index += 1
        }
        if cellStart < end || cells.isEmpty {
            cells.append(trimmed(row[cellStart..<end], unescaping: unescaping))
        }
        return cells
    }

    private static func trimmed(_ cell: ArraySlice<UInt8>, unescaping: Bool) -> [UInt8] {
        var cell = cell
        while let first = cell.first, isSpace(first) { cell = cell.dropFirst() }
        while let last = cell.last, isSpace(last) { cell = cell.dropLast() }
        guard unescaping, cell.contains(UInt8(ascii: "|")) else { return Array(cell) }
        var result: [UInt8] = []
        result.reserveCapacity(cell.count)
        var index = cell.startIndex
        while index < cell.endIndex {
            if cell[index] == UInt8(ascii: "\\"), index + 1 < cell.endIndex, cell[index + 1] == UInt8(ascii: "|") {
                result.append(UInt8(ascii: "|"))
                index += 2
            } else {
                result.append(cell[index])
                index += 1
            }
        }
        return result
    }

    private static func isSpace(_ byte: UInt8) -> Bool { byte == 32 || byte == 9 || byte == 13 }
}

/// The text of GFM's parts that cmark parses apart from the chapter — table cells, the lines
/// before a table, footnote definitions — as one document, after the chapter's link reference
/// definitions, each part in lines of its own; and where each part's blocks came from.
struct SubDocument {
    enum Region: Hashable {
        case references
        case leading(table: Int)
        case trailing(table: Int)
        case cell(table: Int, row: Int, column: Int)
        case footnote(Int)
    }

    /// What opens a cell's paragraph: a no-break space is not a space to Markdown's block
    /// structure (`1. x` in a cell stays text) but is whitespace to emphasis, like a line start.
    static let cellOpening = "\u{A0}"

    private(set) var text = ""
    private var lineCount = 0
    /// Per line of `text` (from 1): the chapter's line it stands for, and its region.
    private var sourceLines: [Int32] = []
    private var regions: [Region] = []
    private var tableCount = 0

    private mutating func add(_ line: some StringProtocol, from sourceLine: Int, in region: Region) {
        text += line
        text += "\n"
        lineCount += 1
        sourceLines.append(Int32(clamping: sourceLine))
        regions.append(region)
    }

    /// A blank line, which ends the part before.
    private mutating func separate() {
        add("", from: sourceLines.last.map(Int.init) ?? 0, in: regions.last ?? .references)
    }

    /// The chapter's lines that may define a link reference (`[label]: url`), each alone, so a
    /// cell or a footnote can use them.
    mutating func addReferenceDefinitions(from lines: [Substring], skipping skipped: Set<Int>) {
        for (index, line) in lines.enumerated() where !skipped.contains(index + 1) {
            let content = line.drop { $0 == " " || $0 == ">" || $0 == "\t" }
            guard content.first == "[", content.utf8.contains(UInt8(ascii: ":")), content.contains("]:") else { continue }
            add(content, from: index + 1, in: .references)
            separate()
        }
    }

    /// Tables are numbered in the order they are added.
    mutating func add(_ table: GFMBlocks.Table) {
        let number = tableCount
        tableCount += 1
        if !table.leading.isEmpty {
            for (offset, line) in table.leading.enumerated() {
                add(line, from: table.leadingLine + offset, in: .leading(table: number))
            }
            separate()
        }
        for (row, cells) in table.rows.enumerated() {
            for (column, cell) in cells.enumerated() {
                add(SubDocument.cellOpening + String(decoding: cell, as: UTF8.self),
                    from: table.headerLine + (row == 0 ? 0 : row + 1), in: .cell(table: number, row: row, column: column))
                separate()
            }
        }
        if !table.trailing.isEmpty {
            for (offset, line) in table.trailing.enumerated() {
                add(line, from: table.trailingLine + offset, in: .trailing(table: number))
            }
            separate()
        }
    }

    mutating func add(_ definition: FootnoteDefinition, number: Int) {
        var fence: ParsedChapter.Fence?
        for (offset, line) in definition.body.enumerated() {
            add(line, from: definition.startLine + offset, in: .footnote(number))
            if let open = fence {
                if ParsedChapter.isClosingFence(Substring(line), fence: open) { fence = nil }
            } else {
                fence = ParsedChapter.fence(opening: Substring(line))
            }
        }
        // A fence left open ends with its definition, as in GFM.
        if let fence {
            add(String(repeating: fence.character, count: fence.length), from: definition.endLine, in: .footnote(number))
        }
        separate()
    }

    /// The chapter's line for line `line` of the text.
    func sourceLine(_ line: Int32) -> Int32 {
        line >= 1 && Int(line) <= sourceLines.count ? sourceLines[Int(line) - 1] : 0
    }

    /// The top-level blocks of `tree` (cmark's parse of `text`) by the region they start in.
    func blocks(of tree: MarkdownTree) -> [Region: [MarkdownTree.Index]] {
        var blocks: [Region: [MarkdownTree.Index]] = [:]
        guard !tree.nodes.isEmpty else { return blocks }
        var child = 1
        while child < tree.end(of: 0) {
            let line = Int(tree[child].line)
            if line >= 1 && line <= regions.count {
                blocks[regions[line - 1], default: []].append(child)
            }
            child = tree.end(of: child)
        }
        return blocks
    }
}

/// What a container puts before its lines: `>` for a block quote, a list item's marker on
/// its first line and its indentation on the others. A lazy line has none of its own.
enum ContainerPrefix {
    /// Line `number` without the prefixes of `containers` (outermost first).
    static func content(of number: Int, lines: [Substring], containers: [MarkdownTree.Index], in tree: MarkdownTree) -> Substring {
        var rest = lines[number - 1]
        for (depth, container) in containers.enumerated() {
            switch tree[container].kind {
            case .blockQuote, .callout:
                let afterIndent = rest.drop(while: { $0 == " " })
                guard rest.count - afterIndent.count <= 3, afterIndent.first == ">" else { return rest }
                rest = afterIndent.dropFirst()
                if rest.first == " " || rest.first == "\t" { rest = rest.dropFirst() }
            case .item, .taskItem:
                let itemLine = Int(tree[container].line)
                guard itemLine >= 1 && itemLine <= lines.count else { return rest }
                let opening = itemLine == number ? rest
                    : content(of: itemLine, lines: lines, containers: Array(containers[..<depth]), in: tree)
                let (markerWidth, contentOffset) = itemOpening(opening)
                if itemLine == number {
                    rest = rest.dropFirst(markerWidth)
                } else {
                    let indent = rest.prefix(while: { $0 == " " }).count
                    if indent < contentOffset && !rest.allSatisfy({ $0 == " " || $0 == "\t" }) { return rest }
                    rest = rest.dropFirst(min(indent, contentOffset))
                }
            default:
                continue
            }
        }
        return rest
    }

    /// A list item's first line: how many characters its marker takes with the spaces after
    /// it, and the column of its content (CommonMark's rule: one to four spaces after the
    /// marker count, more make an indented code block that starts after one).
    private static func itemOpening(_ line: Substring) -> (markerWidth: Int, contentOffset: Int) {
        let indent = line.prefix(while: { $0 == " " }).count
        var rest = line.dropFirst(indent)
        var marker = 0
        if let first = rest.first, first == "-" || first == "+" || first == "*" {
            marker = 1
        } else {
            let digits = rest.prefix(while: { $0.isASCII && $0.isNumber }).count
            marker = digits + 1
        }
        rest = rest.dropFirst(marker)
        let spaces = rest.prefix(while: { $0 == " " }).count
        let after = spaces == 0 || spaces > 4 || spaces == rest.count ? 1 : spaces
        let width = indent + marker + min(spaces, after)
        return (width, width)
    }
}
