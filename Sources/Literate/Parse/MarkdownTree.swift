/// A chapter's Markdown as Swift values: CommonMark's nodes as cmark parsed them
/// (`CmarkDocument` copies them in one walk), and Legend's own — math, wiki links, and the HTML
/// the weave puts in place of blocks. The weave rewrites the tree, then renders it once
/// (`HTMLRenderer`).
///
/// Built for chapters of tens of megabytes that are almost all prose: the nodes are one flat
/// array in document order, each knowing where its subtree ends, and all their text lives in
/// byte buffers. No node owns a string, so a node is a plain value and the array is one allocation.
struct MarkdownTree: Sendable {
    /// A node's position in `nodes`. Stable until `apply(_:)` adds or removes nodes.
    typealias Index = Int

    /// Bytes of the tree's text: a node's literal, a link's URL, a code block's info string.
    struct TextRange: Sendable, Equatable {
        /// Where the bytes start; the top bit tells the weave's text from the parsed text.
        fileprivate let location: UInt32
        let count: UInt32
        static let empty = TextRange(location: 0, count: 0)

        fileprivate static let wovenBit: UInt32 = 1 << 31
        var isWoven: Bool { location & TextRange.wovenBit != 0 }
        /// The bytes' offsets in their text.
        var range: Range<Int> {
            let start = Int(location & ~TextRange.wovenBit)
            return start..<(start + Int(count))
        }

        /// Part of these bytes, by offsets from their start.
        func part(_ offsets: Range<Int>) -> TextRange {
            precondition(offsets.upperBound <= Int(count), "\(offsets) is not within \(count) bytes")
            return TextRange(location: location + UInt32(offsets.lowerBound), count: UInt32(offsets.count))
        }
    }

    struct List: Sendable, Equatable {
        enum Delimiter: UInt8, Sendable { case none, period, parenthesis }
        var ordered: Bool
        var start: Int32
        var tight: Bool
        var delimiter: Delimiter
    }

    enum TableAlignment: UInt8, Sendable { case none, left, center, right }

    /// GitHub's alerts: a block quote whose first line is `[!NOTE]`, `[!TIP]`, ….
    enum Callout: UInt8, Sendable, CaseIterable {
        case note, tip, important, warning, caution

        /// The word of its marker and its class name.
        var name: String { String(describing: self) }
        var title: String { name.prefix(1).uppercased() + name.dropFirst() }
    }

    /// What a node is. A node's `literal` holds the text of leaves: a text's or a code span's
    /// characters, raw HTML, a code block's code, a formula's TeX, a wiki link as written.
    enum Kind: Sendable, Equatable {
        case document
        case blockQuote
        case list(List)
        case item
        case codeBlock(info: TextRange)
        case htmlBlock
        case paragraph
        /// A heading with an `id` (given by `HeadingAnchors`) is written with a link to itself.
        case heading(level: Int8, id: TextRange?)
        case thematicBreak
        case text
        /// A character written as a backslash escape (`\~`, `\[`): text that is never the
        /// markup of a GFM extension.
        case escapedText
        case softBreak
        case lineBreak
        case code
        case htmlInline
        case emphasis
        case strong
        case link(url: TextRange, title: TextRange?)
        case image(url: TextRange, title: TextRange?)
        /// `$…$` or `$$…$$` in prose.
        case math(display: Bool)
        /// `[[target]]` or `[[target|label]]` in prose.
        case wikiLink(target: TextRange, label: TextRange?)
        /// `@fig-depth` in prose: a reference to a numbered figure, table, section or equation.
        case crossReference(label: TextRange)
        /// `{#sec-rnn}` ending a heading's or a display formula's line: its id.
        case label(id: TextRange)
        /// `[@glorot2010, p. 8]` or `@he2016`: a citation, as written (its literal).
        case citation
        /// `` `{swift} expr` ``, as written: the chapter's inline values, in document order.
        case inlineValue
        /// HTML the weave chose for a block (its code and outputs): written as an HTML block is.
        case wovenBlock
        /// HTML the weave chose in running text (MathML, a resolved link): written as inline HTML is.
        case wovenInline
        // GitHub Flavored Markdown, made from cmark's nodes by `GFMBlocks` and `GFMInlines`.
        /// A pipe table: a header row, then body rows, each with as many cells as the header.
        case table
        case tableRow(header: Bool)
        case tableCell(header: Bool, alignment: TableAlignment)
        /// `~~text~~` or `~text~`.
        case strikethrough
        /// A list item that opens with `[ ]` or `[x]`.
        case taskItem(checked: Bool)
        /// A block quote that is a GitHub alert.
        case callout(Callout)
        /// `[^label]`: footnote `number` (in order of first reference), its `occurrence`-th reference.
        case footnoteReference(number: Int32, occurrence: Int32)
        /// The chapter's footnotes, after its last block.
        case footnoteSection
        /// A footnote's blocks, and how many references link back to it.
        case footnoteDefinition(number: Int32, references: Int32)
    }

