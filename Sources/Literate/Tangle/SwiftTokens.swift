/// A small Swift lexer: enough to colour code (keywords, types, strings, numbers, comments,
/// attributes) and to see a block's top level (declarations at brace depth 0). Strings are taken
/// whole — interpolations, raw and multi-line strings included — so braces inside them do not
/// count.
struct SwiftTokens {
    enum Kind: Equatable { case comment, string, number, attribute, keyword, type, identifier, punctuation, space }

    struct Token: Equatable {
        let kind: Kind
        let text: String
    }

    static let keywords: Set<String> = [
        "associatedtype", "class", "deinit", "enum", "extension", "fileprivate", "func", "import", "init", "inout",
        "internal", "let", "open", "operator", "private", "protocol", "public", "rethrows", "static", "struct",
        "subscript", "typealias", "var", "break", "case", "continue", "default", "defer", "do", "else", "fallthrough",
        "for", "guard", "if", "in", "repeat", "return", "switch", "where", "while", "as", "catch", "false", "is",
        "nil", "self", "Self", "super", "throw", "throws", "true", "try", "async", "await", "some", "any", "mutating",
        "nonmutating", "lazy", "final", "override", "weak", "unowned", "convenience", "required", "indirect", "actor",
        "consuming", "borrowing", "macro", "each", "nonisolated", "isolated", "get", "set", "willSet", "didSet",
    ]

    static func tokens(_ code: String) -> [Token] {
        let scalars = Array(code.unicodeScalars)
        var tokens: [Token] = []
        var i = 0
        func emit(_ kind: Kind, _ range: Range<Int>) {
            var text = ""
            text.unicodeScalars.append(contentsOf: scalars[range])
            tokens.append(Token(kind: kind, text: text))
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
                emit(.comment, start..<i)
            } else if scalar == "/" && next == "*" {
                var depth = 0
                repeat {
                    if scalars[i] == "/" && i + 1 < scalars.count && scalars[i + 1] == "*" { depth += 1; i += 2 }
                    else if scalars[i] == "*" && i + 1 < scalars.count && scalars[i + 1] == "/" { depth -= 1; i += 2 }
                    else { i += 1 }
                } while depth > 0 && i < scalars.count
                emit(.comment, start..<min(i, scalars.count))
            } else if scalar == "\"" || (scalar == "#" && (next == "\"" || next == "#")) {
                var hashes = 0
                while i < scalars.count && scalars[i] == "#" { hashes += 1; i += 1 }
                guard i < scalars.count, scalars[i] == "\"" else { emit(.punctuation, start..<i); continue }
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
                emit(.string, start..<min(i, scalars.count))
            } else if ("0"..."9").contains(scalar) {
                while i < scalars.count && (isIdentifierPart(scalars[i]) || scalars[i] == "." && i + 1 < scalars.count && ("0"..."9").contains(scalars[i + 1])
                                            || (scalars[i] == "-" || scalars[i] == "+") && (scalars[i - 1] == "e" || scalars[i - 1] == "E")) {
                    i += 1
                }
                emit(.number, start..<i)
            } else if scalar == "@" && next.map(isIdentifierStart) == true {
                i += 1
                while i < scalars.count && isIdentifierPart(scalars[i]) { i += 1 }
                emit(.attribute, start..<i)
            } else if isIdentifierStart(scalar) {
                while i < scalars.count && isIdentifierPart(scalars[i]) { i += 1 }
                var word = ""
                word.unicodeScalars.append(contentsOf: scalars[start..<i])
                let previous = start > 0 ? scalars[start - 1] : " "
                if keywords.contains(word) && previous != "." {
                    emit(.keyword, start..<i)
                } else if let first = word.unicodeScalars.first, first.properties.isUppercase {
                    emit(.type, start..<i)
                } else {
                    emit(.identifier, start..<i)
                }
            } else {
                i += 1
                emit(scalar == " " || scalar == "\n" || scalar == "\t" ? .space : .punctuation, start..<i)
            }
        }
        return tokens
    }

    /// Keywords that begin a declaration (or change where the code after them runs): a block
    /// with one of these at its top level must stay at the program's top level.
    static let topLevelSensitive: Set<String> = [
        "let", "var", "func", "struct", "class", "enum", "protocol", "extension", "typealias", "actor", "import",
        "macro", "operator", "defer", "associatedtype", "init", "deinit", "subscript",
    ]

    /// Whether `code` may declare something at its top level (a name later blocks could use).
    /// Errs on the side of yes: `if let x = …` at the top level also counts.
    static func mayDeclareAtTopLevel(_ code: String) -> Bool {
        var depth = 0
        for token in tokens(code) {
            switch token.kind {
            case .punctuation where token.text == "{" || token.text == "(" || token.text == "[": depth += 1
            case .punctuation where token.text == "}" || token.text == ")" || token.text == "]": depth -= 1
            case .keyword where depth <= 0 && topLevelSensitive.contains(token.text): return true
            case .punctuation where token.text == "#" && depth <= 0: return true  // #if and other directives
            case .attribute where depth <= 0: return true
            default: break
            }
        }
        return depth != 0
    }
}
