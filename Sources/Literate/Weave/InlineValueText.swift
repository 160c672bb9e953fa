import NotebookCore

/// What an inline value (`` `{swift} expr` ``) reads in the prose: the text its expression
/// printed, when it ran.
enum InlineValueText {
    static func value(of number: Int, in result: ChapterResult?) -> String? {
        guard let block = result?[block: number] else { return nil }
        // An inline claim (`` `{swift} claim(…)` ``) reads as a mark after the sentence it backs.
        if let claims = claimMark(block) { return claims.text }
        guard block.status == .ran else { return nil }
        return block.items.map { item in if case .text(let text) = item { text } else { "" } }.joined()
    }

    /// ✓ when the inline value's claims hold, ✗ when one does not; nil when it made none.
    static func claimMark(_ block: BlockResult) -> (text: String, holds: Bool, title: String)? {
        guard !block.claims.isEmpty else { return nil }
        let holds = block.claims.allSatisfy(\.holds)
        let title = block.claims.map { ($0.holds ? "Claim: " : "Claim not supported: ") + $0.statementLine
            + ($0.values.isEmpty ? "" : " (\($0.valuesText))") }.joined(separator: "; ")
        return (holds ? "✓" : "✗", holds, title)
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
            if let block = result?[block: number], let mark = claimMark(block) {
                html = "<span class=\"claim-mark\(mark.holds ? "" : " failed")\" role=\"img\" aria-label=\"\(HTMLWriter.escape(mark.title))\" title=\"\(HTMLWriter.escape(mark.title))\">\(mark.text)</span>"
            } else if let value = value(of: number, in: result) {
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
