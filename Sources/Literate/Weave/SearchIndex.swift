import Foundation

/// The site's search index, written at build time: one entry per section of each chapter, as a
/// script (`search-index.js`) so that search also works from `file://`, where pages cannot fetch.
struct SearchIndex {
    struct Entry: Encodable {
        /// Chapter title, section title, page URL with anchor, and the section's text.
        let chapter: String
        let section: String
        let url: String
        let text: String
    }

    private(set) var entries: [Entry] = []

    /// Adds a chapter page's sections: the article split at its headings.
    mutating func add(chapterTitle: String, page: String, article: String) {
        var rest = Substring(article)
        var section = (title: chapterTitle, id: "")
        var text = ""
        func flush() {
            let plain = HeadingAnchors.plainText(text).split(whereSeparator: \.isWhitespace).joined(separator: " ")
            if !plain.isEmpty || !section.id.isEmpty {
                entries.append(Entry(chapter: chapterTitle, section: section.title,
                                     url: page + (section.id.isEmpty ? "" : "#" + section.id), text: String(plain.prefix(4000))))
            }
        }
        while let open = rest.range(of: "<h") {
            let after = rest[open.upperBound...]
            guard let level = after.first?.wholeNumberValue, (1...6).contains(level), after.dropFirst().hasPrefix(" id=\""),
                  let close = after.range(of: "</h\(level)>") else {
                text += rest[..<open.upperBound]
                rest = after
                continue
            }
            text += rest[..<open.lowerBound]
            flush()
            let tag = after[..<close.lowerBound]
            let idStart = tag.range(of: " id=\"")!.upperBound
            let id = String(tag[idStart...].prefix(while: { $0 != "\"" }))
            let inner = tag.firstIndex(of: ">").map { String(tag[tag.index(after: $0)...]) } ?? ""
            let title = HeadingAnchors.plainText(inner.replacingOccurrences(of: #"<a class="anchor""#, with: "<a").components(separatedBy: "<a href=\"#").first ?? inner)
            section = (title.hasSuffix("#") ? String(title.dropLast()).trimmingSpaces : title, id)
            text = ""
            rest = after[close.upperBound...]
        }
        text += rest
        flush()
    }

    /// `search-index.js`: deterministic (entries in book order, keys sorted).
    func script() -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(entries)).map { String(decoding: $0, as: UTF8.self) } ?? "[]"
        // `</` cannot end the script early inside a string.
        return Data("window.LEGEND_SEARCH_INDEX = \(json.replacingOccurrences(of: "</", with: "<\\/"));\n".utf8)
    }
}
