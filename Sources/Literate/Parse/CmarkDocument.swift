import CCmark
#if canImport(Glibc)
import Glibc
#endif

/// cmark, behind one door: the only file in Legend that sees a cmark pointer. It parses a
/// document, copies cmark's tree into a `MarkdownTree` in one walk, and frees it.
enum CmarkDocument {
    static func tree(markdown: String) -> MarkdownTree {
        var markdown = markdown
        return markdown.withUTF8 { source in
            guard let root = source.withMemoryRebound(to: CChar.self, { cmark_parse_document($0.baseAddress, $0.count, CMARK_OPT_DEFAULT) }) else {
                // cmark fails only when it cannot allocate.
                preconditionFailure("cmark could not parse a document of \(source.count) bytes")
            }
            defer { cmark_node_free(root) }
            return copy(root, source: source)
        }
    }

    private static func copy(_ root: OpaquePointer, source: UnsafeBufferPointer<UInt8>) -> MarkdownTree {
        var builder = MarkdownTree.Builder(textCapacity: source.count)
        // A link or image without a title gives cmark's one static empty string, while `""`
        // written as a title gives a string of its own (and `title=""` in the HTML): the
        // pointer tells them apart. A new link has no title.
        let probe = cmark_node_new(CMARK_NODE_LINK)
        let noTitle = cmark_node_get_title(probe)
        cmark_node_free(probe)

        func store(_ string: UnsafePointer<CChar>?) -> MarkdownTree.TextRange {
            guard let string else { return .empty }
            let bytes = UnsafeRawPointer(string).assumingMemoryBound(to: UInt8.self)
            return builder.store(UnsafeBufferPointer(start: bytes, count: strlen(string)))
        }
        func lines(_ node: OpaquePointer) -> (Int32, Int32) {
            (cmark_node_get_start_line(node), cmark_node_get_end_line(node))
        }
        func open(_ kind: MarkdownTree.Kind, _ node: OpaquePointer) {
            let (line, endLine) = lines(node)
            builder.open(kind, line: line, endLine: endLine)
        }
        func title(_ node: OpaquePointer) -> MarkdownTree.TextRange? {
            let title = cmark_node_get_title(node)
            return title == noTitle ? nil : store(title)
        }
        // Where each line starts in the source, found the first time a text needs it.
        var lineStarts: [Int] = []
        /// A text as nodes: cmark merges a backslash escape (`\~`) into the text around it, and
        /// GFM's extensions must not read an escaped `~`, `[` or `]` as markup, so those become
        /// `escapedText` nodes of their own.
        func text(_ node: OpaquePointer, _ literal: UnsafePointer<CChar>?) {
            guard let literal else { return builder.leaf(.text) }
            let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(literal).assumingMemoryBound(to: UInt8.self), count: strlen(literal))
            // An escape makes a text wider in the source than it is: most texts are not.
            guard strpbrk(literal, "~[]") != nil,
                  Int(cmark_node_get_end_column(node) - cmark_node_get_start_column(node)) + 1 > bytes.count,
                  let escaped = escapedPositions(node, bytes), !escaped.isEmpty else {
                return builder.leaf(.text, literal: builder.store(bytes))
            }
            var start = 0
            for position in escaped {
                if position > start { builder.leaf(.text, literal: builder.store(UnsafeBufferPointer(rebasing: bytes[start..<position]))) }
                builder.leaf(.escapedText, literal: builder.store(UnsafeBufferPointer(rebasing: bytes[position..<(position + 1)])))
                start = position + 1
            }
            if start < bytes.count { builder.leaf(.text, literal: builder.store(UnsafeBufferPointer(rebasing: bytes[start...]))) }
        }
        /// The offsets in `literal` of the `~`, `[` and `]` written as backslash escapes, found by
        /// reading the text's source beside it; nil where the two cannot be matched (an entity).
        func escapedPositions(_ node: OpaquePointer, _ literal: UnsafeBufferPointer<UInt8>) -> [Int]? {
            if lineStarts.isEmpty {
                lineStarts = [0]
                for index in source.indices where source[index] == 10 { lineStarts.append(index + 1) }
            }
            let line = Int(cmark_node_get_start_line(node)), column = Int(cmark_node_get_start_column(node))
            guard line >= 1, line <= lineStarts.count, column >= 1 else { return nil }
            var raw = lineStarts[line - 1] + column - 1
            var positions: [Int] = []
            var index = 0
            while index < literal.count {
                guard raw < source.count else { return nil }
                if source[raw] == UInt8(ascii: "\\"), raw + 1 < source.count, source[raw + 1] == literal[index],
                   ispunct(Int32(literal[index])) != 0 {
                    if "~[]".utf8.contains(literal[index]) { positions.append(index) }
                    raw += 2
                } else if source[raw] == literal[index] {
                    raw += 1
                } else {
                    return nil
                }
                index += 1
            }
            return positions
        }

