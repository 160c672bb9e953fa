import NotebookCore

/// How a block's outputs are written: the book's plot style, overridden by the chapter's
/// front matter, overridden by the block's `//| plot:`; and the captions of its plots and of its
/// tables, numbered when the block is a labelled figure or table.
struct BlockWriterOptions {
    var base: WriterOptions
    var figureCaption: String?
    var tableCaption: String?

    /// The options for one output: its kind's caption, none for text.
    func options(for output: RichOutput) -> WriterOptions {
        var options = base
        switch output {
        case .plot: options.caption = figureCaption
        case .table: options.caption = tableCaption
        default: options.caption = nil
        }
        return options
    }

    var plotStyle: PlotStyle {
        get { base.plotStyle }
        set { base.plotStyle = newValue }
    }
}

func writerOptions(for block: SwiftRunBlock, in chapter: ParsedChapter, bookPlot: PlotStyle,
                   references: CrossReferences? = nil, result: ChapterResult? = nil) -> BlockWriterOptions {
    let style = block.options.plot ?? chapter.chapter.frontMatter.plot ?? bookPlot
    let values = chapter.captionValues[block.number] ?? [:]
    func filled(_ key: String, _ written: String?) -> String? {
        guard let written, let numbers = values[key] else { return written }
        return InlineValueText.filling(written, with: numbers.map { InlineValueText.value(of: $0, in: result) })
    }
    let options = block.options
    let caption = filled("caption", options.caption)
    let figure = options.presentation.figureCaption.map { filled("fig-cap", $0) } ?? caption
    let table = options.presentation.tableCaption.map { filled("tbl-cap", $0) } ?? caption
    return BlockWriterOptions(base: WriterOptions(plotStyle: style),
                              figureCaption: references?.caption(of: block, kind: .figure, written: figure) ?? figure,
                              tableCaption: references?.caption(of: block, kind: .table, written: table) ?? table)
}

/// The problem of a block whose one `caption:` would caption both a plot and a table it shows.
func ambiguousCaption(_ block: SwiftRunBlock, _ result: BlockResult?, path: String) -> Diagnostic? {
    guard block.options.caption != nil, block.options.presentation.figureCaption == nil,
          block.options.presentation.tableCaption == nil, let result else { return nil }
    let outputs = result.items.compactMap { item -> RichOutput? in if case .rich(let output) = item { output } else { nil } }
    guard outputs.contains(where: { if case .plot = $0 { true } else { false } }),
          outputs.contains(where: { if case .table = $0 { true } else { false } }) else { return nil }
    return .warning("block \(block.number) shows a plot and a table, so its one `caption:` would caption both; write `//| fig-cap:` for the plot and `//| tbl-cap:` for the table",
                    file: path, line: block.startLine)
}

/// One way of writing a book's chapters with their results: HTML pages, Markdown for code
/// hosts, text for a terminal (mdBook's `Renderer`). Every weaver writes a block's results from
/// the same walk, `BlockPiece.pieces`.
public protocol ChapterWeaver: Sendable {
    /// The chapter as this weaver writes it; `result` is nil when nothing ran (a draft).
    /// Problems found on the way (math the renderer rejects, links that name no chapter) go to
    /// `diagnostics`.
    func weave(_ chapter: ParsedChapter, _ result: ChapterResult?, diagnostics: inout [Diagnostic]) -> String
}

extension ChapterWeaver {
    /// The chapter as this weaver writes it, its problems left aside.
    public func weave(_ chapter: ParsedChapter, _ result: ChapterResult?) -> String {
        var ignored: [Diagnostic] = []
        return weave(chapter, result, diagnostics: &ignored)
    }
}

/// What a block's results show, in order — the one walk over a block's outputs that every
/// weaver formats in its own way.
enum BlockPiece: Equatable {
    /// Text the block printed.
    case text(String)
    /// A table, plot or value the block showed.
    case rich(RichOutput)
    /// What the block wrote to stderr.
    case stderr(String)
    /// The claims the block made, shown as one compact list.
    case claims([Claim])
    /// Why the block failed; `expected` for a block marked `//| error: true`.
    case failure(String, expected: Bool)
    /// A block that did not run, and why.
    case notRun(Reason)

    enum Reason: Equatable {
        /// This build executed nothing (a draft).
        case draft
        /// An earlier block of the chapter failed.
        case earlierFailure
        /// `//| eval: false`, or nothing to run.
        case skipped
    }

    /// The pieces of `block`'s result; `showOutput` false leaves out what it printed and showed
    /// (`//| output: false`), `showClaims` false its claims (`claims: hide`), never its failure.
    static func pieces(of block: SwiftRunBlock, _ result: BlockResult?, showOutput: Bool, showClaims: Bool = true) -> [BlockPiece] {
        guard let result else { return [.notRun(.draft)] }
        var pieces: [BlockPiece] = []
        if showOutput {
            for item in result.items {
                switch item {
                case .text(let text): pieces.append(.text(text))
                case .rich(let output): pieces.append(.rich(output))
                }
            }
            if !result.stderr.isEmpty { pieces.append(.stderr(result.stderr)) }
        }
        if showClaims && !result.claims.isEmpty { pieces.append(.claims(result.claims)) }
        if let error = result.error { pieces.append(.failure(error, expected: result.status == .expectedFailure)) }
        switch result.status {
        case .notRun: pieces.append(.notRun(.earlierFailure))
        case .skipped: pieces.append(.notRun(.skipped))
        case .ran, .failed, .expectedFailure: break
        }
        return pieces
    }
}

