import NotebookCore

/// Checkpointed blocks (`//| cache: model, history`): how the tangler writes them, and what
/// makes one an error (DESIGN.md, "Checkpoints").
///
/// A checkpointed block's program is the block with three changes, so that the same compiled
/// program either runs it or restores it:
/// - its statements (not its declarations) sit in `if LegendSession.runs(K) { … }`;
/// - a kept name declared in it starts from `LegendSession.restore(K, "name") { value }`, which
///   reads a `Codable` value or a `Tensor` from the checkpoint instead of computing it;
/// - after it, `legendKeep(K, "name", &name)` saves each kept name (or restores it: a `Module`
///   by loading its state dict), one line each, located at the name on the option line, so a
///   name that cannot be kept is a compiler error there.
///
/// A name the block declares but does not keep is not visible below it (an error where a block
/// below uses it), and a `var` of a block above that the block changes must be kept: so the
/// blocks below read kept values or values computed in this run, never one left stale.
enum Checkpoints {
    /// The errors of the chapter's checkpointed blocks, by block number, in the chapter's text
    /// lines. `blocks` are all blocks, fenced and inline.
    static func problems(_ blocks: [SwiftRunBlock], path: String) -> [Int: [Diagnostic]] {
        let ordered = blocks.filter { $0.options.eval && !$0.isEmpty }
            .inTextOrder()
        guard ordered.contains(where: { !$0.options.run.cache.isEmpty }) else { return [:] }
        let syntax = ordered.map { BlockSyntax($0.inlineColumn == nil ? $0.displayCode : $0.code) }
        var problems: [Int: [Diagnostic]] = [:]
        for (index, block) in ordered.enumerated() where !block.options.run.cache.isEmpty {
            let kept = block.options.run.cache
            let keptNames = Set(kept.map(\.name))
            let own = syntax[index]
            func textLine(_ line: Int, of other: Int) -> Int {
                ordered[other].textStartLine + 1 + ordered[other].optionLineCount + line - 1
            }
            func report(_ message: String, block number: Int, line: Int, column: Int?) {
                problems[number, default: []].append(.error(message, file: path, line: line, column: column))
            }
            for name in kept {
                if let binding = own.bindings.last(where: { $0.name == name.name }) {
                    let where_ = textLine(binding.line, of: index)
                    if binding.computed {
                        report("`\(name.name)` is computed, so there is nothing to keep; leave it out of `cache:`",
                               block: block.number, line: name.line, column: name.column)
                    } else if binding.initializer == nil && !binding.inTuple {
                        report("`\(name.name)` is kept by this block's checkpoint, so give it its first value where it is declared (`var \(name.name): [Double] = []`)",
                               block: block.number, line: where_, column: binding.column)
                    } else if binding.awaits {
                        report("`\(name.name)` is kept by this block's checkpoint, and its first value cannot be awaited; compute it in a statement below its declaration",
                               block: block.number, line: where_, column: binding.column)
                    }
                } else if !ordered[..<index].indices.contains(where: { syntax[$0].bindings.contains { $0.name == name.name } }) {
                    report("`cache:` names `\(name.name)`, which neither this block nor a block above it declares at its top level; list the values this block computes or changes",
                           block: block.number, line: name.line, column: name.column)
                }
            }
            // A `var` from above that this block changes without keeping it would be left as it
            // was before the block in a run that restores the checkpoint.
            var reported = Set<String>()
            for change in own.changes where !keptNames.contains(change.name) && !own.localNames.contains(change.name)
                && !own.bindings.contains(where: { $0.name == change.name }) && !reported.contains(change.name) {
                guard let above = ordered[..<index].indices.last(where: { syntax[$0].bindings.contains { $0.name == change.name } }),
                      syntax[above].bindings.last(where: { $0.name == change.name })?.isVariable == true else { continue }
                reported.insert(change.name)
                report("this block changes `\(change.name)`, declared in \(ordered[above].name), but its checkpoint does not keep it; add `\(change.name)` to `//| cache:` (line \(kept[0].line))",
                       block: block.number, line: textLine(change.line, of: index), column: change.column)
            }
            // What the block declares and does not keep is not there when its checkpoint is
            // restored the way it was when it ran: blocks below must not read it.
            let unkept = Set(own.bindings.map(\.name)).subtracting(keptNames)
            guard !unkept.isEmpty else { continue }
            for later in ordered.indices where later > index {
                let other = syntax[later]
                var named = Set<String>()
                for use in other.uses where unkept.contains(use.name) && !other.localNames.contains(use.name)
                    && !other.bindings.contains(where: { $0.name == use.name }) && !named.contains(use.name) {
                    named.insert(use.name)
                    let line = ordered[later].inlineColumn == nil ? textLine(use.line, of: later) : ordered[later].textStartLine
                    let column = ordered[later].inlineColumn.map { $0 + use.column - 1 } ?? use.column
                    report("`\(use.name)` is declared in \(block.name), whose checkpoint does not keep it; add it to that block's `//| cache:` (line \(kept[0].line)), or compute it in this block",
                           block: ordered[later].number, line: line, column: column)
                }
            }
        }
        return problems
    }

