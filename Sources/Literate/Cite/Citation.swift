/// One work cited, with what the author wrote around it: in `[see @glorot2010, p. 8]` the key
/// `glorot2010`, the prefix "see" and the locator "p. 8".
public struct CitationItem: Sendable, Equatable {
    public var key: String
    public var prefix: String
    /// A page, chapter, section, … as written ("p. 8", "chap. 2", "pp. 33–35, 38"), or a bare
    /// number ("8", a page); nil when there is none.
    public var locator: String?
    /// What follows the key (and the locator) as written, from its first character: ", emphasis
    /// added", " and passim". Written after the year as it is.
    public var suffix: String
    /// `-@key`: the year alone, for text that already names the authors.
    public var suppressAuthor: Bool

    public init(key: String, prefix: String = "", locator: String? = nil, suffix: String = "", suppressAuthor: Bool = false) {
        self.key = key
        self.prefix = prefix
        self.locator = locator
        self.suffix = suffix
        self.suppressAuthor = suppressAuthor
    }
}

/// A citation in pandoc's syntax: a bracketed group of items separated by `;`
/// (`[@hochreiter1997, p. 8; @gers2000]`, written "(Hochreiter and Schmidhuber 1997, p. 8; Gers
/// et al. 2000)"), or one key in running text (`@he2016`, written "He et al. (2016)"), which may
/// be followed by a bracketed locator or suffix (`@he2016 [p. 3]`).
public struct Citation: Sendable, Equatable {
    public enum Form: Sendable, Equatable { case parenthetical, inText }

    public var form: Form
    public var items: [CitationItem]

    public init(form: Form, items: [CitationItem]) {
        self.form = form
        self.items = items
    }

    /// Parses text that is exactly one citation: `[see @a, p. 8; -@b]`, `@a` or `@a [p. 8]`; nil
    /// for anything else. A group is a citation only if every one of its `;`-separated parts holds a
    /// key. A key starts with a letter, a digit or `_` and may hold the punctuation `:.#$%&-+?<>~/`
    /// between such characters (`@doe:2010.x`, but `@doe.` is `doe` and a full stop), or is written
    /// in braces (`@{any key}`).
    public init?(parsing text: String) {
        let scanner = CitationSyntax(text)
        guard let (citation, end) = scanner.citation(at: 0), end == scanner.scalars.count else { return nil }
        self = citation
    }
}

/// Finds the citations in a piece of a chapter's text (pandoc's rules). The text must be prose:
/// code spans and code blocks are the caller's to leave out. An `@` after a letter or digit (as in
/// `a@b.org`) or after a backslash (`\@`) starts no citation; neither does a bracket that is a link
/// (`[@a](url)`, `[@a][ref]`) or an image's text.
public enum CitationScanner {
    public struct Found: Sendable, Equatable {
        /// Where the citation is in the text the scanner was given.
        public var range: Range<String.Index>
        public var citation: Citation
    }

    public static func citations(in text: String) -> [Found] {
        let syntax = CitationSyntax(text)
        var found: [Found] = []
        var index = 0
        while index < syntax.scalars.count {
            if syntax.scalars[index] == "\\" { index += 2; continue }
            if let (citation, end) = syntax.citation(at: index) {
                found.append(Found(range: syntax.indices[index]..<syntax.indices[end], citation: citation))
                index = end
            } else if let end = syntax.linkEnd(at: index) {
                index = end
            } else {
                index += 1
            }
        }
        return found
    }
}

/// The text as Unicode scalars, with the matching `]` of each `[` found in one pass, so that
/// finding citations takes time linear in the text's length however brackets nest.
struct CitationSyntax {
    let scalars: [Unicode.Scalar]
    /// `indices[i]` is where scalar i starts in the text; the last is the text's end.
    let indices: [String.Index]
    private let closing: [Int: Int]
    private let lastCloseParenthesis: Int

    static let internalPunctuation: Set<Unicode.Scalar> = [":", ".", "#", "$", "%", "&", "-", "+", "?", "<", ">", "~", "/"]

    init(_ text: String) {
        scalars = Array(text.unicodeScalars)
        indices = Array(text.unicodeScalars.indices) + [text.endIndex]
        var closing: [Int: Int] = [:]
        var open: [Int] = []
        var index = 0
        while index < scalars.count {
            switch scalars[index] {
            case "\\": index += 1
            case "[": open.append(index)
            case "]": if let start = open.popLast() { closing[start] = index }
            default: break
            }
            index += 1
        }
        self.closing = closing
        lastCloseParenthesis = scalars.lastIndex(of: ")") ?? -1
    }

