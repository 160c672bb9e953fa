import Foundation

/// The LaTeX of a BibTeX value as the Unicode text a reader sees: `{\"o}` → `ö`, `{\'\i}` → `í`,
/// `\c{c}` → `ç`, `\ss` → `ß`, `\&` → `&`, `--` → `–`, `---` → `—`, `~` → a no-break space;
/// protective braces removed; formatting commands (`\emph{x}`, `\textbf{x}`) leave their text, and
/// other unknown commands are dropped. Math (`$…$`) is kept as written, dollars included, for the
/// weaver to render. One pass; an accent's argument is converted by recursion, at most
/// `BibTeXReader.maximumDepth` deep, so no value can overflow the stack.
enum LaTeXText {
    static func unicode(_ raw: some Collection<UInt8>) -> String {
        var converter = Converter(input: Array(raw))
        converter.convert(depth: 0, group: false)
        let text = String(decoding: converter.output, as: UTF8.self)
        // Accents were written as a letter and a combining mark; compose them (o + ̈ → ö).
        return converter.combined ? text.precomposedStringWithCanonicalMapping : text
    }

    /// A URL-like value as written, without LaTeX's escapes (`\_`, `\%`, `\&`, `\#`, `\~`),
    /// braces or whitespace (which an address cannot hold; exporters wrap long ones).
    static func verbatim(_ raw: some Collection<UInt8>) -> String {
        var output: [UInt8] = []
        var escaped = false
        for byte in raw {
            if escaped {
                escaped = false
                if "_%&#$~{}".utf8.contains(byte) { output.append(byte); continue }
                output.append(UInt8(ascii: "\\"))
            }
            switch byte {
            case UInt8(ascii: "\\"): escaped = true
            case UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): break
            default: output.append(byte)
            }
        }
        if escaped { output.append(UInt8(ascii: "\\")) }
        return String(decoding: output, as: UTF8.self)
    }

    /// Accents by the command that writes them, as combining marks.
    static let accents: [String: Unicode.Scalar] = [
        "`": "\u{300}", "'": "\u{301}", "^": "\u{302}", "~": "\u{303}", "=": "\u{304}", "u": "\u{306}",
        ".": "\u{307}", "\"": "\u{308}", "r": "\u{30A}", "H": "\u{30B}", "v": "\u{30C}", "d": "\u{323}",
        "c": "\u{327}", "k": "\u{328}", "b": "\u{331}", "t": "\u{361}",
    ]

    /// Commands that stand for a character or a word.
    static let symbols: [String: String] = [
        "i": "ı", "j": "ȷ", "ss": "ß", "SS": "SS", "ae": "æ", "AE": "Æ", "oe": "œ", "OE": "Œ", "o": "ø", "O": "Ø",
        "aa": "å", "AA": "Å", "l": "ł", "L": "Ł", "dh": "ð", "DH": "Ð", "th": "þ", "TH": "Þ", "ng": "ŋ", "NG": "Ŋ",
        "dj": "đ", "DJ": "Đ", "textendash": "–", "textemdash": "—", "ldots": "…", "dots": "…", "textellipsis": "…",
        "textquoteleft": "‘", "textquoteright": "’", "textquotedblleft": "“", "textquotedblright": "”",
        "guillemotleft": "«", "guillemotright": "»", "S": "§", "P": "¶", "copyright": "©", "textcopyright": "©",
        "textregistered": "®", "texttrademark": "™", "pounds": "£", "euro": "€", "texteuro": "€", "textdegree": "°",
        "textbackslash": "\\", "textasciitilde": "~", "textunderscore": "_", "textbar": "|", "textless": "<",
        "textgreater": ">", "textbullet": "•", "textdagger": "†", "dag": "†", "LaTeX": "LaTeX", "TeX": "TeX",
        "BibTeX": "BibTeX", "XeTeX": "XeTeX", "LuaTeX": "LuaTeX", "textsection": "§", "textparagraph": "¶",
        "quad": " ", "qquad": " ", "space": " ", "slash": "/", "textperiodcentered": "·",
    ]

    private struct Converter {
        let input: [UInt8]
        var index = 0
        var output: [UInt8] = []
        var combined = false
        /// Whitespace seen and not yet written: runs collapse to one space, and none is written
        /// at the start or the end.
        var pendingSpace = false

        init(input: [UInt8]) { self.input = input }

        /// Converts up to the end, or (in a `group`) up to the `}` that closes it, which is consumed.
        mutating func convert(depth: Int, group: Bool) {
            var braces = 0
            while index < input.count {
                let byte = input[index]
                switch byte {
                case UInt8(ascii: "{"):
                    braces += 1
                    index += 1
                case UInt8(ascii: "}"):
                    index += 1
                    if braces == 0 { if group { return } } else { braces -= 1 }
                case UInt8(ascii: "\\"):
                    command(depth: depth)
                case UInt8(ascii: "~"):
                    write("\u{A0}")
                    index += 1
                case UInt8(ascii: "-"):
                    var run = 0
                    while index < input.count, input[index] == UInt8(ascii: "-") { run += 1; index += 1 }
                    while run >= 3 { write("—"); run -= 3 }
                    if run == 2 { write("–") } else if run == 1 { write("-") }
                case UInt8(ascii: "`") where next(is: "`"):
                    write("“")
                    index += 2
                case UInt8(ascii: "'") where next(is: "'"):
                    write("”")
                    index += 2
                case UInt8(ascii: "$"):
                    math()
                case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                    pendingSpace = true
                    index += 1
                default:
                    flushSpace()
                    output.append(byte)
                    index += 1
                }
            }
        }

        private func next(is character: Unicode.Scalar) -> Bool {
            index + 1 < input.count && input[index + 1] == UInt8(character.value)
        }

        /// `\name` or `\symbol`, at the backslash.
        private mutating func command(depth: Int) {
            index += 1
            guard index < input.count else { write("\\"); return }
            let first = input[index]
            guard isLetter(first) else {
                index += 1
                let symbol = String(Unicode.Scalar(first))
                if let mark = LaTeXText.accents[symbol] { accent(mark, depth: depth); return }
                switch first {
                case UInt8(ascii: "\\"), UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t"), UInt8(ascii: "\r"),
                     UInt8(ascii: ";"), UInt8(ascii: ":"):
                    pendingSpace = true
                case UInt8(ascii: ","): write("\u{2009}")
                case UInt8(ascii: "-"), UInt8(ascii: "/"), UInt8(ascii: "@"), UInt8(ascii: "!"): break
                default:
                    // An escaped character (`\&`, `\%`, `\$`, `\{`, …) is itself; so is any other.
                    index -= 1
                    copyCharacter()
                }
                return
            }
            let start = index
            while index < input.count, isLetter(input[index]) { index += 1 }
            let name = String(decoding: input[start..<index], as: UTF8.self)
            // TeX ends a command's name at the first non-letter and drops the spaces after it.
            while index < input.count, isSpace(input[index]) { index += 1 }
            if let mark = LaTeXText.accents[name] {
                accent(mark, depth: depth)
            } else if let symbol = LaTeXText.symbols[name] {
                write(symbol)
            } else if name == "url" {
                verbatimGroup(writing: true)
            } else if name == "href" {
                verbatimGroup(writing: false)
            }
            // Any other command is dropped; the text of its arguments stays (`\emph{x}` → x).
        }

        /// An accent over the next character, group or command: written as it and a combining
        /// mark after its first character.
        private mutating func accent(_ mark: Unicode.Scalar, depth: Int) {
            while index < input.count, isSpace(input[index]) { index += 1 }
            guard index < input.count, depth < BibTeXReader.maximumDepth else { return }
            flushSpace()
            let start = output.count
            switch input[index] {
            case UInt8(ascii: "{"):
                index += 1
                convert(depth: depth + 1, group: true)
            case UInt8(ascii: "\\"):
                command(depth: depth + 1)
            case UInt8(ascii: "}"):
                return
            default:
                copyCharacter()
            }
            attach(mark, after: start)
        }

        private mutating func attach(_ mark: Unicode.Scalar, after start: Int) {
            var first = start
            while first < output.count, output[first] == UInt8(ascii: " ") { first += 1 }
            guard first < output.count else { return }
            var end = first + 1
            while end < output.count, output[end] & 0xC0 == 0x80 { end += 1 }
            // The dotless ı and ȷ take accents in TeX; in Unicode the accented i and j do.
            let base = output[first..<end]
            var replacement: [UInt8] = base.elementsEqual("ı".utf8) ? Array("i".utf8) : base.elementsEqual("ȷ".utf8) ? Array("j".utf8) : Array(base)
            replacement += Array(String(mark).utf8)
            output.replaceSubrange(first..<end, with: replacement)
            combined = true
        }

        /// `\url{…}` (the address, as written) and `\href{…}` (dropped; the text follows it).
        private mutating func verbatimGroup(writing: Bool) {
            guard index < input.count, input[index] == UInt8(ascii: "{") else { return }
            var braces = 0
            let start = index + 1
            while index < input.count {
                if input[index] == UInt8(ascii: "{") { braces += 1 }
                if input[index] == UInt8(ascii: "}") {
                    braces -= 1
                    if braces == 0 { break }
                }
                index += 1
            }
            if writing {
                flushSpace()
                output += LaTeXText.verbatim(input[start..<min(index, input.count)]).utf8
            }
            index += 1
        }

        /// `$…$` kept as written; a `$` without a partner is a dollar sign.
        private mutating func math() {
            var end = index + 1
            while end < input.count, input[end] != UInt8(ascii: "$") {
                end += input[end] == UInt8(ascii: "\\") ? 2 : 1
            }
            flushSpace()
            guard end < input.count else { output.append(UInt8(ascii: "$")); index += 1; return }
            output += input[index...end]
            index = end + 1
        }

        private mutating func copyCharacter() {
            flushSpace()
            output.append(input[index])
            index += 1
            while index < input.count, input[index] & 0xC0 == 0x80 { output.append(input[index]); index += 1 }
        }

        private mutating func write(_ text: String) {
            flushSpace()
            output += text.utf8
        }

        private mutating func flushSpace() {
            if pendingSpace && !output.isEmpty { output.append(UInt8(ascii: " ")) }
            pendingSpace = false
        }

        private func isLetter(_ byte: UInt8) -> Bool { byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z") }
        private func isSpace(_ byte: UInt8) -> Bool {
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
        }
    }
}
