import NotebookCore

/// A chapter's outputs for a terminal (`legend run`): each block's outputs under a rule naming
/// it, plots as braille (or ASCII) text. Everything a block printed is shown, `output: false`
/// or not: the terminal is where an author looks at it.
public struct TerminalWeaver: ChapterWeaver {
    public let bookPlot: PlotStyle

    public func weave(_ chapter: ParsedChapter, _ result: ChapterResult?, diagnostics: inout [Diagnostic]) -> String {
        var text = ""
        func add(_ piece: String) { text += piece.hasSuffix("\n") ? piece : piece + "\n" }
        for block in chapter.blocks {
            let header = "── block \(block.number) · \(chapter.chapter.path):\(block.startLine) "
            text += header + String(repeating: "─", count: max(3, 78 - header.count)) + "\n"
            var options = writerOptions(for: block, in: chapter, bookPlot: bookPlot, result: result)
            if options.plotStyle == .svg { options.plotStyle = .braille }
            for piece in BlockPiece.pieces(of: block, result?[block: block.number], showOutput: true) {
                switch piece {
                case .text(let printed), .stderr(let printed): add(printed)
                case .claims(let claims):
                    for claim in claims {
                        add("\(claimMark(claim)) \(claimLead(claim).lowercased()) \(claim.statementLine)" + (claim.values.isEmpty ? "" : " (\(claim.valuesText))"))
                    }
                case .rich(let output): add(TerminalWriter.text(output, options: options.options(for: output)))
                case .failure(let error, _): add(error)
                case .notRun(.draft): add("(not run)")
                case .notRun(.earlierFailure): add("(not run: an earlier block failed)")
                case .notRun(.skipped): add("(not run: eval: false or empty)")
                }
            }
        }
        return text
    }
}
