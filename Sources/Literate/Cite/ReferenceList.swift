import Foundation
import NotebookCore

/// The "References" list of a chapter: its works sorted by author, then year, then title, each
/// written in Chicago's author–date form, as HTML or as Markdown:
///
/// Glorot, Xavier, and Yoshua Bengio. 2010. “Understanding the Difficulty of Training Deep
/// Feedforward Neural Networks.” In *Proceedings of AISTATS*, 249–256. https://…
///
/// The years carry the same letters as the citations (`labels`), so "2016a" in the text finds
/// "2016a" in the list.
public struct ReferenceList: Sendable {
    /// The works in the list's order, each key once.
    public let entries: [BibEntry]
    public let labels: AuthorYearLabels

    /// - Parameter labels: the labels the citations were written with, when they were made for
    ///   more works than these (a book's, for one chapter's list); by default, these works' own.
    public init(_ entries: some Sequence<BibEntry>, labels: AuthorYearLabels? = nil) {
        self.entries = ReferenceOrder.sorted(entries)
        self.labels = labels ?? AuthorYearLabels(self.entries)
    }

    /// `<div class="references">` with one `<p class="reference" id="ref-KEY">` per work (the id
    /// pandoc gives it, for citations to link to).
    public func html() -> String {
        var list = "<div class=\"references\">\n"
        for entry in entries {
            list += "<p class=\"reference\" id=\"ref-\(HTMLWriter.escape(entry.key))\">" + html(for: entry) + "</p>\n"
        }
        return list + "</div>\n"
    }

    /// One paragraph per work, separated by blank lines.
    public func markdown() -> String {
        entries.map { markdown(for: $0) }.joined(separator: "\n\n") + (entries.isEmpty ? "" : "\n")
    }

    /// One work's text as HTML: escaped, the venue (or a book's title) in `<em>`, the DOI (as
    /// `https://doi.org/…`) or URL as a link. Only http and https addresses become links.
    public func html(for entry: BibEntry) -> String {
        ReferenceText.sentences(for: entry, year: year(of: entry)).map { sentence in
            sentence.pieces.map { piece in
                switch piece {
                case .text(let text): HTMLWriter.escape(text)
                case .emphasis(let text): "<em>" + HTMLWriter.escape(text) + "</em>"
                case .quoted(let text): "“" + HTMLWriter.escape(ReferenceText.closed(text)) + "”"
                case .link(let address):
                    "<a href=\"" + HTMLWriter.escape(address) + "\">" + HTMLWriter.escape(address) + "</a>"
                }
            }.joined() + sentence.terminator
        }.joined(separator: " ")
    }

    /// One work's text as Markdown: Markdown's and Legend's punctuation escaped (`*`, `[`, `$`,
    /// `@`, …), the venue in `*…*`, links as `<https://…>`.
    public func markdown(for entry: BibEntry) -> String {
        let text = ReferenceText.sentences(for: entry, year: year(of: entry)).map { sentence in
            sentence.pieces.map { piece in
                switch piece {
                case .text(let text): MarkdownEscaping.escaped(text)
                case .emphasis(let text): "*" + MarkdownEscaping.escaped(text) + "*"
                case .quoted(let text): "“" + MarkdownEscaping.escaped(ReferenceText.closed(text)) + "”"
                case .link(let address): "<" + address + ">"
                }
            }.joined() + sentence.terminator
        }.joined(separator: " ")
        return MarkdownEscaping.escapedLineStart(text)
    }

    private func year(of entry: BibEntry) -> String { labels[entry.key]?.year ?? entry.year ?? "n.d." }
}

/// The order of a reference list: by the authors' (or editors') names — last, first, von —
/// ignoring case and accents, then by year, then by title; a work without names sorts by its title.
enum ReferenceOrder {
    static func sorted(_ entries: some Sequence<BibEntry>) -> [BibEntry] {
        var seen = Set<String>()
        let unique = entries.filter { seen.insert($0.key).inserted }
        let keys = unique.map(SortKey.init)
        return unique.indices.sorted { keys[$0] < keys[$1] }.map { unique[$0] }
    }

    struct SortKey: Comparable {
        var names: [String]
        var year: Int
        var title: String
        var key: String

        init(_ entry: BibEntry) {
            let list = entry.authors.isEmpty ? entry.editors : entry.authors
            names = list.isEmpty
                ? [Self.folded(entry.title ?? entry.key)]
                : list.names.map { Self.folded([$0.last, $0.first, $0.von, $0.jr].joined(separator: "\u{1}")) }
            year = entry.year.flatMap { Int($0.prefix { $0.isASCII && $0.isNumber }) } ?? Int.max
            title = Self.folded(entry.title ?? "")
            key = entry.key
        }

