/// The entries of a BibTeX file (`references.bib`), as reference managers export it, by citation key.
///
/// ```
/// let (bibliography, diagnostics) = Bibliography.parse(text, file: "legend/references.bib")
/// bibliography["glorot2010"]?.title   // "Understanding the Difficulty of Training Deep Feedforward Neural Networks"
/// ```
public struct Bibliography: Sendable {
    /// The entries in file order; of entries that share a key only the first is here.
    public let entries: [BibEntry]
    private let positions: [String: Int]

    init(entries: [BibEntry]) {
        self.entries = entries
        var positions: [String: Int] = [:]
        for (position, entry) in entries.enumerated() where positions[entry.key] == nil { positions[entry.key] = position }
        self.positions = positions
    }

    /// The entry with this citation key (keys are compared exactly, as pandoc compares them).
    public subscript(key: String) -> BibEntry? { positions[key].map { entries[$0] } }

    /// Reads `text` (the contents of `file`, which only names it in diagnostics). A broken entry is
    /// reported and skipped, and the rest are still read: the diagnostics are errors for entries
    /// left out, warnings for what was read with a repair (a duplicate key, an unknown `@string`).
    public static func parse(_ text: String, file: String) -> (Bibliography, [Diagnostic]) {
        var reader = BibTeXReader(bytes: Array(text.utf8), file: file)
        reader.read()
        return (Bibliography(entries: reader.entries), reader.diagnostics)
    }
}

/// One entry of a `.bib` file: `@article{glorot2010, author = …, title = …}`.
public struct BibEntry: Sendable, Equatable {
    /// The entry type, lowercased: `article`, `inproceedings`, `book`, …
    public var type: String
    public var key: String
    /// Field values by lowercased name, as Unicode text: LaTeX accents and escapes converted,
    /// protective braces removed, whitespace collapsed. URL-like fields (`url`, `doi`, `eprint`)
    /// are kept as written, only unescaped.
    public var fields: [String: String]
    public var authors: NameList
    public var editors: NameList
    /// Where the entry's `@` is in the file.
    public var line: Int
    public var column: Int

    public init(type: String, key: String, fields: [String: String], authors: NameList = NameList(),
                editors: NameList = NameList(), line: Int = 1, column: Int = 1) {
        self.type = type
        self.key = key
        self.fields = fields
        self.authors = authors
        self.editors = editors
        self.line = line
        self.column = column
    }

    /// A field's text; `name` is matched case-insensitively.
    public subscript(field name: String) -> String? { fields[name.lowercased()] }

    public var title: String? { nonEmpty("title") }

    /// The `year` field, or the year of the biblatex `date` field (`2016-06-27` → `2016`).
    public var year: String? {
        if let year = nonEmpty("year") { return year }
        guard let date = nonEmpty("date") else { return nil }
        let digits = date.prefix { $0.isASCII && $0.isNumber }
        return digits.count == 4 ? String(digits) : date
    }

    func nonEmpty(_ name: String) -> String? {
        guard let value = fields[name], !value.isEmpty else { return nil }
        return value
    }
}

/// The reader behind `Bibliography.parse`: one pass over the file's UTF-8 bytes. Nesting is
/// counted, never recursed into, and limited to `maximumDepth`, so no file can overflow the stack
/// or make the reading (or the LaTeX conversion after it) take more than time linear in its length.
struct BibTeXReader {
    static let maximumDepth = 64
    /// After this many, further problems are counted, not reported: a file of a million broken
    /// entries would otherwise make a million diagnostics.
    static let maximumDiagnostics = 100
    /// Fields whose values are addresses, kept as written (a `~` in a URL is not a no-break space).
    static let verbatimFields: Set<String> = ["url", "doi", "eprint", "file", "pdf"]
    /// BibTeX's and biblatex's entry types: the names after an `@` that cannot be prose.
    static let entryTypes: Set<String> = [
        "article", "book", "booklet", "conference", "inbook", "incollection", "inproceedings", "manual", "mastersthesis",
        "misc", "phdthesis", "proceedings", "techreport", "unpublished", "online", "report", "thesis", "collection",
        "dataset", "software", "patent", "periodical", "electronic", "www", "string", "preamble",
    ]
    static let months: [String: String] = [
        "jan": "January", "feb": "February", "mar": "March", "apr": "April", "may": "May", "jun": "June",
        "jul": "July", "aug": "August", "sep": "September", "oct": "October", "nov": "November", "dec": "December",
    ]

