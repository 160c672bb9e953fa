import NotebookCore

/// An inline value runs where it stands in the text, so it sees the blocks above it and no
/// others. The chapter's values are globals of one program and the tangler reads an inline value
/// inside a closure, so Swift compiles one that names a value of a block *below* and reads it
/// before it is set — a 0 or an empty string woven into the prose as if computed. That is an
/// error at the name instead.
enum InlineOrder {
    /// The errors of the chapter's inline values, by block number, in the chapter's text lines.
    /// `blocks` are all blocks, fenced and inline.
    static func problems(_ blocks: [SwiftRunBlock], path: String) -> [Int: [Diagnostic]] {
        guard blocks.contains(where: { $0.inlineColumn != nil }) else { return [:] }
        let ordered = blocks.filter { $0.options.eval && !$0.isEmpty }
            .inTextOrder()
        // Each fenced block's top-level names, where they are declared in the chapter.
        let declared: [[String: Int]?] = ordered.map { block in
            guard block.inlineColumn == nil else { return nil }
            var lines: [String: Int] = [:]
            for binding in BlockSyntax(block.displayCode).bindings where lines[binding.name] == nil {
                lines[binding.name] = block.textStartLine + 1 + block.optionLineCount + binding.line - 1
            }
            return lines
        }
        var problems: [Int: [Diagnostic]] = [:]
        var above = Set<String>()
        for (index, block) in ordered.enumerated() {
            guard let column = block.inlineColumn else {
                above.formUnion(declared[index]!.keys)
                continue
            }
            let syntax = BlockSyntax(block.code)
            var named = Set<String>()
            for use in syntax.uses where !above.contains(use.name) && !syntax.localNames.contains(use.name) && !named.contains(use.name) {
                guard let later = ordered.indices.first(where: { $0 > index && declared[$0]?[use.name] != nil }) else { continue }
                named.insert(use.name)
                let line = declared[later]![use.name]!
                problems[block.number, default: []].append(.error(
                    "`\(use.name)` is declared below this text, in \(ordered[later].name) (line \(line)), and an inline value sees only the blocks above it; move the text below that block, or the declaration above the text",
                    file: path, line: block.textStartLine, column: column + use.column - 1))
            }
        }
        return problems
    }
}