        static func folded(_ text: String) -> String {
            text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        }

        static func < (a: SortKey, b: SortKey) -> Bool {
            if a.names != b.names { return a.names.lexicographicallyPrecedes(b.names) }
            if a.year != b.year { return a.year < b.year }
            if a.title != b.title { return a.title < b.title }
            return a.key < b.key
        }
    }
}

/// What a reference says, in order, before it is written as HTML or Markdown.
enum ReferenceText {
    enum Piece: Equatable {
        case text(String)
        /// A venue or a book's title: italic.
        case emphasis(String)
        /// An article's title, in quotation marks that close after its full stop.
        case quoted(String)
        case link(String)
    }

    struct Sentence {
        var pieces: [Piece]
        /// The full stop, unless the sentence ends in one (or in a link, which must stay whole).
        var terminator: String {
            switch pieces.last {
            case .text(let text)?, .emphasis(let text)?: ".?!".contains(text.last ?? ".") ? "" : "."
            default: ""
            }
        }
    }

    /// Books and the like carry their own title in italics; articles and chapters, in quotes.
    static let standalone: Set<String> = ["book", "mvbook", "proceedings", "mvproceedings", "manual", "booklet", "collection", "periodical"]

    static func sentences(for entry: BibEntry, year: String) -> [Sentence] {
        var sentences: [Sentence] = []
        func add(_ pieces: [Piece]) { if !pieces.isEmpty { sentences.append(Sentence(pieces: pieces)) } }
        func field(_ names: String...) -> String? { names.lazy.compactMap { entry.nonEmpty($0) }.first }

        let title = entry.title.map { standalone.contains(entry.type) ? Piece.emphasis($0) : Piece.quoted($0) }
        if let names = names(of: entry) {
            add([.text(names)])
            add([.text(year)])
            add(title.map { [$0] } ?? [])
        } else {
            add(title.map { [$0] } ?? [])
            add([.text(year)])
        }
        let pages = field("pages").map(rangeDashes)
        switch entry.type {
        case "article":
            var venue: [Piece] = field("journal", "journaltitle").map { [.emphasis($0)] } ?? []
            var details = ""
            if let volume = field("volume") { details += " " + volume }
            if let number = field("number", "issue") { details += " (" + number + ")" }
            if let pages { details += (details.isEmpty && venue.isEmpty ? "" : details.isEmpty ? ", " : ": ") + pages }
            if !details.isEmpty { venue.append(.text(venue.isEmpty ? details.trimmed : details)) }
            add(venue)
        case "inproceedings", "incollection", "inbook", "conference":
            var venue: [Piece] = field("booktitle").map { [.text("In "), .emphasis($0)] } ?? []
            if !entry.authors.isEmpty, !entry.editors.isEmpty {
                venue.append(.text((venue.isEmpty ? "Edited by " : ", edited by ") + entry.editors.names.map(\.description).joined(separator: ", ")
                                   + (entry.editors.andOthers ? " et al." : "")))
            }
            if let pages { venue.append(.text((venue.isEmpty ? "" : ", ") + pages)) }
            add(venue)
            add(publisher(field("address", "location"), field("publisher", "organization")))
        case "phdthesis", "mastersthesis", "thesis":
            let kind = field("type") ?? (entry.type == "mastersthesis" ? "Master’s thesis" : "PhD diss.")
            add([.text([kind, field("school", "institution")].compactMap { $0 }.joined(separator: ", "))])
        case "techreport", "report":
            let report = [field("type") ?? "Technical Report", field("number")].compactMap { $0 }.joined(separator: " ")
            add([.text([report, field("institution")].compactMap { $0 }.joined(separator: ", "))])
        default:
            add(field("howpublished").map { [.text($0)] } ?? [])
            add(publisher(field("address", "location"), field("publisher", "organization", "institution")))
        }
        let eprint = arXiv(entry)
        if let eprint { add([.text("arXiv:" + eprint)]) }
        if let doi = field("doi") {
            add([.link("https://doi.org/" + addressEncoded(bareDOI(doi), keeping: "-._~:/;()"))])
        } else if let url = field("url"), isWebAddress(url) {
            add([.link(addressEncoded(url, keeping: "-._~:/?#[]@!$&'()*+,;=%"))])
        } else if let url = field("url") {
            add([.text(url)])
        } else if let eprint {
            add([.link("https://arxiv.org/abs/" + addressEncoded(eprint, keeping: "-._~:/"))])
        }
        return sentences
    }

