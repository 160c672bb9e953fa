import NotebookCore

/// The citations of a book with a bibliography (book.yml `bibliography:`): author–year text in
/// the chapters, a "References" section at the end of each chapter that cites, and a
/// bibliography page for the book. Labels ("He et al. 2016a") are made over everything the book
/// cites, so a work reads the same in every chapter.
struct Citations {
    let bibliography: Bibliography
    /// The bibliography's file, as book.yml names it.
    let file: String
    let labels: AuthorYearLabels
    /// The keys each chapter cites, in the order of their first citation, by chapter slug.
    let cited: [String: [String]]
    /// Every work the book cites, in the order of the reference list.
    let bookEntries: [BibEntry]

    init?(book: Book, chapters: [ParsedChapter]) {
        guard let bibliography = book.bibliography, let file = book.bibliographyFile else { return nil }
        self.bibliography = bibliography
        self.file = file
        var cited: [String: [String]] = [:]
        var all: [String] = []
        for chapter in chapters {
            var keys: [String] = []
            for span in chapter.spans {
                guard case .citation(let citation) = span.kind else { continue }
                for item in citation.items where bibliography[item.key] != nil && !keys.contains(item.key) {
                    keys.append(item.key)
                    if !all.contains(item.key) { all.append(item.key) }
                }
            }
            cited[chapter.chapter.slug] = keys
        }
        self.cited = cited
        let entries = all.compactMap { bibliography[$0] }
        labels = AuthorYearLabels(entries)
        bookEntries = ReferenceList(entries, labels: labels).entries
    }

    func entries(citedIn chapter: ParsedChapter) -> [BibEntry] {
        (cited[chapter.chapter.slug] ?? []).compactMap { bibliography[$0] }
    }

    /// The message for a key the bibliography does not have.
    func unknown(_ key: String, file chapterFile: String, line: Int) -> Diagnostic {
        .warning("'@\(key)' is not in the bibliography '\(file)'; add an entry with that key there, or fix the key",
                 file: chapterFile, line: line)
    }

    /// A citation as the Markdown shows it: readable text, each work linked to its reference.
    func markdown(_ citation: Citation) -> String {
        pieces(citation).map { piece in
            guard let key = piece.key, bibliography[key] != nil else { return piece.text }
            return "[\(piece.text)](#ref-\(key))"
        }.joined()
    }

    /// A citation as HTML: each work's text a link to its reference.
    func html(_ citation: Citation) -> String {
        let inner = pieces(citation).map { piece in
            guard let key = piece.key else { return HTMLWriter.escape(piece.text) }
            guard bibliography[key] != nil else { return "<span class=\"unresolved\">\(HTMLWriter.escape(piece.text))</span>" }
            return "<a href=\"#ref-\(HTMLWriter.escape(key))\">\(HTMLWriter.escape(piece.text))</a>"
        }.joined()
        return "<span class=\"citation\">\(inner)</span>"
    }

    /// The citation's text cut into what links to a work (with its key) and what does not
    /// (parentheses, semicolons).
    private func pieces(_ citation: Citation) -> [(text: String, key: String?)] {
        switch citation.form {
        case .inText:
            return citation.items.enumerated().flatMap { index, item in
                [(index == 0 ? "" : "; ", nil), (CitationText.inText(item, labels: labels), item.key)]
            }
        case .parenthetical:
            var pieces: [(text: String, key: String?)] = [("(", nil)]
            for (index, item) in citation.items.enumerated() {
                if index > 0 { pieces.append(("; ", nil)) }
                // One item's own text, without the group's parentheses.
                let text = CitationText.parenthetical([item], labels: labels)
                pieces.append((String(text.dropFirst().dropLast()), item.key))
            }
            pieces.append((")", nil))
            return pieces
        }
    }
}

/// Writes a chapter page's citations as links, and its reference list at its end.
struct CitationRenderer {
    let chapter: ParsedChapter
    let citations: Citations

    func rewrite(_ tree: inout MarkdownTree, diagnostics: inout [Diagnostic]) {
        for index in tree.indices {
            guard case .citation = tree[index].kind, let citation = Citation(parsing: tree.literal(of: index)) else { continue }
            var node = tree[index]
            for item in citation.items where citations.bibliography[item.key] == nil {
                diagnostics.append(citations.unknown(item.key, file: chapter.chapter.path, line: Int(node.line)))
            }
            node.kind = .wovenInline
            node.literal = tree.store(citations.html(citation))
            tree[index] = node
        }
        let entries = citations.entries(citedIn: chapter)
        guard !entries.isEmpty else { return }
        var edits = MarkdownTree.Edits()
        let title = tree.store("References")
        edits.append([.open(.leaf(.heading(level: 2, id: tree.store("references")))), .leaf(.leaf(.text, literal: title)), .close,
                      .leaf(.leaf(.wovenBlock, literal: tree.store(ReferenceList(entries, labels: citations.labels).html())))])
        tree.apply(edits)
    }
}
