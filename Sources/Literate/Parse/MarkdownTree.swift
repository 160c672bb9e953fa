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
        /// HTML the weave chose for a block (its code and outputs): written as an HTML block is.
        case wovenBlock
        /// HTML the weave chose in running text (MathML, a resolved link): written as inline HTML is.
        case wovenInline
    }

    struct Node: Sendable, Equatable {
        var kind: Kind
        var literal: TextRange
        /// Index past the node's last descendant: its children are `index + 1 ..< end`.
        fileprivate(set) var end: Int32
        /// First and last line in the chapter (0 where cmark gives none: inlines).
        var line: Int32
        var endLine: Int32

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
            case .text, .code, .htmlInline, .math: plain += string(node.literal)
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

    /// Changes of the tree's shape, made in one pass by `apply(_:)`: leaves replaced by other
    /// leaves (none, one or more). Indices are those before the change.
    struct Edits {
        fileprivate var replacements: [(leaf: Index, by: [Node])] = []

        var isEmpty: Bool { replacements.isEmpty }

        /// Leaves are replaced in document order.
        mutating func replace(_ leaf: Index, by leaves: [Node]) {
            precondition(replacements.last.map { $0.leaf < leaf } ?? true, "replacements out of order at \(leaf)")
            replacements.append((leaf, leaves))
        }
    }

    /// The tree with `edits` made: one pass that copies the nodes and sets every subtree's end.
    mutating func apply(_ edits: Edits) {
        guard !edits.isEmpty else { return }
        var result: [Node] = []
        result.reserveCapacity(nodes.count + edits.replacements.reduce(0) { $0 + $1.by.count })
        // Open containers: where they end before the edits, and where they are after.
        var open: [(end: Int, index: Int)] = []
        var next = 0
        for index in nodes.indices {
            while let last = open.last, last.end <= index {
                open.removeLast()
                result[last.index].end = Int32(result.count)
            }
            var node = nodes[index]
            if next < edits.replacements.count && edits.replacements[next].leaf == index {
                precondition(node.end == index + 1, "node \(index) has children and cannot be replaced as a leaf")
                for var leaf in edits.replacements[next].by {
                    leaf.end = Int32(result.count + 1)
                    result.append(leaf)
                }
                next += 1
            } else if node.end == index + 1 {
                node.end = Int32(result.count + 1)
                result.append(node)
            } else {
                open.append((Int(node.end), result.count))
                result.append(node)
            }
        }
        while let last = open.popLast() {
            result[last.index].end = Int32(result.count)
        }
        nodes = result
    }
}