    /// The first author inverted and the rest not, as Chicago lists them: "Glorot, Xavier, and
    /// Yoshua Bengio"; more than ten are cut to seven and "et al.". Editors alone get "ed."/"eds.".
    static func names(of entry: BibEntry) -> String? {
        let editors = entry.authors.isEmpty
        let list = editors ? entry.editors : entry.authors
        guard !list.isEmpty else { return nil }
        let cut = list.names.count > 10
        let names = list.names.prefix(cut ? 7 : list.names.count).enumerated().map { $0.offset == 0 ? $0.element.inverted : $0.element.description }
        let andOthers = list.andOthers || cut
        var text = switch names.count {
        case 1: names[0]
        default: andOthers ? names.joined(separator: ", ") : names.dropLast().joined(separator: ", ") + ", and " + names[names.count - 1]
        }
        if andOthers { text += ", et al." }
        if editors { text += list.names.count > 1 || andOthers ? ", eds." : ", ed." }
        return text
    }

    private static func publisher(_ address: String?, _ publisher: String?) -> [Piece] {
        switch (address, publisher) {
        case let (address?, publisher?): [.text(address + ": " + publisher)]
        case let (nil, publisher?): [.text(publisher)]
        default: []
        }
    }

    /// An arXiv identifier from `eprint` with `archiveprefix` (BibTeX) or `eprinttype` (biblatex) arXiv.
    private static func arXiv(_ entry: BibEntry) -> String? {
        guard let eprint = entry.nonEmpty("eprint"),
              (entry.nonEmpty("archiveprefix") ?? entry.nonEmpty("eprinttype"))?.lowercased() == "arxiv" else { return nil }
        return eprint
    }

    /// A title for quotation marks: quotes inside it made single, and the full stop that closes
    /// it added unless it ends in its own.
    static func closed(_ title: String) -> String {
        let title = title.replacingOccurrences(of: "“", with: "‘").replacingOccurrences(of: "”", with: "’")
        return ".?!".contains(title.last ?? " ") ? title : title + "."
    }

    /// "249-256" → "249–256": a hyphen between digits is a range.
    private static func rangeDashes(_ pages: String) -> String {
        var result = ""
        var previous: Character?
        var characters = pages.makeIterator()
        var current = characters.next()
        while let character = current {
            let next = characters.next()
            let isRange = character == "-" && previous?.isNumber == true && next?.isNumber == true
            result.append(isRange ? "–" : character)
            previous = character
            current = next
        }
        return result
    }

    private static func bareDOI(_ doi: String) -> String {
        for prefix in ["https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "http://dx.doi.org/", "doi:"]
        where doi.lowercased().hasPrefix(prefix) {
            return String(doi.dropFirst(prefix.count))
        }
        return doi
    }

    private static func isWebAddress(_ url: String) -> Bool {
        let lowered = url.lowercased()
        return lowered.hasPrefix("https://") || lowered.hasPrefix("http://")
    }

    /// The address with every byte outside ASCII letters, digits and `keeping` percent-encoded:
    /// safe in an `href` and in a Markdown autolink (no space, quote or angle bracket left).
    static func addressEncoded(_ address: String, keeping: String) -> String {
        let kept = Set(keeping.utf8)
        var encoded = ""
        for byte in address.utf8 {
            if (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || kept.contains(byte) {
                encoded.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                encoded += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return encoded
    }
}

enum MarkdownEscaping {
    /// Punctuation that CommonMark, GitHub or Legend would read as markup inside a line: emphasis,
    /// links, HTML, entities, code, tables, strikethrough, math (`$`) and citations (`@`).
    private static let special: Set<Unicode.Scalar> = ["\\", "`", "*", "_", "[", "]", "<", ">", "&", "|", "~", "$", "@"]

    static func escaped(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            if special.contains(scalar) { escaped += "\\" }
            escaped.unicodeScalars.append(scalar)
        }
        return escaped
    }

    /// A paragraph that begins like a list item or a heading ("2001. A…", "- x", "# x") made a
    /// paragraph again.
    static func escapedLineStart(_ line: String) -> String {
        let digits = line.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, digits.count <= 9, let after = line.dropFirst(digits.count).first, after == "." || after == ")" {
            return digits + "\\" + line.dropFirst(digits.count)
        }
        if let first = line.first, "-+#=".contains(first) { return "\\" + line }
        return line
    }
}

private extension String {
    func leftPadded(to length: Int) -> String { String(repeating: "0", count: max(0, length - count)) + self }
}