/// The words a reader of the site or of the Markdown sees for a block that did not run (a
/// skipped block says nothing there: its code is what it shows).
func notRunNote(_ reason: BlockPiece.Reason) -> String? {
    switch reason {
    case .draft: return "Not run: this build did not execute the chapter (draft)."
    case .earlierFailure: return "Not run: an earlier block of this chapter failed."
    case .skipped: return nil
    }
}

/// Whether a page shows `block`'s claims: its `//| claims:`, else the book's `claims:`.
func showsClaims(_ block: SwiftRunBlock, bookClaims: ClaimDisplay) -> Bool {
    (block.options.claims ?? bookClaims) == .show
}

/// The words before a claim's statement, so whether it holds is said in words, not only by
/// its mark or colour.
func claimLead(_ claim: Claim) -> String {
    claim.holds ? "Claim:" : "Claim not supported:"
}

/// A claim's mark: ✓ held, ✗ not.
func claimMark(_ claim: Claim) -> String { claim.holds ? "✓" : "✗" }

/// A block as HTML: its code, then what it printed and emitted, then its claims and its error.
struct HTMLBlockWeaver {
    let options: BlockWriterOptions
    let highlighter: (String) -> String
    var showClaims = true

    func weave(_ block: SwiftRunBlock, _ result: BlockResult?) -> String {
        let id = block.options.label ?? "block-\(block.number)"
        let status = result?.status ?? .notRun
        var html = "<div class=\"block block-\(status.rawValue)\" id=\"\(HTMLWriter.escape(id))\">\n"
        if block.options.echo {
            html += "<pre class=\"code\"><code class=\"language-swift\">\(highlighter(block.displayCode))</code></pre>\n"
        }
        for piece in BlockPiece.pieces(of: block, result, showOutput: block.options.output, showClaims: showClaims) {
            switch piece {
            case .text(let text): html += "<pre class=\"output\"><code>\(HTMLWriter.escape(text))</code></pre>\n"
            case .rich(let output): html += HTMLWriter.html(output, options: options.options(for: output))
            case .stderr(let text): html += "<pre class=\"output stderr\"><code>\(HTMLWriter.escape(text))</code></pre>\n"
            case .claims(let claims): html += HTMLBlockWeaver.claimList(claims)
            case .failure(let error, let expected):
                html += "<div class=\"block-error\" role=\"alert\"><p>\(expected ? "Expected error" : "Error")</p><pre><code>\(HTMLWriter.escape(error))</code></pre></div>\n"
            case .notRun(let reason):
                if let note = notRunNote(reason) { html += "<p class=\"not-run\">\(note)</p>\n" }
            }
        }
        return html + "</div>\n"
    }

    /// A block's claims as a compact list: mark, words, statement; the values beside it, small,
    /// and as the line's title (a tooltip).
    static func claimList(_ claims: [Claim]) -> String {
        var html = "<ul class=\"claims\">\n"
        for claim in claims {
            let values = claim.valuesText
            html += "<li class=\"claim \(claim.holds ? "claim-holds" : "claim-fails")\""
                + (values.isEmpty ? "" : " title=\"\(HTMLWriter.escape(values))\"") + ">"
                + "<span class=\"claim-mark\" aria-hidden=\"true\">\(claimMark(claim))</span> "
                + "<span class=\"claim-lead\">\(claimLead(claim))</span> \(HTMLWriter.escape(claim.statementLine))"
                + (values.isEmpty ? "" : " <span class=\"claim-values\">(\(HTMLWriter.escape(values)))</span>") + "</li>\n"
        }
        return html + "</ul>\n"
    }
}

/// A block's outputs as Markdown, to follow the block in the woven `.md`.
struct MarkdownBlockWeaver {
    let options: BlockWriterOptions
    var showClaims = true

    func weave(_ block: SwiftRunBlock, _ result: BlockResult?) -> [String] {
        BlockPiece.pieces(of: block, result, showOutput: block.options.output, showClaims: showClaims).compactMap { piece in
            switch piece {
            case .text(let text), .stderr(let text): return MarkdownWriter.fenced(text)
            case .claims(let claims):
                // A quote per claim, blank quote lines between, so each stays a line of its own.
                return claims.map { claim in
                    "> \(claimMark(claim)) \(claimLead(claim)) \(claim.statementLine)" + (claim.values.isEmpty ? "" : " (\(claim.valuesText))") + "\n"
                }.joined(separator: ">\n")
            case .rich(let output): return MarkdownWriter.markdown(output, options: options.options(for: output))
            case .failure(let error, let expected): return (expected ? "**Expected error:**\n\n" : "**Error:**\n\n") + MarkdownWriter.fenced(error)
            case .notRun(let reason): return notRunNote(reason).map { "*\($0)*\n" }
            }
        }
    }
}
