import NotebookCore
import SwiftIDEUtils
import SwiftParser
import SwiftSyntax

/// Highlights Swift at build time, so pages need no script: keywords, types, strings, numbers,
/// comments and attributes become `<span class="tok-…">`; everything is HTML-escaped.
///
/// The colours follow swift-syntax's classification of the parsed code, so what the compiler
/// reads is what the page shows: an interpolation inside a string is code again, `$0` is one
/// name, raw strings, regex literals and macros are whole. A capitalised name is coloured as a
/// type (`Tensor.randn`), as readers expect, though in an expression swift-syntax calls it an
/// identifier.
public enum SwiftHighlighter {
    public static func html(_ code: String) -> String {
        let bytes = Array(code.utf8)
        let tree = Parser.parse(source: code)
        var html = ""
        var position = 0
        func text(_ range: Range<Int>) -> String { String(decoding: bytes[range], as: UTF8.self) }
        for classified in tree.classifications {
            let start = min(classified.range.lowerBound.utf8Offset, bytes.count)
            let end = min(classified.range.upperBound.utf8Offset, bytes.count)
            guard start >= position, end > start else { continue }
            if start > position { html += HTMLWriter.escape(text(position..<start)) }
            let piece = text(start..<end)
            if let kind = kind(of: classified.kind, piece) {
                html += "<span class=\"tok-\(kind)\">\(HTMLWriter.escape(piece))</span>"
            } else {
                html += HTMLWriter.escape(piece)
            }
            position = end
        }
        if position < bytes.count { html += HTMLWriter.escape(text(position..<bytes.count)) }
        return html
    }

    /// The theme's token class for a classification, or nil for plain text.
    static func kind(of classification: SyntaxClassification, _ text: String) -> String? {
        switch classification {
        case .keyword: "keyword"
        case .type: "type"
        case .identifier: text.first?.isUppercase == true ? "type" : nil
        case .stringLiteral, .regexLiteral: "string"
        case .integerLiteral, .floatLiteral: "number"
        case .lineComment, .blockComment, .docLineComment, .docBlockComment: "comment"
        case .attribute, .ifConfigDirective: "attribute"
        default: nil
        }
    }
}