    let bytes: [UInt8]
    let file: String
    var position = 0
    var entries: [BibEntry] = []
    var diagnostics: [Diagnostic] = []
    private var unreported = 0
    private var firstLines: [String: Int] = [:]
    private var macros: [String: [UInt8]] = months.mapValues { Array($0.utf8) }
    private let locator: LineLocator
    /// The bytes that `@string` names have stood for so far, and how many they may: a few lines
    /// of macros that each repeat the one before (`@string{b = a # a}`) would otherwise expand
    /// to more than any memory holds.
    private var expansion = 0
    /// `@string` names refused (their values grew too long), with the line where it happened.
    private var refusedMacros: [String: Int] = [:]
    private let expansionLimit: Int

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
        self.locator = LineLocator(bytes: bytes)
        expansionLimit = 4 * bytes.count + (1 << 20)
    }

    /// A problem that ends the reading of one entry, at a byte offset.
    struct Problem: Error {
        var offset: Int
        var message: String
        var macro: MacroRefusal? = nil
        /// Not reported: its cause was.
        var silent = false
    }

    /// Why a value that uses `@string` names was refused. A `@string` refused for either is
    /// refused in turn, silently for a use (its cause is reported once); an entry is refused
    /// with a message naming it.
    enum MacroRefusal {
        /// The macros expanded past `expansionLimit`, on this line.
        case overflow(line: Int)
        /// It uses a `@string` refused on this line.
        case use(line: Int)
    }

    mutating func read() {
        while let at = nextAt(from: position) {
            position = at + 1
            // Text between entries is a comment; an address such as a@b.org in it starts nothing.
            if at > 0, isWordByte(bytes[at - 1]) { continue }
            readItem(at: at)
        }
        if unreported > 0 {
            diagnostics.append(.warning("\(unreported) more problems in this file are not shown; fix the ones above and read it again", file: file))
        }
    }

    private func nextAt(from start: Int) -> Int? {
        var index = start
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "@") { return index }
            index += 1
        }
        return nil
    }

    // MARK: Items: entries, @string, @preamble, @comment

    private mutating func readItem(at entryStart: Int) {
        guard let type = identifier() else { return }  // a lone '@' in text between entries
        let kind = type.lowercased()
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "{") || bytes[position] == UInt8(ascii: "(") else {
            // Between entries, "@name" without a brace is taken for prose ("write to @legend"),
            // unless the name is an entry type: then it is an entry missing its brace.
            if Self.entryTypes.contains(kind) {
                report(.error, "expected '{' or '(' after '@\(type)', found \(found(at: position)); an entry is written @\(type){key, title = {…}}", at: position)
            }
            return
        }
        let opener = position
        switch kind {
        case "comment", "preamble":
            // Ignored whole, braces and all; an unclosed one ends where the next entry starts.
            position = skipEntry(from: opener)
        default:
            do {
                if kind == "string" { try readMacro(opener: opener) } else { try readEntry(type: kind, at: entryStart, opener: opener) }
            } catch {
                if !error.silent { report(.error, error.message, at: error.offset) }
                position = max(skipEntry(from: opener), min(error.offset, bytes.count))
            }
        }
    }

    private mutating func readEntry(type: String, at entryStart: Int, opener: Int) throws(Problem) {
        let close = closer(of: opener)
        position = opener + 1
        skipWhitespace()
        let keyStart = position
        while position < bytes.count, isKeyByte(bytes[position], close: close) { position += 1 }
        let key = String(decoding: bytes[keyStart..<position], as: UTF8.self)
        skipWhitespace()
        if key.isEmpty {
            throw Problem(offset: position, message: "expected the entry's key after '\(Character(Unicode.Scalar(bytes[opener])))', found \(found(at: position)); write it first, as in @\(type){glorot2010, title = {…}}")
        }
        if next(is: UInt8(ascii: "=")) {
            throw Problem(offset: keyStart, message: "the entry has no key: '\(key)' is followed by '='; write the key first, as in @\(type){glorot2010, \(key) = …}")
        }
        var raw: [(name: String, value: [UInt8], offset: Int)] = []
        let neverClosed = Problem(offset: entryStart, message: "the entry '\(key)' is never closed; add the '\(Character(Unicode.Scalar(close)))' that ends it")
        if next(is: close) {
            position += 1
        } else {
            guard next(is: UInt8(ascii: ",")) else {
                if position >= bytes.count { throw neverClosed }
                throw unclosed(key: key, entry: entryStart, close: close) ?? Problem(offset: position, message: "expected ',' after the key '\(key)', found \(found(at: position)); separate the key and the fields with commas")
            }
            position += 1
            fields: while true {
                skipWhitespace()
                if next(is: close) { position += 1; break fields }
                if position >= bytes.count { throw neverClosed }
                let nameOffset = position
                guard let name = identifier() else {
                    throw unclosed(key: key, entry: entryStart, close: close) ?? Problem(offset: position, message: "expected a field name or '\(Character(Unicode.Scalar(close)))' in the entry '\(key)', found \(found(at: position))")
                }
                skipWhitespace()
                guard next(is: UInt8(ascii: "=")) else {
                    if position >= bytes.count { throw neverClosed }
                    throw Problem(offset: position, message: "expected '=' after the field name '\(name)', found \(found(at: position)); a field is written \(name) = {…}")
                }
                position += 1
                let value = try readValue(of: name)
                raw.append((name.lowercased(), value, nameOffset))
                skipWhitespace()
                if next(is: UInt8(ascii: ",")) { position += 1; continue }
                if next(is: close) { position += 1; break fields }
                if position >= bytes.count { throw neverClosed }
                throw unclosed(key: key, entry: entryStart, close: close) ?? Problem(offset: position, message: "expected ',' or '\(Character(Unicode.Scalar(close)))' after the value of '\(name)', found \(found(at: position)); separate fields with commas")
            }
        }
        addEntry(type: type, key: key, raw: raw, at: entryStart)
    }

    private mutating func addEntry(type: String, key: String, raw: [(name: String, value: [UInt8], offset: Int)], at: Int) {
        var fields: [String: String] = [:]
        var authors = NameList(), editors = NameList()
        for (name, value, offset) in raw {
            guard fields[name] == nil else {
                report(.warning, "the field '\(name)' is given twice in the entry '\(key)'; the first value is kept, remove the other", at: offset)
                continue
            }
            if Self.verbatimFields.contains(name) {
                fields[name] = LaTeXText.verbatim(value)
                continue
            }
            fields[name] = LaTeXText.unicode(value)
            if name == "author" || name == "editor" {
                let (names, problems) = NameList.parse(value)
                for problem in problems { report(.warning, "\(problem) in the '\(name)' field of '\(key)'", at: offset) }
                if name == "author" { authors = names } else { editors = names }
            }
        }
        let (line, column) = locator.location(of: at)
        if let first = firstLines[key] {
            report(.warning, "the key '\(key)' is used again (first at line \(first)); the first entry is kept, rename or remove this one", at: at)
            return
        }
        firstLines[key] = line
        entries.append(BibEntry(type: type, key: key, fields: fields, authors: authors, editors: editors, line: line, column: column))
    }

    /// `@string{name = value}`: a macro that later values use by name.
    private mutating func readMacro(opener: Int) throws(Problem) {
        let close = closer(of: opener)
        position = opener + 1
        skipWhitespace()
        guard let name = identifier() else {
            throw Problem(offset: position, message: "expected a name after '@string\(Character(Unicode.Scalar(bytes[opener])))', found \(found(at: position)); a macro is written @string{name = {text}}")
        }
        skipWhitespace()
        guard next(is: UInt8(ascii: "=")) else {
            throw Problem(offset: position, message: "expected '=' after the @string name '\(name)', found \(found(at: position)); a macro is written @string{\(name) = {text}}")
        }
        position += 1
        let value: [UInt8]
        do {
            value = try readValue(of: name)
        } catch {
            var refusal = error
            switch error.macro {
            case nil: throw error
            case .overflow(let line): refusedMacros[name.lowercased()] = line
            case .use(let line): refusedMacros[name.lowercased()] = line; refusal.silent = true
            }
            macros[name.lowercased()] = nil
            throw refusal
        }
        skipWhitespace()
        guard next(is: close) else {
            throw Problem(offset: position, message: "expected '\(Character(Unicode.Scalar(close)))' after the value of @string '\(name)', found \(found(at: position)); a @string defines one name")
        }
        position += 1
        macros[name.lowercased()] = value
        refusedMacros[name.lowercased()] = nil
    }

    // MARK: Values

    /// A field's value: pieces (`{…}`, `"…"`, a number, a @string name) joined by `#`, as raw
    /// LaTeX with the delimiters of each piece removed.
    private mutating func readValue(of field: String) throws(Problem) -> [UInt8] {
        var value: [UInt8] = []
        while true {
            skipWhitespace()
            guard position < bytes.count else {
                throw Problem(offset: position, message: "expected a value for '\(field)', found the end of the file")
            }
            let byte = bytes[position]
            if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "\"") {
                value += try delimited(field: field)
            } else if isDigit(byte) {
                let start = position
                while position < bytes.count, isDigit(bytes[position]) { position += 1 }
                value += bytes[start..<position]
            } else if let name = identifier() {
                let offset = position - name.utf8.count
                if let line = refusedMacros[name.lowercased()] {
                    throw Problem(offset: offset, message: "the value of '\(field)' uses the @string '\(name)', which was refused at line \(line); fix that one first",
                                  macro: .use(line: line))
                }
                if let macro = macros[name.lowercased()] {
                    guard expansion + macro.count <= expansionLimit else {
                        throw Problem(offset: offset, message: "@string macros make the values of this file longer than \(expansionLimit) bytes in all; write the text of '\(name)' out instead of repeating it",
                                      macro: .overflow(line: locator.line(of: offset)))
                    }
                    expansion += macro.count
                    value += macro
                } else {
                    report(.warning, "'\(name)' in the value of '\(field)' is not a @string defined above; define it first with @string{\(name) = {…}}, or write the text in braces", at: offset)
                }
            } else {
                throw Problem(offset: position, message: "expected a value for '\(field)' after '=' ({text}, \"text\", a number or a @string name), found \(found(at: position))")
            }
            skipWhitespace()
            guard next(is: UInt8(ascii: "#")) else { return value }
            position += 1
        }
    }

    /// `{…}` or `"…"`, braces balanced inside, at most `maximumDepth` deep.
    private mutating func delimited(field: String) throws(Problem) -> [UInt8] {
        let open = position
        let quoted = bytes[open] == UInt8(ascii: "\"")
        var depth = quoted ? 0 : 1
        position += 1
        let start = position
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: "{"):
                depth += 1
                if depth > Self.maximumDepth {
                    throw Problem(offset: position, message: "braces nest more than \(Self.maximumDepth) levels deep in the value of '\(field)'; remove the extra braces")
                }
            case UInt8(ascii: "}"):
                if depth == 0 {
                    throw Problem(offset: position, message: "a '}' in the quoted value of '\(field)' has no matching '{'; braces inside a value must pair up")
                }
                depth -= 1
                if depth == 0 && !quoted {
                    position += 1
                    return Array(bytes[start..<(position - 1)])
                }
            case UInt8(ascii: "\"") where quoted && depth == 0:
                position += 1
                return Array(bytes[start..<(position - 1)])
            case UInt8(ascii: "@") where startsEntryLine(position):
                throw Problem(offset: open, message: quoted
                    ? "the quoted value of '\(field)' is not closed before the next entry (line \(locator.line(of: position))); add the closing '\"'"
                    : "the '{' that opens the value of '\(field)' is not closed before the next entry (line \(locator.line(of: position))); add the missing '}'")
            default:
                break
            }
            position += 1
        }
        throw Problem(offset: open, message: quoted
            ? "the quoted value of '\(field)' is never closed; add the closing '\"'"
            : "the '{' that opens the value of '\(field)' is never closed; add the missing '}'")
    }

    // MARK: Recovery

    /// Where reading goes on after a broken entry: past the delimiter that closes it, counting
    /// braces as BibTeX does, or at the next entry that starts a line, whichever comes first.
    private func skipEntry(from opener: Int) -> Int {
        let close = closer(of: opener)
        var depth = 0
        var index = opener + 1
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "{") {
                depth += 1
            } else if byte == UInt8(ascii: "}") {
                if depth == 0 { return index + 1 }
                depth -= 1
            } else if byte == close && depth == 0 {
                return index + 1
            } else if byte == UInt8(ascii: "@") && startsEntryLine(index) {
                return index
            }
            index += 1
        }
        return bytes.count
    }

    /// The message for an entry that runs into the next one, when that is what `position` shows.
    private func unclosed(key: String, entry: Int, close: UInt8) -> Problem? {
        guard position < bytes.count, bytes[position] == UInt8(ascii: "@"), startsEntryLine(position) else { return nil }
        return Problem(offset: entry, message: "the entry '\(key)' is not closed before the next entry (line \(locator.line(of: position))); add the '\(Character(Unicode.Scalar(close)))' that ends it")
    }

    /// Whether the `@` at `index` is the first thing on its line and begins `@name{` or `@name(`:
    /// a value or an entry that runs into it was never closed. (A value can hold such a line only
    /// if it is an entry quoted in an abstract; that is read as the unclosed value it looks like.)
    private func startsEntryLine(_ index: Int) -> Bool {
        var back = index
        while back > 0, bytes[back - 1] == UInt8(ascii: " ") || bytes[back - 1] == UInt8(ascii: "\t") { back -= 1 }
        guard back == 0 || bytes[back - 1] == UInt8(ascii: "\n") || bytes[back - 1] == UInt8(ascii: "\r") else { return false }
        var next = index + 1
        while next < bytes.count, isIdentifierByte(bytes[next]) { next += 1 }
        guard next > index + 1 else { return false }
        while next < bytes.count, isWhitespace(bytes[next]) { next += 1 }
        return next < bytes.count && (bytes[next] == UInt8(ascii: "{") || bytes[next] == UInt8(ascii: "("))
    }

    // MARK: Lexical pieces

    private func closer(of opener: Int) -> UInt8 {
        bytes[opener] == UInt8(ascii: "(") ? UInt8(ascii: ")") : UInt8(ascii: "}")
    }

    private func next(is byte: UInt8) -> Bool { position < bytes.count && bytes[position] == byte }

    private mutating func skipWhitespace() {
        while position < bytes.count, isWhitespace(bytes[position]) { position += 1 }
    }

    /// An entry type, field or macro name: BibTeX's identifier characters, not starting with a digit.
    private mutating func identifier() -> String? {
        guard position < bytes.count, isIdentifierByte(bytes[position]), !isDigit(bytes[position]) else { return nil }
        let start = position
        while position < bytes.count, isIdentifierByte(bytes[position]) { position += 1 }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private func isIdentifierByte(_ byte: UInt8) -> Bool {
        if byte >= 0x80 { return true }
        if byte <= 0x20 || byte == 0x7F { return false }
        return !"\"#%'(),={}@".utf8.contains(byte)
    }

    private func isKeyByte(_ byte: UInt8, close: UInt8) -> Bool {
        if byte >= 0x80 { return true }
        if byte <= 0x20 || byte == 0x7F || byte == close { return false }
        return !",={}()\"#@".utf8.contains(byte)
    }

    private func isWhitespace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
            || byte == 0x0B || byte == 0x0C
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private func isWordByte(_ byte: UInt8) -> Bool {
        isDigit(byte) || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || byte >= 0x80
    }

    /// How a message quotes what it found at `index`.
    private func found(at index: Int) -> String {
        guard index < bytes.count else { return "the end of the file" }
        var end = index + 1
        while end < bytes.count, bytes[end] & 0xC0 == 0x80 { end += 1 }
        switch bytes[index] {
        case UInt8(ascii: "\n"), UInt8(ascii: "\r"): return "the end of the line"
        case let byte where byte < 0x20: return "a control character"
        default: return "'" + String(decoding: bytes[index..<end], as: UTF8.self) + "'"
        }
    }

    private mutating func report(_ severity: Diagnostic.Severity, _ message: String, at offset: Int) {
        guard diagnostics.count < Self.maximumDiagnostics else { unreported += 1; return }
        let (line, column) = locator.location(of: min(offset, bytes.count))
        diagnostics.append(Diagnostic(severity, message, file: file, line: line, column: column))
    }
}

/// Line and column (both from 1; columns count characters, not bytes) of byte offsets. A class,
/// so that its cache serves the reader's non-mutating checks too: offsets asked for in increasing
/// order on one line, as a one-line file's entries are, cost only the bytes between them.
final class LineLocator {
    private let bytes: [UInt8]
    /// The offset of each line's first byte.
    private let lineStarts: [Int]
    private var cached = (offset: 0, line: 1, column: 1)

    init(bytes: [UInt8]) {
        self.bytes = bytes
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { starts.append(offset + 1) }
        lineStarts = starts
    }

    func line(of offset: Int) -> Int {
        var low = 0, high = lineStarts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if lineStarts[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        return low + 1
    }

    func location(of target: Int) -> (line: Int, column: Int) {
        let target = min(max(target, 0), bytes.count)
        let line = line(of: target)
        var (offset, column) = (lineStarts[line - 1], 1)
        if cached.line == line && cached.offset <= target { (offset, column) = (cached.offset, cached.column) }
        while offset < target {
            if bytes[offset] & 0xC0 != 0x80 { column += 1 }
            offset += 1
        }
        cached = (target, line, column)
        return (line, column)
    }
}
