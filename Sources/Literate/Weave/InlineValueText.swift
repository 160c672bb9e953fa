import NotebookCore

/// What an inline value (`` `{swift} expr` ``) reads in the prose: the text its expression
/// printed, when it ran.
enum InlineValueText {
    static func value(of number: Int, in result: ChapterResult?) -> String? {
        guard let block = result?[block: number], block.status == .ran else { return nil }
        return block.items.map { item in if case .text(let text) = item { text } else { "" } }.joined()
    }

    /// `text` with its `` `{swift} expr` `` spans replaced, in order, by `values` (a span whose
    /// value is nil — failed, not run — stays as written).
    static func filling(_ text: String, with values: [String?]) -> String {
        let bytes = Array(text.utf8)
        var out: [UInt8] = [], next = 0, index = 0
        bytes.withUnsafeBufferPointer { buffer in
            var i = 0
            while i < buffer.count {
                if buffer[i] == UInt8(ascii: "\\") { i += 2; continue }
                guard buffer[i] == UInt8(ascii: "`") else { i += 1; continue }
                let length = InlineProtection.runLength(buffer, from: i, of: buffer[i])
                guard let close = InlineProtection.findRun(buffer, length: length, from: i + length) else { break }
                if InlineProtection.inlineExpression(buffer, from: i + length, to: close) != nil {
                    if index < values.count, let value = values[index] {
                        out += buffer[next..<i]
                        out += Array(value.utf8)
                        next = close + length
                    }
                    index += 1
                }
                i = close + length
            }
        }
        out += bytes[min(next, bytes.count)...]
        return String(decoding: out, as: UTF8.self)
    }

    /// The inline values of a page: each node replaced by its value as text, or — failed or not
    /// run — by the expression, marked, with the reason in its title.
    static func rewrite(_ tree: inout MarkdownTree, chapter: ParsedChapter, result: ChapterResult?) {
        var number = chapter.blocks.count
        for index in tree.indices {
            guard case .inlineValue = tree[index].kind else { continue }
            number += 1
            var node = tree[index]
            let html: String
            if let value = value(of: number, in: result) {
                html = "<span class=\"inline-value\">\(HTMLWriter.escape(value))</span>"
            } else {
                let block = result?[block: number]
                let reason = block?.error ?? (block?.status == .notRun ? "not run: an earlier block failed" : "not run")
                let expression = chapter.inlineBlocks.first { $0.number == number }?.code ?? tree.literal(of: index)
                html = "<code class=\"inline-value \(block?.status == .failed ? "failed" : "not-run")\" title=\"\(HTMLWriter.escape(reason))\">\(HTMLWriter.escape(expression))</code>"
            }
            node.kind = .wovenInline
            node.literal = tree.store(html)
            tree[index] = node
        }
    }
}