    /// The citation that starts at `start`, and the index just past it.
    func citation(at start: Int) -> (Citation, end: Int)? {
        switch scalars[start] {
        case "[":
            guard let close = closing[start], !isLink(start: start, close: close),
                  let items = group(start + 1, close) else { return nil }
            return (Citation(form: .parenthetical, items: items), close + 1)
        case "@":
            guard start == 0 || !(isWordCharacter(scalars[start - 1]) || scalars[start - 1] == "\\"),
                  let (key, keyEnd) = key(from: start + 1, to: scalars.count) else { return nil }
            var item = CitationItem(key: key)
            var end = keyEnd
            // `@key [p. 8]`: a bracket after the key (one space allowed) holds its locator and
            // suffix, unless it is a citation of its own or a link.
            var open = keyEnd
            if open < scalars.count, scalars[open] == " " { open += 1 }
            if open < scalars.count, scalars[open] == "[", let close = closing[open], !isLink(start: open, close: close),
               group(open + 1, close) == nil {
                var body = Array(scalars[(open + 1)..<close])
                if let first = body.first, first != ",", !isSpace(first) { body = [",", " "] + body }
                (item.locator, item.suffix) = locator(in: body[...])
                end = close + 1
            }
            return (Citation(form: .inText, items: [item]), end)
        default:
            return nil
        }
    }

    /// Past the link or image whose text opens at `start`, destination or label included: its
    /// text is a link's (a citation there would be a link inside a link), its destination an address.
    func linkEnd(at start: Int) -> Int? {
        guard scalars[start] == "[", let close = closing[start], isLink(start: start, close: close) else { return nil }
        guard close + 1 < scalars.count else { return close + 1 }
        if scalars[close + 1] == "[" { return closing[close + 1].map { $0 + 1 } ?? close + 1 }
        // Only a search that finds its `)` goes on past it, so every byte is searched once.
        if scalars[close + 1] == "(", close + 2 <= lastCloseParenthesis {
            var end = close + 2
            while end < scalars.count, scalars[end] != ")" { end += 1 }
            return end < scalars.count ? end + 1 : close + 1
        }
        return close + 1
    }

    private func isLink(start: Int, close: Int) -> Bool {
        if start > 0, scalars[start - 1] == "!" { return true }
        return close + 1 < scalars.count && (scalars[close + 1] == "(" || scalars[close + 1] == "[")
    }

    /// The items of a group whose text lies between `start` and `end`; nil unless every part has a key.
    private func group(_ start: Int, _ end: Int) -> [CitationItem]? {
        var items: [CitationItem] = []
        var partStart = start
        var index = start
        while index <= end {
            if index == end || scalars[index] == ";" {
                guard let item = item(partStart, index) else { return nil }
                items.append(item)
                partStart = index + 1
            } else if scalars[index] == "\\" {
                index += 1
            } else if scalars[index] == "[", let close = closing[index], close < end {
                index = close  // a bracket inside a prefix or suffix may hold a ';'
            }
            index += 1
        }
        return items
    }

    private func item(_ start: Int, _ end: Int) -> CitationItem? {
        var index = start
        while index < end {
            if scalars[index] == "\\" { index += 2; continue }
            // A key inside a bracket of the prefix is not this item's.
            if scalars[index] == "[", let close = closing[index], close < end { index = close + 1; continue }
            if scalars[index] == "@", index == start || !isWordCharacter(scalars[index - 1]),
               let (key, keyEnd) = key(from: index + 1, to: end) {
                // `-@key` suppresses the author when the minus begins a word.
                let minus = index > start && scalars[index - 1] == "-" && (index - 1 == start || isSpace(scalars[index - 2]))
                let (locator, suffix) = locator(in: scalars[keyEnd..<end])
                return CitationItem(key: key, prefix: collapsed(scalars[start..<(minus ? index - 1 : index)]).trimmed,
                                    locator: locator, suffix: suffix, suppressAuthor: minus)
            }
            index += 1
        }
        return nil
    }

    /// A key after the `@`, up to `end`, and the index just past it.
    func key(from start: Int, to end: Int) -> (String, Int)? {
        guard start < end else { return nil }
        if scalars[start] == "{" {
            var close = start + 1
            while close < end, scalars[close] != "}", scalars[close] != "{" { close += 1 }
            guard close < end, scalars[close] == "}", close > start + 1 else { return nil }
            return (String(String.UnicodeScalarView(scalars[(start + 1)..<close])), close + 1)
        }
        guard isKeyCharacter(scalars[start]) else { return nil }
        var index = start + 1
        while index < end {
            let scalar = scalars[index]
            let next = index + 1 < end ? scalars[index + 1] : nil
            if isKeyCharacter(scalar) {
                index += 1
            } else if Self.internalPunctuation.contains(scalar), let next, isKeyCharacter(next) {
                index += 2
            } else if scalar == ":" || scalar == "/", next == "/" {
                // The `://` of a URL, if a key character follows it: a key never ends in punctuation.
                var run = index + 1
                while run < end, scalars[run] == "/" { run += 1 }
                guard run < end, isKeyCharacter(scalars[run]) else { break }
                index = run + 1
            } else {
                break
            }
        }
        return (String(String.UnicodeScalarView(scalars[start..<index])), index)
    }

