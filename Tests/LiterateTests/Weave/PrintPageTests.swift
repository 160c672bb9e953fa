import Foundation
import Testing
@testable import Literate

/// `print.html`: the whole book on one page, whose links stay on the page.
@Suite struct PrintPageTests {
    /// Three chapters that link to each other every way a chapter can: Markdown links to pages
    /// and their sections, in-chapter anchors, wiki links, raw HTML; headings and blocks whose
    /// ids repeat from chapter to chapter.
    static let chapters = [
        "01-a.md": """
            # Alpha

            ## Intro

            See [Beta](02-b.md), [its part](02-b.md#part), [this intro](#intro), [[Gamma]], \
            <a href="02-b.html#intro">raw</a> and [a site](https://example.com/x).

            <p id="note">A note.</p>

            <svg xmlns="http://www.w3.org/2000/svg" role="img" aria-labelledby="drawing"><title id="drawing">A drawing</title></svg>

            ```swift-run
            print(1)
            ```

            """,
        "02-b.md": "# Beta\n\n## Intro\n\n## Part\n\nBack to [Alpha's intro](01-a.md#intro) and [its note](01-a.html#note).\n\n```swift-run\nprint(2)\n```\n",
        "03-c.md": "# Gamma\n\nNo sections; [the top](#gamma).\n",
    ]

    /// The book built without running its blocks (their places are woven all the same).
    func built(_ files: [String: String] = chapters) throws -> TemporaryBook {
        let book = try TemporaryBook(files)
        _ = try book.build { $0.execution = .draft }
        return book
    }

