/// Options that a book or a block (`//| plot: ascii`) sets for how outputs are written.
public struct WriterOptions: Sendable, Equatable {
    public enum PlotStyle: String, Sendable, CaseIterable { case braille, ascii, svg }
    public var plotStyle: PlotStyle
    public var caption: String?

    public init(plotStyle: PlotStyle = .braille, caption: String? = nil) {
        self.plotStyle = plotStyle
        self.caption = caption
    }
}

/// Formats outputs for a terminal (`legend run`).
public enum TerminalWriter {
    public static func text(_ output: RichOutput, options: WriterOptions = .init()) -> String {
        switch output {
        case .text(let text): return text
        case .table(let table): return TableLayout(table).aligned()
        case .plot(let plot): return PlotText.render(plot, style: options.plotStyle == .ascii ? .ascii : .braille)
        }
    }
}

/// Formats outputs as GitHub-flavoured Markdown.
public enum MarkdownWriter {
    public static func markdown(_ output: RichOutput, options: WriterOptions = .init()) -> String {
        switch output {
        case .text(let text): return fenced(text)
        case .table(let table): return TableLayout(table).pipeTable()
        case .plot(let plot):
            return fenced(PlotText.render(plot, style: options.plotStyle == .ascii ? .ascii : .braille))
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
}

/// Formats outputs as HTML fragments; every piece of text is escaped.
public enum HTMLWriter {
    public static func html(_ output: RichOutput, options: WriterOptions = .init()) -> String {
        switch output {
        case .text(let text):
            return "<pre class=\"output\"><code>\(escape(text))</code></pre>\n"
        case .table(let table):
            return TableLayout(table).html(caption: options.caption)
        case .plot(let plot):
            let style: PlotText.Style = options.plotStyle == .ascii ? .ascii : .braille
            var html = "<figure class=\"plot\">\n<pre class=\"plot\"><code>\(escape(PlotText.render(plot, style: style)))</code></pre>\n"
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
