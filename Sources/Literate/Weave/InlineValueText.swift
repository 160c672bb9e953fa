import NotebookCore

/// What an inline value (`` `{swift} expr` ``) reads in the prose: the text its expression
/// printed, when it ran.
enum InlineValueText {
    static func value(of number: Int, in result: ChapterResult?) -> String? {
        guard let block = result?[block: number], block.status == .ran else { return nil }
        return block.items.map { item in if case .text(let text) = item { text } else { "" } }.joined()
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
