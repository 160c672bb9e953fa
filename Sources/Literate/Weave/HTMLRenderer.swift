/// Writes a Markdown tree as HTML, byte for byte as cmark 0.30's `cmark_render_html` with
/// `CMARK_OPT_UNSAFE` writes the same document (its html.c: a line feed before a block unless
/// one is there, tight lists without `<p>`, an image's description as plain text in `alt`,
/// houdini's escaping of text and URLs). Legend's own: woven HTML as raw HTML, a heading with
/// an `id` with a link to itself, and math or wiki links the weave did not rewrite as written.
struct HTMLRenderer {
    /// The page being written: a buffer of our own, as pages are tens of megabytes written in
    /// millions of small pieces.
    private var out: UnsafeMutablePointer<UInt8>
    private var count = 0
    private var capacity: Int
    private let parsedText: UnsafeBufferPointer<UInt8>
    private let wovenText: UnsafeBufferPointer<UInt8>

    /// The whole document.
    static func html(_ tree: MarkdownTree) -> String {
        html(tree, nodes: tree.indices, capacity: tree.parsedText.count + tree.parsedText.count / 4 + tree.wovenText.count + 1024)
    }

    /// The content of one node (a heading's, for its title).
    static func html(childrenOf index: MarkdownTree.Index, in tree: MarkdownTree) -> String {
        html(tree, nodes: (index + 1)..<tree.end(of: index), capacity: 256)
    }

    private static func html(_ tree: MarkdownTree, nodes range: Range<MarkdownTree.Index>, capacity: Int) -> String {
        tree.nodes.withUnsafeBufferPointer { nodes in
            tree.parsedText.withUnsafeBufferPointer { parsedText in
                tree.wovenText.withUnsafeBufferPointer { wovenText in
                    var renderer = HTMLRenderer(out: .allocate(capacity: capacity), capacity: capacity,
                                                parsedText: parsedText, wovenText: wovenText)
                    defer { renderer.out.deallocate() }
                    renderer.render(nodes, range)
                    return String(decoding: UnsafeBufferPointer(start: renderer.out, count: renderer.count), as: UTF8.self)
                }
            }
        }
    }

    private func bytes(_ range: MarkdownTree.TextRange) -> UnsafeBufferPointer<UInt8> {
        UnsafeBufferPointer(rebasing: (range.isWoven ? wovenText : parsedText)[range.range])
    }

    private typealias Nodes = UnsafeBufferPointer<MarkdownTree.Node>

    private mutating func render(_ nodes: Nodes, _ range: Range<MarkdownTree.Index>) {
        // The containers entered and not yet left, and where their subtrees end.
        var open: [(index: Int, end: Int)] = []
        open.reserveCapacity(32)
        var index = range.lowerBound
        while index < range.upperBound {
            while let last = open.last, last.end <= index {
                open.removeLast()
                leave(nodes[last.index], open: open, nodes)
            }
            let node = nodes[index]
            let end = Int(node.end)
            switch node.kind {
            case .text:
                escape(bytes(node.literal))
            case .softBreak:
                append(10)
            case .document, .item, .blockQuote, .list, .paragraph, .heading, .emphasis, .strong, .link:
                enter(node, open: open, nodes)
                if end > index + 1 {
                    open.append((index, end))
                } else {
                    leave(node, open: open, nodes)
                }
            case .image(let url, let title):
                put("<img src=\"")
                escapeHref(bytes(url))
                put("\" alt=\"")
                // The description as text; cmark ignores the markup inside it.
                for inner in (index + 1)..<end {
                    writePlain(nodes[inner])
                }
                if let title {
                    put("\" title=\"")
                    escape(bytes(title))
                }
                put("\" />")
                index = end
                continue
            case .codeBlock(let info):
                newLine()
                if info.count == 0 {
                    put("<pre><code>")
                } else {
                    let info = bytes(info)
                    let firstWord = info.firstIndex(where: HTMLRenderer.isSpace) ?? info.endIndex
                    put("<pre><code class=\"language-")
                    escape(UnsafeBufferPointer(rebasing: info[..<firstWord]))
                    put("\">")
                }
                escape(bytes(node.literal))
                put("</code></pre>\n")
            case .htmlBlock, .wovenBlock:
                newLine()
                append(bytes(node.literal))
                newLine()
            case .thematicBreak:
                newLine()
                put("<hr />\n")
            case .lineBreak:
                put("<br />\n")
            case .code:
                put("<code>")
                escape(bytes(node.literal))
                put("</code>")
            case .htmlInline, .wovenInline:
                append(bytes(node.literal))
            case .math, .wikiLink, .crossReference:
                // Not rewritten: as written.
                escape(bytes(node.literal))
            case .label:
                // An id the weave did not attach to anything: not text the reader wrote to read.
                break
            }
            index += 1
        }
        while let last = open.popLast() {
            leave(nodes[last.index], open: open, nodes)
        }
    }

