import Testing
@testable import Literate

@Suite struct HeadingAnchorsTests {
    @Test func headingsGetIdsAndLinksAndTheRestIsKept() {
        let html = "<p>Before é</p>\n<h1>The Curse</h1>\n<p>a</p>\n<h2>The <em>ReLU</em> Sword</h2>\n<h2>The ReLU Sword</h2>\n<p>after 📜</p>\n"
        let (page, sections) = HeadingAnchors.apply(html)
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

    @Test func aPageWithoutHeadingsIsUnchanged() {
        let html = "<p>no <hr> heading, <h7>not one</h7>, <h2 class=\"x\">raw</h2></p>\n<h3>unclosed"
        let (page, sections) = HeadingAnchors.apply(html)
        #expect(page == html)
        #expect(sections.isEmpty)
    }
}

@Suite struct LinkingPagesTests {
    @Test func linksToChaptersPointAtTheirPages() {
        let html = "<a href=\"02-lstm.md\">a</a> <a href='03-norm.md#part'>b</a> <a href=\"04-gone.md\">c</a> x=\"02-lstm.md\" <img src=\"02-lstm.md\">"
        #expect(HTMLText.linkingPages(html, slugs: ["02-lstm", "03-norm"])
                == "<a href=\"02-lstm.html\">a</a> <a href='03-norm.html#part'>b</a> <a href=\"04-gone.md\">c</a> x=\"02-lstm.md\" <img src=\"02-lstm.md\">")
    }

    @Test func pagesWithoutSuchLinksAreUnchanged() {
        for html in ["", "=", "href=", "href=\"", "a=b, href=x.md, href=\"02-lstm", "=\"02-lstm.md\""] {
            #expect(HTMLText.linkingPages(html, slugs: ["02-lstm"]) == html)
        }
    }
}
