import NotebookCore

/// The claims page, `claims.html`: every claim of the book in one table — where it is made (a
/// link to its block), its line, its statement, its values, and whether it held — so a reader
/// can audit what the prose rests on. Written when any chapter's results hold a claim.
struct ClaimsPage {
    static let pageName = "claims.html"

    /// One row: a claim and the block that made it.
    struct Entry {
        let chapter: ParsedChapter
        let block: SwiftRunBlock
        let claim: Claim
    }

    let entries: [Entry]

    /// The claims of every chapter that has results, in book and block order.
    init(chapters: [ParsedChapter], results: [ChapterResult?]) {
        var entries: [Entry] = []
        for (chapter, result) in zip(chapters, results) {
            guard let result else { continue }
            for block in chapter.allBlocks {
                for claim in result[block: block.number]?.claims ?? [] {
                    entries.append(Entry(chapter: chapter, block: block, claim: claim))
                }
            }
        }
        self.entries = entries
    }

    var isEmpty: Bool { entries.isEmpty }

    /// The page's article: a heading, the count, and the table.
    func html() -> String {
        let tally = ClaimTally(entries.map(\.claim))
        var html = "<h1 id=\"claims\">Claims</h1>\n<p class=\"claims-tally\">\(HTMLWriter.escape(tally.description)).</p>\n"
        html += "<table class=\"claims-audit\">\n<thead>\n<tr><th>Chapter</th><th>Line</th><th>Claim</th><th>Values</th><th>Holds</th></tr>\n</thead>\n<tbody>\n"
        for entry in entries {
            let claim = entry.claim
            // An inline value has no anchor of its own: its claim links to the chapter.
            let anchor = entry.block.inlineColumn != nil ? "" : "#" + (entry.block.options.label ?? "block-\(entry.block.number)")
            let href = entry.chapter.chapter.slug + ".html" + anchor
            // A claim written in an included file names that file; the chapter's own lines need no name.
            let line = claim.file == entry.chapter.chapter.path ? "\(claim.line)"
                : (claim.file.split(separator: "/").last.map(String.init) ?? claim.file) + ":\(claim.line)"
            html += "<tr class=\"\(claim.holds ? "claim-holds" : "claim-fails")\">"
                + "<td><a href=\"\(HTMLWriter.escape(href))\">\(HTMLWriter.escape(entry.chapter.title))</a></td>"
                + "<td>\(HTMLWriter.escape(line))</td>"
                + "<td>\(HTMLWriter.escape(claim.statementLine))</td>"
                + "<td>\(HTMLWriter.escape(claim.valuesText))</td>"
                + "<td><span class=\"claim-mark\" aria-hidden=\"true\">\(claimMark(claim))</span> \(claim.holds ? "holds" : "does not hold")</td></tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }
}
