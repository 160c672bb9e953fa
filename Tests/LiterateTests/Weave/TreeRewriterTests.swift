import NotebookCore
import Testing
@testable import Literate

/// Weaves `markdown` as chapter `01-test` of a book that also has `02-lstm` and `03-norm`, as a
/// page's body: rewritten, anchored, rendered.
func wovenPage(_ markdown: String, result: ChapterResult? = nil) throws -> (html: String, sections: [HeadingAnchors.Section], problems: [String]) {
    let chapter = try parse(markdown)
    let others = try ["02-lstm", "03-norm"].map { slug in
        ParsedChapter(try Chapter(source: SourceText(path: "book/\(slug).md", text: "# \(slug)\n"), slug: slug))
    }
    let site = SiteWeaver(book: Book(path: "book", title: "b", plot: .braille, chapters: [], warnings: []),
                          chapters: [chapter] + others, theme: try Theme.load(from: [packageRoot + "/templates"]))
    var problems: [Diagnostic] = []
    var tree = site.wovenTree(chapter, result: result, diagnostics: &problems)
    let sections = HeadingAnchors.apply(to: &tree)
    return (HTMLRenderer.html(tree), sections, problems.map(\.description))
}

@Suite struct HeadingAnchorsTests {
    @Test func headingsGetIdsAndLinksAndTheRestIsKept() throws {
        let (page, sections, _) = try wovenPage("Before é\n\n# The Curse\n\na\n\n## The *ReLU* Sword\n\n## The ReLU Sword\n\nafter 📜\n")
        #expect(page == """
            <p>Before é</p>
            <h1 id="the-curse">The Curse <a class="anchor" href="#the-curse" aria-label="Link to this section">#</a></h1>
            <p>a</p>
            <h2 id="the-relu-sword">The <em>ReLU</em> Sword <a class="anchor" href="#the-relu-sword" aria-label="Link to this section">#</a></h2>
            <h2 id="the-relu-sword-1">The ReLU Sword <a class="anchor" href="#the-relu-sword-1" aria-label="Link to this section">#</a></h2>
            <p>after 📜</p>

            """)
        #expect(sections == [.init(level: 1, title: "The Curse", id: "the-curse"),
                             .init(level: 2, title: "The ReLU Sword", id: "the-relu-sword"),
                             .init(level: 2, title: "The ReLU Sword", id: "the-relu-sword-1")])
    }

    @Test func titlesAreWhatThePageShows() throws {
        let (page, sections, _) = try wovenPage("## See [[02-lstm|the amulet]] & $x$\n\n#\n")
        #expect(sections.map(\.title) == ["See the amulet & x", ""])
        #expect(sections.map(\.id) == ["see-the-amulet--x", "section"])
        #expect(page.hasSuffix("<h1 id=\"section\"> <a class=\"anchor\" href=\"#section\" aria-label=\"Link to this section\">#</a></h1>\n"))
    }

    @Test func onlyTheChaptersHeadingsAreAnchored() throws {
        // Raw HTML and what blocks print are not headings of the chapter.
        let (page, sections, _) = try wovenPage("<h2>raw</h2>\n\n```swift-run\nprint(1)\n```\n",
                                                result: ChapterResult(blocks: [BlockResult(status: .ran, items: [.text("<h2>printed</h2>")])]))
        #expect(sections.isEmpty)
        #expect(page.hasPrefix("<h2>raw</h2>\n"))
    }
}

@Suite struct PageLinksTests {
    @Test func linksToChaptersPointAtTheirPages() throws {
        let (page, _, _) = try wovenPage("""
            [a](02-lstm.md) [b](03-norm.md#part "t") [c](04-gone.md) ![d](02-lstm.md) [e](02-lstm.md?x)
            <a href='03-norm.md#part'>f</a> x="02-lstm.md"

            <div><a href="02-lstm.md">g</a></div>
            """)
        #expect(page == """
            <p><a href="02-lstm.html">a</a> <a href="03-norm.html#part" title="t">b</a> <a href="04-gone.md">c</a> <img src="02-lstm.md" alt="d" /> <a href="02-lstm.md?x">e</a>
            <a href='03-norm.html#part'>f</a> x=&quot;02-lstm.md&quot;</p>
            <div><a href="02-lstm.html">g</a></div>

            """)
    }

    @Test func htmlWithoutSuchLinksIsUnchanged() {
        let links = PageLinks(pages: ["02-lstm.md": "02-lstm"])
        for html in ["", "=", "href=", "href=\"", "a=b, href=x.md, href=\"02-lstm", "=\"02-lstm.md\""] {
            #expect(links.linkingPages(inHTML: html) == nil)
        }
    }
}

@Suite struct InlineSpanWeavingTests {
    @Test func mathAndWikiLinksAreRendered() throws {
        let (page, _, _) = try wovenPage("$a*b*c$ and [[02-lstm]] *in* $$\nx\n$$ end\n")
        #expect(page.hasPrefix("<p><math xmlns=\"http://www.w3.org/1998/Math/MathML\""))
        #expect(page.contains(" and <a class=\"wiki-link\" href=\"02-lstm.html\">02-lstm</a> <em>in</em> <math"))
        // The lines a formula spans stay lines.
        #expect(page.hasSuffix("</math>\n\n end</p>\n"))
    }

    @Test func aWikiLinkToThePageItIsOnIsText() throws {
        // The chapter parsed by `wovenPage` is 01-test; a link to it from itself goes nowhere.
        let (page, _, problems) = try wovenPage("# The [[01-test]] and [[02-lstm]]\n")
        #expect(page.contains("<span class=\"wiki-link current\">01-test</span> and <a class=\"wiki-link\" href=\"02-lstm.html\">02-lstm</a>"), "\(page)")
        #expect(problems.isEmpty)
    }

    @Test func whatABlockPrintsIsNeverTakenForMath() throws {
        let printed = "\u{E000}0\u{E001} and \u{E002}"
        let (page, _, _) = try wovenPage("$x$\n\n```swift-run\nprint(1)\n```\n",
                                         result: ChapterResult(blocks: [BlockResult(status: .ran, items: [.text(printed)])]))
        #expect(page.components(separatedBy: "<math").count == 2)
        #expect(page.contains("<pre class=\"output\"><code>\(printed)</code></pre>"))
    }

    @Test func spansOutsideTextAreKeptAsWritten() throws {
        let (page, _, problems) = try wovenPage("[link]($a$ \"$b$\") <span title=\"$c$\">$d$</span>\n")
        #expect(page.hasPrefix("<p><a href=\"$a$\" title=\"$b$\">link</a> <span title=\"$c$\"><math"))
        #expect(problems.isEmpty)
    }
}
