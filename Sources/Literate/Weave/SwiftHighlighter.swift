import NotebookCore
/// Highlights Swift at build time, so pages need no script: keywords, types, strings, numbers,
/// comments and attributes become `<span class="tok-…">`; everything is HTML-escaped.
public enum SwiftHighlighter {
    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "protocol", "public", "rethrows", "static", "struct",
        "subscript", "typealias", "var", "break", "case", "continue", "default", "defer", "do", "else", "fallthrough",
        "for", "guard", "if", "in", "repeat", "return", "switch", "where", "while", "as", "catch", "false", "is",
        "nil", "self", "Self", "super", "throw", "throws", "true", "try", "async", "await", "some", "any", "mutating",
        "nonmutating", "lazy", "final", "override", "weak", "unowned", "convenience", "required", "indirect", "actor",
        "consuming", "borrowing", "macro", "each", "nonisolated", "isolated", "get", "set", "willSet", "didSet",
    ]

    public static func html(_ code: String) -> String {
        let scalars = Array(code.unicodeScalars)
        var html = ""
        var i = 0
        func emit(_ kind: String?, _ range: Range<Int>) {
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars[range])
            let escaped = HTMLWriter.escape(text)
            html += kind.map { "<span class=\"tok-\($0)\">\(escaped)</span>" } ?? escaped
        }
        func isIdentifierStart(_ scalar: Unicode.Scalar) -> Bool {
            scalar == "_" || scalar.properties.isAlphabetic
        }
        func isIdentifierPart(_ scalar: Unicode.Scalar) -> Bool {
            isIdentifierStart(scalar) || ("0"..."9").contains(scalar)
        }
        while i < scalars.count {
            let scalar = scalars[i]
            let next = i + 1 < scalars.count ? scalars[i + 1] : nil
            let start = i
            if scalar == "/" && next == "/" {
                while i < scalars.count && scalars[i] != "\n" { i += 1 }
                emit("comment", start..<i)
            } else if scalar == "/" && next == "*" {
                var depth = 0
                repeat {
                    if scalars[i] == "/" && i + 1 < scalars.count && scalars[i + 1] == "*" { depth += 1; i += 2 }
                    else if scalars[i] == "*" && i + 1 < scalars.count && scalars[i + 1] == "/" { depth -= 1; i += 2 }
                    else { i += 1 }
                } while depth > 0 && i < scalars.count
                emit("comment", start..<i)
            } else if scalar == "\"" || (scalar == "#" && (next == "\"" || next == "#")) {
                // Strings, raw (#"…"#) and multi-line ("""…"""), taken whole, interpolations included.
                var hashes = 0
                while i < scalars.count && scalars[i] == "#" { hashes += 1; i += 1 }
                guard i < scalars.count, scalars[i] == "\"" else { emit(nil, start..<i); continue }
                let triple = i + 2 < scalars.count && scalars[i + 1] == "\"" && scalars[i + 2] == "\""
                let quotes = triple ? 3 : 1
                i += quotes
                while i < scalars.count {
                    if scalars[i] == "\\" && hashes == 0 { i += 2; continue }
                    if !triple && scalars[i] == "\n" { break }
                    if scalars[i] == "\"" {
                        var end = i
                        var count = 0
                        while end < scalars.count && scalars[end] == "\"" && count < quotes { count += 1; end += 1 }
                        var closingHashes = 0
                        while end < scalars.count && scalars[end] == "#" && closingHashes < hashes { closingHashes += 1; end += 1 }
                        if count == quotes && closingHashes == hashes { i = end; break }
                    }
                    i += 1
                }
                emit("string", start..<min(i, scalars.count))
            } else if ("0"..."9").contains(scalar) {
                while i < scalars.count && (isIdentifierPart(scalars[i]) || scalars[i] == "." && i + 1 < scalars.count && ("0"..."9").contains(scalars[i + 1])
                                            || (scalars[i] == "-" || scalars[i] == "+") && (scalars[i - 1] == "e" || scalars[i - 1] == "E")) {
                    i += 1
                }
                emit("number", start..<i)
            } else if scalar == "@" && next.map(isIdentifierStart) == true {
                i += 1
                while i < scalars.count && isIdentifierPart(scalars[i]) { i += 1 }
                emit("attribute", start..<i)
            } else if isIdentifierStart(scalar) {
                while i < scalars.count && isIdentifierPart(scalars[i]) { i += 1 }
                var word = ""
                word.unicodeScalars.append(contentsOf: scalars[start..<i])
                let previous = start > 0 ? scalars[start - 1] : " "
                if keywords.contains(word) && previous != "." {
                    emit("keyword", start..<i)
                } else if let first = word.unicodeScalars.first, first.properties.isUppercase {
                    emit("type", start..<i)
                } else {
                    emit(nil, start..<i)
                }
            } else {
                i += 1
                emit(nil, start..<i)
            }
        }
        return html
    }
}