    /// A line of a checkpointed block's program.
    enum Line: Equatable {
        /// Line `index` (from 0) of the block's code, changed or not.
        case code(Int, String)
        /// A line the tangler adds, located nowhere in particular.
        case added(String)
        /// A line located at `line` of the chapter (a kept name's line on the option line).
        case option(String, line: Int)
    }

    /// The program lines of block `number`, whose code (option lines left out) is `code`,
    /// keeping `kept`. `variablesAbove` says, of each top-level name of the blocks above,
    /// whether it is a `var`.
    static func program(of code: String, block number: Int, keeping kept: [BlockOptions.CachedName],
                        variablesAbove: [String: Bool]) -> [Line] {
        let syntax = BlockSyntax(code)
        let keptNames = Set(kept.map(\.name))
        var bytes = Array(code.utf8)
        // The initial values of kept names, wrapped from the last to the first so that the
        // offsets of those before stay right.
        let wrapped = syntax.bindings.filter { keptNames.contains($0.name) && !$0.inTuple && !$0.computed && $0.initializer != nil }
        for binding in wrapped.sorted(by: { $0.initializer!.lowerBound > $1.initializer!.lowerBound }) {
            let range = binding.initializer!
            bytes.insert(contentsOf: Array(" }".utf8), at: range.upperBound)
            let quoted = binding.name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            bytes.insert(contentsOf: Array("\(binding.tries ? "try " : "")LegendSession.restore(\(number), \"\(quoted)\") { ".utf8), at: range.lowerBound)
        }
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        // Runs of statements, by line: each opens `if LegendSession.runs(K) {` before its first
        // line and closes after its last.
        var opens: Set<Int> = [], closes: Set<Int> = []
        var run: ClosedRange<Int>?
        for item in syntax.items {
            if item.isStatement {
                run = run.map { $0.lowerBound...max($0.upperBound, item.lines.upperBound) } ?? item.lines
            } else if let current = run {
                // A declaration that shares a line with a statement runs with it: it cannot be
                // split from it without moving code between lines.
                if item.lines.lowerBound <= current.upperBound {
                    run = current.lowerBound...max(current.upperBound, item.lines.upperBound)
                } else {
                    opens.insert(current.lowerBound)
                    closes.insert(current.upperBound)
                    run = nil
                }
            }
        }
        if let current = run { opens.insert(current.lowerBound); closes.insert(current.upperBound) }
        var result: [Line] = []
        for (index, text) in lines.enumerated() {
            if opens.contains(index + 1) { result.append(.added("if LegendSession.runs(\(number)) {")) }
            result.append(.code(index, text))
            if closes.contains(index + 1) { result.append(.added("}")) }
        }
        // Each kept name on a line of its own, at its column on the option line: a value that
        // cannot be kept is a compiler error pointing at its name there.
        let declaredHere = Set(syntax.bindings.map(\.name))
        for name in kept {
            let isVariable = declaredHere.contains(name.name) ? syntax.bindings.last { $0.name == name.name }?.isVariable == true
                : variablesAbove[name.name] ?? true
            let call = "legendKeep(\(number), \"\(name.name)\", \(isVariable ? "&" : "")\(name.name))"
            result.append(.option(String(repeating: " ", count: max(0, name.column - 1)) + call, line: name.line))
        }
        return result
    }
}