    @Test func holdsEveryChapterOnceInOrderAfterTheContents() throws {
        let book = try built()
        defer { book.remove() }
        let page = try book.read("print.html")
        let sections = ["01-a", "02-b", "03-c"].map { "<section class=\"chapter\" id=\"\($0)\">" }
        for section in sections { #expect(page.components(separatedBy: section).count == 2, "\(section) once") }
        let offsets = try sections.map { try #require(page.range(of: $0)).lowerBound }
        #expect(offsets == offsets.sorted())
        let contents = try #require(page.range(of: "<nav class=\"contents\""))
        #expect(contents.lowerBound < offsets[0])
        let tableOfContents = String(page[contents.lowerBound..<offsets[0]])
        for entry in ["href=\"#01-a\">Alpha", "href=\"#01-a--intro\">Intro", "href=\"#02-b\">Beta", "href=\"#02-b--intro\">Intro",
                      "href=\"#02-b--part\">Part", "href=\"#03-c\">Gamma"] {
            #expect(tableOfContents.contains(entry), "\(entry)")
        }
        #expect(page.contains("<h1 id=\"03-c--gamma\">Gamma"))
        #expect(!page.contains("class=\"sidebar\""), "no navigation on the print page")
    }

    @Test func everyAnchorLinkLandsAndNoIdRepeats() throws {
        let book = try built()
        defer { book.remove() }
        let page = try book.read("print.html")
        let ids = Checker.attributeValues("id", in: page)
        #expect(Set(ids).count == ids.count, "repeated: \(Dictionary(grouping: ids, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted())")
        let fragments = Checker.attributeValues("href", in: page).filter { $0.hasPrefix("#") }.map { String($0.dropFirst()) }
        #expect(fragments.count > 10)
        for fragment in fragments {
            #expect(ids.contains(fragment.removingPercentEncoding ?? fragment), "'#\(fragment)' names no id on the page")
        }
        #expect(ids.contains("01-a--block-1") && ids.contains("02-b--block-1"), "blocks' ids are per chapter")
        #expect(ids.contains("drawing--01-a") && page.contains("aria-labelledby=\"drawing--01-a\""), "an SVG's ids are XML names")
    }

    @Test func linksBetweenChaptersStayOnThePage() throws {
        let book = try built()
        defer { book.remove() }
        let page = try book.read("print.html")
        for link in ["<a href=\"#02-b\">Beta</a>", "<a href=\"#02-b--part\">its part</a>", "<a href=\"#01-a--intro\">this intro</a>",
                     "<a class=\"wiki-link\" href=\"#03-c\">Gamma</a>", "<a href=\"#02-b--intro\">raw</a>",
                     "<a href=\"#01-a--intro\">Alpha's intro</a>", "<a href=\"#01-a--note\">its note</a>",
                     "<p id=\"01-a--note\">", "<a href=\"#03-c--gamma\">the top</a>", "<a href=\"https://example.com/x\">a site</a>"] {
            #expect(page.contains(link), "\(link)")
        }
        let chapterLinks = Checker.attributeValues("href", in: page).filter { $0.contains(".html") }
        #expect(chapterLinks == ["index.html"], "only the way back to the site: \(chapterLinks)")
        // The chapters' own pages keep their links as they were.
        #expect(try book.article("01-a.html").contains("<a href=\"02-b.html#part\">its part</a>"))
    }

    @Test func everyPageLinksToIt() throws {
        let book = try built()
        defer { book.remove() }
        for page in ["01-a.html", "02-b.html", "03-c.html", "index.html", "search.html"] {
            #expect(try book.read(page).contains("<a href=\"print.html\">The whole book on one page (to print)</a>"), "\(page)")
        }
        #expect(try Checker(options: book.options.with { $0.execution = .draft }, log: { _ in }).check().map(\.description) == [])
    }

    @Test func checkReportsTheLinksOfItsOwnTemplate() throws {
        var files = PrintPageTests.chapters
        files["templates/print.mustache"] = "<!DOCTYPE html><html lang=\"en\"><title>P</title><a href=\"#nowhere\">x</a>{{#chapters}}<section id=\"{{id}}\">{{{content}}}</section>{{/chapters}}</html>"
        let book = try built(files)
        defer { book.remove() }
        let found = try Checker(options: book.options.with { $0.execution = .draft }, log: { _ in }).check().map(\.description)
        #expect(found == ["print.html: error: the link '#nowhere' names an anchor that print.html does not have"])
    }

    @Test func aThemeWithoutAPrintPageMakesNone() throws {
        var files = PrintPageTests.chapters
        for name in ["index", "chapter"] {
            files["templates/\(name).mustache"] = try String(contentsOfFile: packageRoot + "/templates/\(name).mustache", encoding: .utf8)
        }
        let book = try TemporaryBook(files)
        defer { book.remove() }
        _ = try book.build { $0.execution = .draft; $0.installation = nil }
        #expect(!FileManager.default.fileExists(atPath: book.output + "/print.html"))
        #expect(!(try book.read("01-a.html")).contains("print.html"))
    }
}

/// How ids and links of one chapter's HTML change on the print page.
@Suite struct PrintAnchorsTests {
    let anchors = PrintAnchors(slug: "01-a", slugs: ["01-a", "02-b"])

    func rewritten(_ html: String) -> String {
        anchors.rewriting(html: Array(html.utf8)).map { String(decoding: $0, as: UTF8.self) } ?? html
    }

    @Test(arguments: [
        ("#intro", "#01-a--intro"), ("02-b.html", "#02-b"), ("02-b.html#part", "#02-b--part"), ("01-a.html", "#01-a"),
    ])
    func linksOnThePage(url: String, target: String) {
        #expect(anchors.target(for: url) == target)
    }

    @Test(arguments: ["#", "https://example.com/02-b.html", "03-z.html", "02-b.md", "images/plot.svg", "02-b.html?q=x", "search.html"])
    func linksThatStay(url: String) {
        #expect(anchors.target(for: url) == nil)
    }

    @Test func rawAndWovenHTML() {
        // A plot as the SVG writer draws it: its ids, the references to them, a gradient's
        // url(#…) — the slug after each, as an SVG id is an XML name (no digit first).
        #expect(rewritten("<svg role=\"img\" aria-labelledby=\"p1-title p1-desc\"><title id=\"p1-title\">T</title><desc id='p1-desc'>D</desc><rect fill=\"url(#p1-ramp)\"/><use href=\"#p1-dot\"/></svg><p id=\"after\">")
                == "<svg role=\"img\" aria-labelledby=\"p1-title--01-a p1-desc--01-a\"><title id=\"p1-title--01-a\">T</title><desc id='p1-desc--01-a'>D</desc><rect fill=\"url(#p1-ramp--01-a)\"/><use href=\"#p1-dot--01-a\"/></svg><p id=\"01-a--after\">")
        #expect(rewritten("<svg id=\"s\"/><p id=\"p\">") == "<svg id=\"s--01-a\"/><p id=\"01-a--p\">")
        #expect(rewritten("<A HREF=02-b.html#part>x</A> <label for=\"f\">") == "<A HREF=#02-b--part>x</A> <label for=\"01-a--f\">")
        #expect(rewritten("<div class=\"block\" id=\"block-1\">") == "<div class=\"block\" id=\"01-a--block-1\">")
    }

    @Test func textCommentsAndScriptsStay() {
        for html in ["<p>id=\"x\" and href=\"#y\"</p>", "<!-- <a href=\"#x\"> -->", "<script>let a = '<a href=\"#x\">'</script>",
                     "<a href=\"https://example.com/#x\">", "a < b and c<", "<a href=\"#\">top</a>", "<p title=\"id=x\">"] {
            #expect(anchors.rewriting(html: Array(html.utf8)) == nil, "\(html)")
        }
    }
}

extension BuildOptions {
    func with(_ change: (inout BuildOptions) -> Void) -> BuildOptions {
        var options = self
        change(&options)
        return options
    }
}