    static let locatorLabels: [String] = [
        "p.", "pp.", "page", "pages", "chap.", "chaps.", "ch.", "chapter", "chapters", "sec.", "secs.", "section",
        "sections", "§", "§§", "fig.", "figs.", "figure", "figures", "vol.", "vols.", "volume", "volumes", "no.",
        "nos.", "number", "n.", "nn.", "note", "notes", "para.", "paras.", "paragraph", "¶", "pt.", "pts.", "part",
        "l.", "ll.", "line", "lines", "col.", "cols.", "column", "bk.", "book", "v.", "vv.", "verse", "op.", "fol.",
        "eq.", "eqs.", "equation", "thm.", "theorem", "tab.", "table", "app.", "appendix",
    ].sorted { $0.count > $1.count }

    /// Splits what follows a key into a locator and the rest: `, p. 8, emphasis added` → ("p. 8",
    /// ", emphasis added"); `, 33` → ("33", ""); `, and elsewhere` → (nil, ", and elsewhere").
    private func locator(in text: ArraySlice<Unicode.Scalar>) -> (String?, String) {
        let whole = collapsed(text).trimmedEnd
        var body = text.drop { isSpace($0) }
        guard body.first == "," else { return (nil, whole) }
        body = body.dropFirst().drop { isSpace($0) }
        let bodyStart = body.startIndex
        let lowered = String(String.UnicodeScalarView(body.prefix(12))).lowercased()
        var valueStart = bodyStart
        var labelled = false
        for label in Self.locatorLabels where lowered.hasPrefix(label) {
            let after = bodyStart + label.unicodeScalars.count
            guard after < body.endIndex, isSpace(body[after]) || isDigit(body[after]) || label.hasSuffix(".") else { continue }
            valueStart = after
            labelled = true
            break
        }
        var index = valueStart
        while index < body.endIndex, isSpace(body[index]) { index += 1 }
        guard index < body.endIndex, isDigit(body[index]) || (labelled && isRomanNumeral(body[index...])) else { return (nil, whole) }
        // Values: "8", "33–35", "iv", "2.3", and more after commas when they begin with a digit.
        var end = index
        while true {
            let tokenStart = end
            while end < body.endIndex, isWordCharacter(body[end]) || "-–.".unicodeScalars.contains(body[end]) { end += 1 }
            while end > tokenStart, body[end - 1] == "." { end -= 1 }
            guard end > tokenStart, isLocatorValue(body[tokenStart..<end]) else { return (nil, whole) }
            var next = end
            guard next < body.endIndex, body[next] == "," else { break }
            next += 1
            while next < body.endIndex, isSpace(body[next]) { next += 1 }
            guard next < body.endIndex, isDigit(body[next]) else { break }
            end = next
        }
        return (collapsed(body[bodyStart..<end]).trimmed, collapsed(body[end...]).trimmedEnd)
    }

    /// Whether a value is numbers joined by `-`, `–` or `.`: digits, possibly with one letter after
    /// them ("12a"), or a roman numeral. "33rd" (of "33rd edition") is not.
    private func isLocatorValue(_ value: ArraySlice<Unicode.Scalar>) -> Bool {
        value.split { "-–.".unicodeScalars.contains($0) }.allSatisfy { part in
            let digits = part.prefix { isDigit($0) }
            return (!digits.isEmpty && part.count - digits.count <= 1) || isRomanNumeral(part)
        }
    }

    /// Whether a value begins with a roman numeral ("iv", "XII"), as a chapter or page may be numbered.
    private func isRomanNumeral(_ text: ArraySlice<Unicode.Scalar>) -> Bool {
        let word = text.prefix { isWordCharacter($0) }
        return !word.isEmpty && word.allSatisfy { "ivxlcdmIVXLCDM".unicodeScalars.contains($0) }
    }

    private func collapsed(_ text: ArraySlice<Unicode.Scalar>) -> String {
        var result = String.UnicodeScalarView()
        var space = false
        for scalar in text {
            if isSpace(scalar) { space = true; continue }
            if space { result.append(" ") }
            space = false
            result.append(scalar)
        }
        if space { result.append(" ") }
        return String(result)
    }

    private func isKeyCharacter(_ scalar: Unicode.Scalar) -> Bool { scalar == "_" || isWordCharacter(scalar) }
    private func isWordCharacter(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let value = scalar.value | 0x20
            return (value >= 0x61 && value <= 0x7A) || ("0"..."9").contains(scalar)
        }
        return scalar.properties.isAlphabetic || scalar.properties.numericType != nil
    }
    private func isDigit(_ scalar: Unicode.Scalar) -> Bool { ("0"..."9").contains(scalar) }
    private func isSpace(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isWhitespace }
}

extension String {
    var trimmed: String { trimmedEnd.trimmedStart }
    var trimmedEnd: String {
        var text = Substring(self)
        while text.last?.isWhitespace == true { text = text.dropLast() }
        return String(text)
    }
    var trimmedStart: String { String(drop { $0.isWhitespace }) }
}
