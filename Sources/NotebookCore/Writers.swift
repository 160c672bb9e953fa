/// Options that a book or a block (`//| plot: ascii`) sets for how outputs are written.
///
/// ```swift
/// let options = WriterOptions(plotStyle: .ascii, caption: "Figure 2: gradient norms")
/// ```
public struct WriterOptions: Sendable, Equatable {
    public typealias PlotStyle = NotebookCore.PlotStyle
    public var plotStyle: PlotStyle
    public var caption: String?
    /// Tables longer than this show their first and last rows, a "⋮" row and a note.
    public var maxTableRows: Int

    public init(plotStyle: PlotStyle = .braille, caption: String? = nil, maxTableRows: Int = 60) {
        self.plotStyle = plotStyle
        self.caption = caption
        self.maxTableRows = maxTableRows
    }

    /// The text style of plots: SVG has no text form, so terminals and Markdown fall back to braille.
    var textStyle: PlotText.Style { plotStyle == .ascii ? .ascii : .braille }
}

/// Formats outputs for a terminal (`legend run`).
public enum TerminalWriter {
    /// ```swift
    /// print(TerminalWriter.text(.plot(plot)), terminator: "")
    /// ```
    public static func text(_ output: RichOutput, options: WriterOptions = .init()) -> String {
        switch output {
        case .text(let text): return text
        case .table(let table): return TableLayout(table, maxRows: options.maxTableRows).aligned()
        case .plot(let plot):
            var text = PlotText.render(plot, style: options.textStyle)
            if let caption = options.caption { text += caption + "\n" }
            return text
        }
    }
}

/// Formats outputs as GitHub-flavoured Markdown: pipe tables, and plots in a ```` ```text ```` fence
/// (SVG does not survive a code-hosting site's sanitiser, so `.svg` falls back to braille here).
public enum MarkdownWriter {
    public static func markdown(_ output: RichOutput, options: WriterOptions = .init()) -> String {
        switch output {
        case .text(let text): return fenced(text)
        case .table(let table):
            var markdown = TableLayout(table, maxRows: options.maxTableRows).pipeTable()
            if let caption = options.caption { markdown += "\n*\(escapeInline(caption))*\n" }
            return markdown
        case .plot(let plot):
            var markdown = fenced(PlotText.render(plot, style: options.textStyle))
            if let caption = options.caption { markdown += "\n*\(escapeInline(caption))*\n" }
            return markdown
        }
    }

    /// A ```` ```text ```` fence long enough that no run of backticks inside can close it.
    public static func fenced(_ text: String) -> String {
        var longest = 0, run = 0
        for character in text {
            run = character == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: max(3, longest + 1))
        let body = text.hasSuffix("\n") ? text : text + "\n"
        return "\(fence)text\n\(body)\(fence)\n"
    }

    /// Text made literal inside a Markdown paragraph or table cell: characters that would start
    /// emphasis, code, links, HTML or a cell boundary are backslash-escaped.
    ///
    /// ```swift
    /// MarkdownWriter.escapeInline("a|b *c*")  // "a\\|b \\*c\\*"
    /// ```
    public static func escapeInline(_ text: String) -> String {
        var escaped = ""
        for character in text {
            switch character {
            case "\\", "|", "*", "_", "`", "[", "]", "<", ">", "#", "~": escaped += "\\" + String(character)
            case "\n", "\r", "\r\n": escaped += " "
            default: escaped.append(character)
            }
        }
        return escaped
    }
}

/// Formats outputs as HTML fragments; every piece of text is escaped.
public enum HTMLWriter {
    /// ```swift
    /// let html = HTMLWriter.html(.plot(plot), options: .init(plotStyle: .svg, caption: "Figure 1"))
    /// ```
    public static func html(_ output: RichOutput, options: WriterOptions = .init()) -> String {
        switch output {
        case .text(let text):
            return "<pre class=\"output\"><code>\(escape(text))</code></pre>\n"
        case .table(let table):
            return TableLayout(table, maxRows: options.maxTableRows).html(caption: options.caption)
        case .plot(let plot):
            var html = "<figure class=\"plot plot-\(plot.kind.rawValue)\">\n"
            if options.plotStyle == .svg {
                html += PlotSVG.render(plot)
            } else {
                // The text plot is an image made of characters: screen readers get the title.
                let label = escape(plot.title ?? "\(plot.kind.rawValue) plot")
                html += "<pre class=\"plot\" role=\"img\" aria-label=\"\(label)\"><code>\(escape(PlotText.render(plot, style: options.textStyle)))</code></pre>\n"
            }
            if let caption = options.caption {
                html += "<figcaption>\(escape(caption))</figcaption>\n"
            }
            return html + "</figure>\n"
        }
    }

    /// Escapes text for HTML element content and attribute values.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }
}

/// How plots are drawn: Unicode braille dots (the default), 7-bit ASCII, or SVG in HTML (text
/// elsewhere). One vocabulary for book.yml, front matter and block options.
public enum PlotStyle: String, Codable, Sendable, CaseIterable {
    case braille, ascii, svg

    /// "braille, ascii, svg", for messages.
    public static let names = allCases.map(\.rawValue).joined(separator: ", ")
}
