/// Writes a Markdown tree as HTML, byte for byte as cmark 0.30's `cmark_render_html` with
/// `CMARK_OPT_UNSAFE` writes the same document (its html.c: a line feed before a block unless
/// one is there, tight lists without `<p>`, an image's description as plain text in `alt`,
/// houdini's escaping of text and URLs). Legend's own: woven HTML as raw HTML, a heading with
/// an `id` with a link to itself, and math or wiki links the weave did not rewrite as written.
/// GFM's nodes as cmark-gfm 0.29 writes them (tables, `<del>`, task items' check boxes,
/// footnotes in a `<section class="footnotes">` with links back), and callouts as a `<div>`
/// with the role of a note and a title.
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
                leave(at: last.index, open: open, nodes)
            }
            let node = nodes[index]
            let end = Int(node.end)
            switch node.kind {
            case .text, .escapedText:
                escape(bytes(node.literal))
            case .softBreak:
                append(10)
            case .document, .item, .blockQuote, .list, .paragraph, .heading, .emphasis, .strong, .link,
                 .table, .tableRow, .tableCell, .strikethrough, .taskItem, .callout, .footnoteSection, .footnoteDefinition:
                enter(node, at: index, open: open, nodes)
                if end > index + 1 {
                    open.append((index, end))
                } else {
                    leave(at: index, open: open, nodes)
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
            case .math, .wikiLink, .crossReference, .citation, .inlineValue:
                // Not rewritten: as written.
                escape(bytes(node.literal))
            case .label:
                // An id the weave did not attach to anything: not text the reader wrote to read.
                break
            case .footnoteReference(let number, let occurrence):
                put("<sup class=\"footnote-ref\"><a href=\"#fn\(number)\" id=\"\(HTMLRenderer.referenceID(number, occurrence))\">\(number)</a></sup>")
            }
            index += 1
        }
        while let last = open.popLast() {
            leave(at: last.index, open: open, nodes)
        }
    }

    private mutating func enter(_ node: MarkdownTree.Node, at index: Int, open: [(index: Int, end: Int)], _ nodes: Nodes) {
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
        case .strikethrough: put("<del>")
        case .table:
            newLine()
            put("<table>\n")
        case .tableRow(let header):
            newLine()
            if header {
                put("<thead>\n")
            } else if let table = open.last, Int(nodes[table.index + 1].end) == index {
                // The first row after the header opens the body.
                put("<tbody>\n")
            }
            put("<tr>")
        case .tableCell(let header, let alignment):
            newLine()
            put(header ? "<th" : "<td")
            switch alignment {
            case .none: break
            case .left: put(" align=\"left\"")
            case .center: put(" align=\"center\"")
            case .right: put(" align=\"right\"")
            }
            append(UInt8(ascii: ">"))
        case .taskItem(let checked):
            newLine()
            put(checked ? "<li><input type=\"checkbox\" checked=\"\" disabled=\"\" /> " : "<li><input type=\"checkbox\" disabled=\"\" /> ")
        case .callout(let callout):
            newLine()
            put("<div class=\"callout callout-\(callout.name)\" role=\"note\">\n<p class=\"callout-title\">\(callout.title)</p>\n")
        case .footnoteSection:
            newLine()
            put("<section class=\"footnotes\">\n<ol>\n")
        case .footnoteDefinition(let number, _):
            newLine()
            put("<li id=\"fn\(number)\">\n")
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

    private mutating func leave(at index: Int, open: [(index: Int, end: Int)], _ nodes: Nodes) {
        let node = nodes[index]
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
            if let parent = open.last, case .footnoteDefinition(let number, let references) = nodes[parent.index].kind,
               Int(node.end) == parent.end {
                // A footnote's links back end its last paragraph.
                append(32)
                backReferences(number, references)
            }
            if !HTMLRenderer.isTight(open, nodes) { put("</p>\n") }
        case .emphasis: put("</em>")
        case .strong: put("</strong>")
        case .link: put("</a>")
        case .strikethrough: put("</del>")
        case .table:
            newLine()
            if index + 1 < Int(node.end) && nodes[index + 1].end < node.end { put("</tbody>\n") }
            put("</table>\n")
        case .tableRow(let header):
            newLine()
            put(header ? "</tr>\n</thead>\n" : "</tr>\n")
        case .tableCell(let header, _):
            put(header ? "</th>\n" : "</td>\n")
        case .taskItem: put("</li>\n")
        case .callout:
            newLine()
            put("</div>\n")
        case .footnoteSection:
            newLine()
            put("</ol>\n</section>\n")
        case .footnoteDefinition(let number, let references):
            var last = index + 1
            while last < Int(node.end) && Int(nodes[last].end) < Int(node.end) { last = Int(nodes[last].end) }
            let endsWithParagraph = last < Int(node.end) && nodes[last].kind == .paragraph
            if !endsWithParagraph {
                newLine()
                backReferences(number, references)
                append(10)
            }
            put("</li>\n")
        default: break
        }
    }

    /// The links from a footnote back to its references: `↩`, then `↩²`, `↩³`, … for later ones.
    private mutating func backReferences(_ number: Int32, _ references: Int32) {
        for occurrence in 1...max(1, references) {
            if occurrence > 1 { append(32) }
            put("<a href=\"#\(HTMLRenderer.referenceID(number, occurrence))\" class=\"footnote-backref\">↩")
            if occurrence > 1 { put("<sup>\(occurrence)</sup>") }
            put("</a>")
        }
    }

    /// The `id` of a footnote's reference: `fnref1`, and `fnref1-2` for its second.
    static func referenceID(_ number: Int32, _ occurrence: Int32) -> String {
        occurrence > 1 ? "fnref\(number)-\(occurrence)" : "fnref\(number)"
    }

    /// A paragraph in an item of a tight list is written without `<p>`.
    private static func isTight(_ parents: [(index: Int, end: Int)], _ nodes: Nodes) -> Bool {
        guard parents.count >= 2, case .list(let list) = nodes[parents[parents.count - 2].index].kind else { return false }
        return list.tight
    }

    /// A node inside an image's description: its text only.
    private mutating func writePlain(_ node: MarkdownTree.Node) {
        switch node.kind {
        case .text, .escapedText, .code, .htmlInline, .math, .wikiLink: escape(bytes(node.literal))
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