        let iterator = cmark_iter_new(root)
        defer { cmark_iter_free(iterator) }
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER else {
                builder.close()
                continue
            }
            guard let node = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(node) {
            // Inlines first: they are most of a chapter's nodes.
            case CMARK_NODE_TEXT: text(node, cmark_node_get_literal(node))
            case CMARK_NODE_SOFTBREAK: builder.leaf(.softBreak)
            case CMARK_NODE_LINEBREAK: builder.leaf(.lineBreak)
            case CMARK_NODE_CODE: builder.leaf(.code, literal: store(cmark_node_get_literal(node)))
            case CMARK_NODE_HTML_INLINE: builder.leaf(.htmlInline, literal: store(cmark_node_get_literal(node)))
            case CMARK_NODE_EMPH: builder.open(.emphasis)
            case CMARK_NODE_STRONG: builder.open(.strong)
            case CMARK_NODE_LINK: builder.open(.link(url: store(cmark_node_get_url(node)), title: title(node)))
            case CMARK_NODE_IMAGE: builder.open(.image(url: store(cmark_node_get_url(node)), title: title(node)))
            case CMARK_NODE_DOCUMENT: open(.document, node)
            case CMARK_NODE_BLOCK_QUOTE: open(.blockQuote, node)
            case CMARK_NODE_LIST:
                let delimiter: MarkdownTree.List.Delimiter
                switch cmark_node_get_list_delim(node) {
                case CMARK_PERIOD_DELIM: delimiter = .period
                case CMARK_PAREN_DELIM: delimiter = .parenthesis
                default: delimiter = .none
                }
                open(.list(.init(ordered: cmark_node_get_list_type(node) == CMARK_ORDERED_LIST,
                                 start: cmark_node_get_list_start(node), tight: cmark_node_get_list_tight(node) != 0,
                                 delimiter: delimiter)), node)
            case CMARK_NODE_ITEM: open(.item, node)
            case CMARK_NODE_PARAGRAPH: open(.paragraph, node)
            case CMARK_NODE_HEADING: open(.heading(level: Int8(cmark_node_get_heading_level(node)), id: nil), node)
            case CMARK_NODE_CODE_BLOCK:
                let (line, endLine) = lines(node)
                builder.leaf(.codeBlock(info: store(cmark_node_get_fence_info(node))),
                             literal: store(cmark_node_get_literal(node)), line: line, endLine: endLine)
            case CMARK_NODE_HTML_BLOCK:
                let (line, endLine) = lines(node)
                builder.leaf(.htmlBlock, literal: store(cmark_node_get_literal(node)), line: line, endLine: endLine)
            case CMARK_NODE_THEMATIC_BREAK:
                let (line, endLine) = lines(node)
                builder.leaf(.thematicBreak, line: line, endLine: endLine)
            case let other:
                // Custom nodes are made by programs, never by cmark's parser.
                preconditionFailure("cmark parsed a node of type \(other.rawValue), which Legend does not know")
            }
        }
        return builder.tree()
    }
}