    private mutating func enter(_ node: MarkdownTree.Node, open: [(index: Int, end: Int)], _ nodes: Nodes) {
        switch node.kind {
        case .blockQuote:
            newLine()
            put("<blockquote>\n")
        case .list(let list):
            newLine()
            if !list.ordered {
                put("<ul>\n")
            } else if list.start == 1 {
                put("<ol>\n")
            } else {
                put("<ol start=\"\(list.start)\">\n")
            }
        case .item:
            newLine()
            put("<li>")
        case .heading(let level, let id):
            newLine()
            put("<h\(level)")
            if let id {
                put(" id=\"")
                escape(bytes(id))
                append(UInt8(ascii: "\""))
            }
            append(UInt8(ascii: ">"))
        case .paragraph:
            if !HTMLRenderer.isTight(open, nodes) {
                newLine()
                put("<p>")
            }
        case .emphasis: put("<em>")
        case .strong: put("<strong>")
        case .link(let url, let title):
            put("<a href=\"")
            escapeHref(bytes(url))
            if let title {
                put("\" title=\"")
                escape(bytes(title))
            }
            put("\">")
        default:
            break
        }
    }

    private mutating func leave(_ node: MarkdownTree.Node, open: [(index: Int, end: Int)], _ nodes: Nodes) {
        switch node.kind {
        case .blockQuote:
            newLine()
            put("</blockquote>\n")
        case .list(let list): put(list.ordered ? "</ol>\n" : "</ul>\n")
        case .item: put("</li>\n")
        case .heading(let level, let id):
            if let id {
                put(" <a class=\"anchor\" href=\"#")
                escape(bytes(id))
                put("\" aria-label=\"Link to this section\">#</a>")
            }
            put("</h\(level)>\n")
        case .paragraph:
            if !HTMLRenderer.isTight(open, nodes) { put("</p>\n") }
        case .emphasis: put("</em>")
        case .strong: put("</strong>")
        case .link: put("</a>")
        default: break
        }
    }

    /// A paragraph in an item of a tight list is written without `<p>`.
    private static func isTight(_ parents: [(index: Int, end: Int)], _ nodes: Nodes) -> Bool {
        guard parents.count >= 2, case .list(let list) = nodes[parents[parents.count - 2].index].kind else { return false }
        return list.tight
    }

    /// A node inside an image's description: its text only.
    private mutating func writePlain(_ node: MarkdownTree.Node) {
        switch node.kind {
        case .text, .code, .htmlInline, .math, .wikiLink: escape(bytes(node.literal))
        case .softBreak, .lineBreak: append(32)
        case .wovenInline:
            var plain = HTMLText.plainText(String(decoding: bytes(node.literal), as: UTF8.self))
            plain.withUTF8 { escape($0) }
        default: break
        }
    }

    /// A line feed unless the output is empty or ends with one (cmark's `cr`).
    private mutating func newLine() {
        if count > 0 && out[count - 1] != 10 { append(10) }
    }

    private mutating func put(_ string: String) {
        var string = string
        string.withUTF8 { append($0) }
    }

    private mutating func append(_ byte: UInt8) {
        reserve(1)
        out[count] = byte
        count += 1
    }

    private mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard let base = bytes.baseAddress else { return }
        reserve(bytes.count)
        (out + count).initialize(from: base, count: bytes.count)
        count += bytes.count
    }

    private mutating func reserve(_ more: Int) {
        guard count + more > capacity else { return }
        capacity = max(capacity * 2, count + more)
        let larger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        larger.initialize(from: out, count: count)
        out.deallocate()
        out = larger
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 32 || (9...13).contains(byte)
    }

    /// Text and attribute values: `&`, `<`, `>` and `"` as entities (houdini's escaping,
    /// not in secure mode).
    private mutating func escape(_ bytes: UnsafeBufferPointer<UInt8>) {
        // The four bytes are below 64: one bit each in a mask.
        let special: UInt64 = 1 << 34 | 1 << 38 | 1 << 60 | 1 << 62
        var start = 0, index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte < 64 && special & (1 << UInt64(byte)) != 0 else {
                index += 1
                continue
            }
            append(UnsafeBufferPointer(rebasing: bytes[start..<index]))
            switch byte {
            case UInt8(ascii: "&"): put("&amp;")
            case UInt8(ascii: "<"): put("&lt;")
            case UInt8(ascii: ">"): put("&gt;")
            default: put("&quot;")
            }
            index += 1
            start = index
        }
        append(UnsafeBufferPointer(rebasing: bytes[start..<index]))
    }

    /// A URL in an attribute (houdini's href escaping): bytes outside a safe set as `%XX`,
    /// `&` and `'` as entities.
    private mutating func escapeHref(_ bytes: UnsafeBufferPointer<UInt8>) {
        let hex = HTMLRenderer.hexDigits
        for byte in bytes {
            if HTMLRenderer.isHrefSafe(byte) {
                append(byte)
            } else if byte == UInt8(ascii: "&") {
                put("&amp;")
            } else if byte == UInt8(ascii: "'") {
                put("&#x27;")
            } else {
                append(UInt8(ascii: "%"))
                append(hex[Int(byte >> 4)])
                append(hex[Int(byte & 0xF)])
            }
        }
    }

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Letters, digits and `-_.+!*(),%#@?=;:/$~` pass through a URL unescaped.
    private static func isHrefSafe(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return "-_.+!*(),%#@?=;:/$~".utf8.contains(byte)
        }
    }
}
