import NotebookCore

/// The pipeline without execution, from bytes to woven pages, for the libFuzzer targets in
/// `Fuzz/` (see TESTING.md). It does to one chapter what `Builder.weave()` does to a book —
/// decode, front matter, parse, tangle, weave HTML and Markdown, index for search — with no
/// files and no child processes. `package`, not `public`: only targets of this package see it.
package enum FuzzEntry {
    /// Weaves `bytes` as the one chapter of a book, twice: as a draft (no results) and with a
    /// result for every block whose output is the block's own code, so that output escaping and
    /// splicing run too. Diagnostics are the expected outcome for bad input and are dropped;
    /// anything else (a trap, a hang) is a bug.
    /// What one input became: the diagnostic that refused it, or its pages (articles) and
    /// Markdown, once as a draft and once with results.
    package struct Woven {
        package var refusal: Diagnostic?
        package var articles: [String] = []
        package var markdown: [String] = []
    }

    @discardableResult
    package static func weave(bytes: [UInt8], theme: Theme) -> Woven {
        let source: SourceText
        do { source = try SourceText(path: "legend/01-fuzz.md", bytes: bytes) } catch { return Woven(refusal: error) }
        _ = MisEncoding.diagnostics(for: source)
        let chapter: Chapter
        // No files: every include is reported missing, so the directives are read, never the disk.
        do { chapter = try Chapter(source: source, slug: "01-fuzz", includes: .none) } catch { return Woven(refusal: error) }
        var woven = Woven()
        let parsed = ParsedChapter(chapter)
        _ = Tangler().tangle(parsed)
        _ = Tangler().tangle(parsed, lineNeutral: true)

        let book = Book(path: "legend", title: "Fuzz", plot: .braille, chapters: [chapter], warnings: [])
        let site = SiteWeaver(book: book, chapters: [parsed], theme: theme)
        let echoed = ChapterResult(blocks: parsed.blocks.map { block in
            BlockResult(status: block.number % 2 == 0 ? .ran : .failed, items: [.text(block.code)],
                        stderr: block.displayCode, failure: block.options.caption.map { [.error($0)] } ?? [])
        })
        var search = SearchIndex()
        for result in [nil, echoed] {
            var diagnostics: [Diagnostic] = []
            guard let chapterPage = try? site.chapterPage(0, result: result, diagnostics: &diagnostics) else { continue }
            search.add(chapterTitle: parsed.title, page: "01-fuzz.html", article: chapterPage.article)
            _ = try? site.printPage(chapterPage.printed.map { [$0] } ?? [])
            woven.articles.append(chapterPage.article)
            woven.markdown.append(MarkdownWeaver(bookPlot: book.plot, resolver: site.resolver).weave(parsed, result))
        }
        _ = search.script()
        return woven
    }

    /// Reads `bytes` as the YAML of a chapter's front matter and as a `book.yml`. Diagnostics are
    /// the expected outcome for bad input; a trap, a hang or memory out of bounds (an alias
    /// expanded) is a bug.
    package static func yaml(bytes: [UInt8]) {
        guard let yaml = try? SourceText(path: "legend/book.yml", bytes: bytes) else { return }
        var warnings: [Diagnostic] = []
        _ = try? FrontMatter.parse(SourceText(path: "legend/01-fuzz.md", text: "---\n" + yaml.text + "\n---\n"), warnings: &warnings)
        var book = Book(path: "legend", title: "Fuzz", plot: .braille, chapters: [], warnings: [])
        try? book.configure(from: yaml)
    }

    /// Reads `bytes` as a `.bib` file, writes the reference list of all its entries as HTML and
    /// Markdown, and finds and writes the citations in the same text. Diagnostics are the expected
    /// outcome for bad input; a trap or a hang is a bug, and so is a citation the scanner finds
    /// that `Citation(parsing:)` reads differently from its text alone.
    package static func bibtex(bytes: [UInt8]) {
        let text = String(decoding: bytes, as: UTF8.self)
        let (bibliography, _) = Bibliography.parse(text, file: "legend/references.bib")
        let list = ReferenceList(bibliography.entries)
        _ = list.html()
        _ = list.markdown()
        for found in CitationScanner.citations(in: text) {
            _ = CitationText.text(found.citation, labels: list.labels)
            let alone = Citation(parsing: String(text[found.range]))
            precondition(alone == found.citation, "the citation \(text[found.range]) reads as \(String(describing: alone)) alone, \(found.citation) in its text")
        }
    }
}
