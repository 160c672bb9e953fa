import NotebookCore

/// Highlights Swift at build time, so pages need no script: keywords, types, strings, numbers,
/// comments and attributes become `<span class="tok-…">`; everything is HTML-escaped.
public enum SwiftHighlighter {
    public static func html(_ code: String) -> String {
        var html = ""
        for token in SwiftTokens.tokens(code) {
            let escaped = HTMLWriter.escape(token.text)
            switch token.kind {
            case .comment, .string, .number, .attribute, .keyword, .type:
                html += "<span class=\"tok-\(token.kind)\">\(escaped)</span>"
            case .identifier, .punctuation, .space:
                html += escaped
            }
        }
        return html
    }
}