    struct Node: Sendable, Equatable {
        var kind: Kind
        var literal: TextRange
        /// Index past the node's last descendant: its children are `index + 1 ..< end`.
        fileprivate(set) var end: Int32
        /// First and last line in the chapter (0 where cmark gives none: inlines).
        var line: Int32
        var endLine: Int32

        /// A container, for `Edits` (which sets where it ends).
        static func container(_ kind: Kind, line: Int32 = 0, endLine: Int32 = 0) -> Node {
            Node(kind: kind, literal: .empty, end: 0, line: line, endLine: endLine)
        }

        /// A node without children, for `Edits`.
        static func leaf(_ kind: Kind, literal: TextRange = .empty, line: Int32 = 0) -> Node {
            Node(kind: kind, literal: literal, end: 1, line: line, endLine: line)
        }
    }

    private(set) var nodes: [Node]
    /// The text cmark parsed (UTF-8), shared by every copy of the tree.
    private(set) var parsedText: [UInt8]
    /// The text the weave added (UTF-8): kept apart, so that weaving a page does not copy the
    /// chapter's text.
    private(set) var wovenText: [UInt8] = []

    subscript(index: Index) -> Node {
        get { nodes[index] }
        set {
            // Only what a node is and says may change in place, never its subtree.
            precondition(newValue.end == nodes[index].end, "a node's subtree changes through apply(_:)")
            nodes[index] = newValue
        }
    }

    var indices: Range<Index> { nodes.indices }

    /// The block nodes in document order: every node but the inlines of paragraphs and headings,
    /// which are most of a chapter's nodes.
    var blocks: some Sequence<Index> {
        sequence(first: 0) { index in
            let next: Index
            switch nodes[index].kind {
            case .paragraph, .heading: next = Int(nodes[index].end)
            default: next = index + 1
            }
            return next < nodes.count ? next : nil
        }.prefix { $0 < nodes.count }
    }

    func end(of index: Index) -> Index { Int(nodes[index].end) }

    func bytes(_ range: TextRange) -> ArraySlice<UInt8> {
        range.isWoven ? wovenText[range.range] : parsedText[range.range]
    }

    func string(_ range: TextRange) -> String {
        String(decoding: bytes(range), as: UTF8.self)
    }

    func literal(of index: Index) -> String { string(nodes[index].literal) }

    /// Keeps `string` in the tree's text, for a node to point at.
    mutating func store(_ string: String) -> TextRange {
        store(string.utf8)
    }

    mutating func store(_ bytes: some Collection<UInt8>) -> TextRange {
        let start = wovenText.count
        wovenText.append(contentsOf: bytes)
        precondition(wovenText.count < Int(TextRange.wovenBit), "over 2 GB of woven HTML in one chapter")
        return TextRange(location: UInt32(start) | TextRange.wovenBit, count: UInt32(wovenText.count - start))
    }

    /// Puts HTML the weave chose (a block's code and outputs) in the place of a code block.
    mutating func weave(_ html: String, inPlaceOf index: Index) {
        var node = self[index]
        node.kind = .wovenBlock
        node.literal = store(html)
        self[index] = node
    }

    /// The text a reader sees in a node, without markup: math as its TeX, a wiki link as its label.
    func plainText(of index: Index) -> String {
        var plain = ""
        for node in nodes[index..<end(of: index)] {
            switch node.kind {
            case .text, .escapedText, .code, .htmlInline, .math: plain += string(node.literal)
            case .softBreak, .lineBreak: plain += " "
            case .wikiLink(let target, let label): plain += string(label ?? target)
            default: break
            }
        }
        return plain
    }
}

extension MarkdownTree {
    /// Makes a tree in document order: a container is opened, its children added, then closed.
    struct Builder {
        private var nodes: [Node] = []
        private var text: [UInt8] = []
        private var open: [Int] = []

        init(textCapacity: Int) {
            text.reserveCapacity(textCapacity)
            // Prose makes about a node for every dozen bytes; space not used is never touched.
            nodes.reserveCapacity(textCapacity / 8 + 16)
        }

        mutating func store(_ bytes: UnsafeBufferPointer<UInt8>) -> TextRange {
            let start = text.count
            // 31-bit offsets keep nodes small; cmark's own tree of a 2 GB chapter would not fit
            // in memory long before.
            precondition(start + bytes.count < Int(TextRange.wovenBit), "a chapter's text over 2 GB")
            text.append(contentsOf: bytes)
            return TextRange(location: UInt32(start), count: UInt32(bytes.count))
        }

        mutating func open(_ kind: Kind, line: Int32 = 0, endLine: Int32 = 0) {
            open.append(nodes.count)
            nodes.append(Node(kind: kind, literal: .empty, end: 0, line: line, endLine: endLine))
        }

        mutating func close() {
            let index = open.removeLast()
            nodes[index].end = Int32(nodes.count)
        }

        mutating func leaf(_ kind: Kind, literal: TextRange = .empty, line: Int32 = 0, endLine: Int32 = 0) {
            precondition(nodes.count < Int32.max, "a chapter of over 2 billion Markdown nodes")
            nodes.append(Node(kind: kind, literal: literal, end: Int32(nodes.count + 1), line: line, endLine: endLine))
        }

