import Foundation

/// How a citation names a work: "Glorot and Bengio" and "2010".
public struct AuthorYear: Sendable, Equatable {
    /// "Glorot and Bengio", "He et al.", "Google DeepMind"; the title when there is no author or
    /// editor, the key when there is not even a title.
    public var authors: String
    /// "2010", "2016a" (when another cited work has the same authors and year), "n.d." (none given).
    public var year: String

    public init(authors: String, year: String) {
        self.authors = authors
        self.year = year
    }
}

/// The author–year labels of a set of works (the ones a chapter or a book cites), with works whose
/// labels would be the same told apart by letters after the year in reference-list order:
/// "He et al. 2016a", "He et al. 2016b".
public struct AuthorYearLabels: Sendable {
    private var labels: [String: AuthorYear] = [:]

    public init(_ entries: some Sequence<BibEntry>) {
        var order: [String] = []
        var keys: [String: [String]] = [:]
        for entry in ReferenceOrder.sorted(entries) {
            let label = AuthorYear(authors: Self.authors(of: entry), year: entry.year ?? "n.d.")
            labels[entry.key] = label
            let same = label.authors + "\u{0}" + label.year
            if keys[same] == nil { order.append(same) }
            keys[same, default: []].append(entry.key)
        }
        for same in order {
            guard let group = keys[same], group.count > 1 else { continue }
            for (position, key) in group.enumerated() {
                guard let year = labels[key]?.year else { continue }
                // "n.d." takes its letter after a hyphen, as Chicago writes it: "n.d.-a".
                labels[key]?.year = year + (year.last?.isNumber == true ? "" : "-") + Self.letters(position)
            }
        }
    }

    public subscript(key: String) -> AuthorYear? { labels[key] }

    /// One name, two joined by "and", or the first followed by "et al." for three or more (or for
    /// a list that ends in `and others`).
    static func authors(of entry: BibEntry) -> String {
        let list = entry.authors.isEmpty ? entry.editors : entry.authors
        let names = list.names.map { $0.citationName.isEmpty ? $0.first : $0.citationName }
        switch (names.count, list.andOthers) {
        case (0, _): return entry.title ?? entry.key
        case (1, false): return names[0]
        case (2, false): return names[0] + " and " + names[1]
        default: return names[0] + " et al."
        }
    }

    /// a, b, …, z, aa, ab, …
    static func letters(_ position: Int) -> String {
        var position = position
        var letters = ""
        repeat {
            letters = String(UnicodeScalar(UInt8(ascii: "a") + UInt8(position % 26))) + letters
            position = position / 26 - 1
        } while position >= 0
        return letters
    }
}

/// The text a citation is written as, in author–year style (Chicago's, which is pandoc's default).
/// Plain text: the weaver escapes it for HTML. A key the labels do not know is written as
/// `key?`, as pandoc writes it; reporting it is the caller's.
public enum CitationText {
    /// `[see @glorot2010, p. 8; -@he2016]` → "(see Glorot and Bengio 2010, p. 8; 2016)";
    /// `@glorot2010` → "Glorot and Bengio (2010)".
    public static func text(_ citation: Citation, labels: AuthorYearLabels) -> String {
        switch citation.form {
        case .parenthetical: return parenthetical(citation.items, labels: labels)
        case .inText: return citation.items.map { inText($0, labels: labels) }.joined(separator: "; ")
        }
    }

    /// The items in parentheses, separated by semicolons: "(Hochreiter and Schmidhuber 1997, p. 8;
    /// Gers et al. 2000)".
    public static func parenthetical(_ items: [CitationItem], labels: AuthorYearLabels) -> String {
        "(" + items.map { item in
            var text = item.prefix.isEmpty ? "" : item.prefix + " "
            if let label = labels[item.key] {
                text += item.suppressAuthor ? label.year : label.authors + " " + label.year
            } else {
                text += item.key + "?"
            }
            return text + details(item)
        }.joined(separator: "; ") + ")"
    }

    /// The authors in the sentence and the year in parentheses: "He et al. (2016)", "Glorot and
    /// Bengio (2010, p. 8)".
    public static func inText(_ item: CitationItem, labels: AuthorYearLabels) -> String {
        guard let label = labels[item.key] else { return item.key + "?" + details(item) }
        return label.authors + " (" + label.year + details(item) + ")"
    }

    private static func details(_ item: CitationItem) -> String {
        (item.locator.map { ", " + $0 } ?? "") + item.suffix
    }
}
