/// A name from an `author` or `editor` field, in BibTeX's four parts: "Ludwig van Beethoven" and
/// "van Beethoven, Ludwig" both have first "Ludwig", von "van", last "Beethoven";
/// "King, Jr, Martin Luther" has jr "Jr". A braced name (`{Google DeepMind}`) is all last name.
public struct PersonName: Sendable, Equatable, CustomStringConvertible {
    public var first: String
    public var von: String
    public var last: String
    public var jr: String

    public init(first: String = "", von: String = "", last: String, jr: String = "") {
        self.first = first
        self.von = von
        self.last = last
        self.jr = jr
    }

    /// How a citation names the person: "van der Maaten", "Glorot".
    public var citationName: String { [von, last].filter { !$0.isEmpty }.joined(separator: " ") }

    /// "Laurens van der Maaten", "Martin Luther King Jr."
    public var description: String { [first, von, last, jr].filter { !$0.isEmpty }.joined(separator: " ") }

    /// "Maaten, Laurens van der", "King, Martin Luther, Jr.": how a reference list writes its first name
    /// (and sorts by it, as Chicago does).
    public var inverted: String {
        guard !first.isEmpty else { return [citationName, jr].filter { !$0.isEmpty }.joined(separator: ", ") }
        return [last, first + (von.isEmpty ? "" : " " + von), jr].filter { !$0.isEmpty }.joined(separator: ", ")
    }
}

/// The names of an `author` or `editor` field, which separates them with `and`; a last name
/// `others` ("A and B and others") means more that are not listed, shown as "et al.".
public struct NameList: Sendable, Equatable {
    public var names: [PersonName]
    public var andOthers: Bool

    public init(_ names: [PersonName] = [], andOthers: Bool = false) {
        self.names = names
        self.andOthers = andOthers
    }

    public var isEmpty: Bool { names.isEmpty }

    /// A field's raw LaTeX split into names: at `and` between spaces (any case), outside braces;
    /// each name at its commas (at most two) and words. The problems are warnings to report.
    static func parse(_ raw: [UInt8]) -> (NameList, [String]) {
        var list = NameList()
        var problems: [String] = []
        var empty = false
        for tokens in split(raw) {
            if tokens.isEmpty { empty = true; continue }
            if tokens.count == 1, case .word(let word) = tokens[0], String(decoding: word, as: UTF8.self).lowercased() == "others" {
                list.andOthers = true
                continue
            }
            let (name, tooManyCommas) = name(from: tokens)
            if tooManyCommas { problems.append("the name '\(name.description)' has more than two commas (a name is 'von Last, Jr, First')") }
            if name.last.isEmpty && name.first.isEmpty { empty = true; continue }
            list.names.append(name)
        }
        if empty { problems.append("an empty name (two 'and's in a row, or one at an end) was left out") }
        return (list, problems)
    }

    enum Token { case word([UInt8]), comma }

    /// Names as tokens: words (split at whitespace and `~` outside braces) and commas.
    private static func split(_ raw: [UInt8]) -> [[Token]] {
        var names: [[Token]] = [[]]
        var word: [UInt8] = []
        var depth = 0
        func endWord() {
            guard !word.isEmpty else { return }
            if depth == 0, word.count == 3, String(decoding: word, as: UTF8.self).lowercased() == "and" {
                names.append([])
            } else {
                names[names.count - 1].append(.word(word))
            }
            word = []
        }
        for byte in raw {
            switch byte {
            case UInt8(ascii: "{"):
                depth += 1
                word.append(byte)
            case UInt8(ascii: "}"):
                depth = max(0, depth - 1)
                word.append(byte)
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "~"):
                if depth == 0 { endWord() } else { word.append(byte) }
            case UInt8(ascii: ",") where depth == 0:
                endWord()
                names[names.count - 1].append(.comma)
            default:
                word.append(byte)
            }
        }
        endWord()
        return names
    }

    /// BibTeX's rules: "First von Last" (von from the first lowercase word to the last one, the
    /// last word always last), "von Last, First", "von Last, Jr, First".
    private static func name(from tokens: [Token]) -> (PersonName, tooManyCommas: Bool) {
        var parts: [[[UInt8]]] = [[]]
        for token in tokens {
            switch token {
            case .comma: parts.append([])
            case .word(let word): parts[parts.count - 1].append(word)
            }
        }
        let text = { (words: ArraySlice<[UInt8]>) in LaTeXText.unicode(Array(words.joined(separator: [UInt8(ascii: " ")]))) }
        if parts.count == 1 {
            let words = parts[0]
            guard words.count > 1 else { return (PersonName(last: text(words[...])), false) }
            let lower = words.indices.dropLast().filter { isLowercase(words[$0]) }
            guard let vonStart = lower.first, let vonEnd = lower.last else {
                return (PersonName(first: text(words.dropLast()), last: text(words.suffix(1))), false)
            }
            return (PersonName(first: text(words[..<vonStart]), von: text(words[vonStart...vonEnd]),
                               last: text(words[(vonEnd + 1)...])), false)
        }
        let (von, last) = vonLast(parts[0])
        let jr = parts.count > 2 ? text(parts[1][...]) : ""
        let given = parts.count > 2 ? parts[2...].map { text($0[...]) }.filter { !$0.isEmpty }.joined(separator: ", ") : text(parts[1][...])
        return (PersonName(first: given, von: text(von), last: text(last), jr: jr), parts.count > 3)
    }

    private static func vonLast(_ words: [[UInt8]]) -> (von: ArraySlice<[UInt8]>, last: ArraySlice<[UInt8]>) {
        guard words.count > 1, isLowercase(words[0]) else { return ([], words[...]) }
        let vonEnd = words.indices.dropLast().last { isLowercase(words[$0]) } ?? 0
        return (words[...vonEnd], words[(vonEnd + 1)...])
    }

    /// Whether a word begins in lowercase, as a von part does. A word in braces of its own
    /// (`{van}`, `{Google DeepMind}`) never does: braces are how a file says "not a von".
    private static func isLowercase(_ word: [UInt8]) -> Bool {
        if word.first == UInt8(ascii: "{"), word.count > 1, word[1] != UInt8(ascii: "\\") { return false }
        guard let letter = LaTeXText.unicode(word).first(where: \.isLetter) else { return false }
        return letter.isLowercase
    }
}
