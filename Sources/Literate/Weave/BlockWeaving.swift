import NotebookCore

/// How a block's outputs are written: the book's plot style, overridden by the chapter's
/// front matter, overridden by the block's `//| plot:`.
func writerOptions(for block: SwiftRunBlock, in chapter: ParsedChapter, bookPlot: String) -> WriterOptions {
    let style = block.options.plot ?? chapter.chapter.frontMatter.plot ?? bookPlot
    return WriterOptions(plotStyle: WriterOptions.PlotStyle(rawValue: style) ?? .braille, caption: block.options.caption)
}

/// The words a reader sees for a block that did not run.
func notRunNote(_ status: BlockResult.Status) -> String? {
    switch status {
    case .notRun: return "Not run: an earlier block of this chapter failed."
    default: return nil
    }
}

/// A block as HTML: its code, then what it printed and emitted, then its error.
struct HTMLBlockWeaver {
    let options: WriterOptions
    let highlighter: (String) -> String

    func weave(_ block: SwiftRunBlock, _ result: BlockResult?) -> String {
        let id = block.options.label ?? "block-\(block.number)"
        let status = result?.status ?? .notRun
        var html = "<div class=\"block block-\(status.rawValue)\" id=\"\(HTMLWriter.escape(id))\">\n"
        if block.options.echo {
            html += "<pre class=\"code\"><code class=\"language-swift\">\(highlighter(block.displayCode))</code></pre>\n"
        }
        guard let result else {
            return html + "<p class=\"not-run\">Not run: this build did not execute the chapter (draft).</p>\n</div>\n"
        }
        if block.options.output {
            for item in result.items {
                switch item {
                case .text(let text): html += "<pre class=\"output\"><code>\(HTMLWriter.escape(text))</code></pre>\n"
                case .rich(let output): html += HTMLWriter.html(output, options: options)
                }
            }
            if !result.stderr.isEmpty {
                html += "<pre class=\"output stderr\"><code>\(HTMLWriter.escape(result.stderr))</code></pre>\n"
            }
        }
        if let error = result.error {
            let label = result.status == .expectedFailure ? "Expected error" : "Error"
            html += "<div class=\"block-error\" role=\"alert\"><p>\(label)</p><pre><code>\(HTMLWriter.escape(error))</code></pre></div>\n"
        }
        if let note = notRunNote(status) {
            html += "<p class=\"not-run\">\(note)</p>\n"
        }
        return html + "</div>\n"
    }
}

/// A block's outputs as Markdown, to follow the block in the woven `.md`.
struct MarkdownBlockWeaver {
    let options: WriterOptions

    func weave(_ block: SwiftRunBlock, _ result: BlockResult?) -> [String] {
        guard let result else { return ["*Not run: this build did not execute the chapter (draft).*\n"] }
        var pieces: [String] = []
        if block.options.output {
            for item in result.items {
                switch item {
                case .text(let text): pieces.append(MarkdownWriter.fenced(text))
                case .rich(let output): pieces.append(MarkdownWriter.markdown(output, options: options))
                }
            }
            if !result.stderr.isEmpty { pieces.append(MarkdownWriter.fenced(result.stderr)) }
        }
        if let error = result.error {
            pieces.append((result.status == .expectedFailure ? "**Expected error:**\n\n" : "**Error:**\n\n") + MarkdownWriter.fenced(error))
        }
        if let note = notRunNote(result.status) { pieces.append("*\(note)*\n") }
        return pieces
    }
}