        func tree() -> MarkdownTree {
            precondition(open.isEmpty, "a container left open: \(open)")
            return MarkdownTree(nodes: nodes, parsedText: text)
        }
    }

    /// Changes of the tree's shape, made in one pass by `apply(_:)`: nodes (each with its subtree)
    /// replaced by tokens — leaves, and containers opened and closed around them, which may
    /// span the replacements of several siblings (a strikethrough opens in one text and closes
    /// in a later one) — and tokens added at the end of the document. Indices are those before
    /// the change.
    struct Edits {
        enum Token: Sendable {
            case leaf(Node)
            case open(Node)
            case close
        }

        fileprivate var replacements: [(index: Index, by: [Token])] = []
        fileprivate var appended: [Token] = []

        var isEmpty: Bool { replacements.isEmpty && appended.isEmpty }

        /// Leaves are replaced in document order.
        mutating func replace(_ leaf: Index, by leaves: [Node]) {
            replace(subtree: leaf, by: leaves.map { .leaf($0) })
        }

        /// Nodes are replaced in document order, and never one inside another replaced.
        mutating func replace(subtree index: Index, by tokens: [Token]) {
            precondition(replacements.last.map { $0.index < index } ?? true, "replacements out of order at \(index)")
            replacements.append((index, tokens))
        }

        /// Tokens written after the document's last block.
        mutating func append(_ tokens: [Token]) {
            appended += tokens
        }
    }

    /// The tree with `edits` made: one pass that copies the nodes and sets every subtree's end.
    mutating func apply(_ edits: Edits) {
        guard !edits.isEmpty else { return }
        var result: [Node] = []
        result.reserveCapacity(nodes.count + edits.replacements.reduce(0) { $0 + $1.by.count } + edits.appended.count)
        // Open containers: where they end before the edits (nil for those the edits open), and
        // where they are after.
        var open: [(end: Int?, index: Int)] = []
        func closeOld(upTo index: Int) {
            while let last = open.last, let end = last.end, end <= index {
                open.removeLast()
                result[last.index].end = Int32(result.count)
            }
            // A container the edits opened must close inside its parent.
            if open.last?.end == nil, let parent = open.last(where: { $0.end != nil })?.end {
                precondition(parent > index, "an edit's container is still open where its parent ends, at node \(index)")
            }
        }
        func emit(_ token: Edits.Token) {
            switch token {
            case .leaf(var leaf):
                leaf.end = Int32(result.count + 1)
                result.append(leaf)
            case .open(let node):
                open.append((nil, result.count))
                result.append(node)
            case .close:
                guard let last = open.popLast(), last.end == nil else {
                    preconditionFailure("an edit closes a container it did not open")
                }
                result[last.index].end = Int32(result.count)
            }
        }
        var next = 0
        var index = 0
        while index < nodes.count {
            closeOld(upTo: index)
            let node = nodes[index]
            if next < edits.replacements.count && edits.replacements[next].index == index {
                for token in edits.replacements[next].by { emit(token) }
                next += 1
                index = Int(node.end)
                continue
            }
            var copy = node
            if node.end == index + 1 {
                copy.end = Int32(result.count + 1)
                result.append(copy)
            } else {
                open.append((Int(node.end), result.count))
                result.append(copy)
            }
            index += 1
        }
        // Everything but the document closes at the end; appended tokens go inside it.
        while open.count > 1, let last = open.last {
            precondition(last.end != nil, "an edit left a container open at the end")
            open.removeLast()
            result[last.index].end = Int32(result.count)
        }
        for token in edits.appended { emit(token) }
        while let last = open.popLast() {
            precondition(last.end != nil, "an edit left a container open at the end")
            result[last.index].end = Int32(result.count)
        }
        nodes = result
    }

    /// Keeps another tree's text in this one's, and gives a function that moves that tree's
    /// nodes here: their text ranges then point at the copy.
    mutating func adopt(textOf other: MarkdownTree) -> @Sendable (Node) -> Node {
        let parsedBase = UInt32(wovenText.count)
        wovenText.append(contentsOf: other.parsedText)
        let wovenBase = UInt32(wovenText.count)
        wovenText.append(contentsOf: other.wovenText)
        precondition(wovenText.count < Int(TextRange.wovenBit), "over 2 GB of woven text in one chapter")
        @Sendable func move(_ range: TextRange) -> TextRange {
            let base = range.isWoven ? wovenBase : parsedBase
            return TextRange(location: (UInt32(range.range.lowerBound) + base) | TextRange.wovenBit, count: range.count)
        }
        return { node in
            var node = node
            node.literal = move(node.literal)
            switch node.kind {
            case .link(let url, let title): node.kind = .link(url: move(url), title: title.map(move))
            case .image(let url, let title): node.kind = .image(url: move(url), title: title.map(move))
            case .codeBlock(let info): node.kind = .codeBlock(info: move(info))
            case .heading(let level, let id): node.kind = .heading(level: level, id: id.map(move))
            case .wikiLink(let target, let label): node.kind = .wikiLink(target: move(target), label: label.map(move))
            default: break
            }
            return node
        }
    }
}
