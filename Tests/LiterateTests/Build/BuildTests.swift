import Foundation
import Testing
@testable import Literate

/// End to end: small books built into temporary folders, as `legend build` builds them.
@Suite struct BuildTests {
    @Test func compileErrorsPointAtTheMarkdownLine() throws {
        let book = try TemporaryBook([
            "01-broken.md": "# Broken\n\n```swift-run\nprint(\"fine\")\n```\n\ntext\n\n```swift-run\nlet a = 1\nprint(lstm)\n```\n\n```swift-run\nprint(a)\n```\n",
        ])
        defer { book.remove() }
        let (report, lines) = try book.build()
        #expect(report.failed)
        let path = book.book + "/01-broken.md"
        #expect(lines.contains("\(path):11:7: error: cannot find 'lstm' in scope"))
        let markdown = try book.read("01-broken.md")
        // The block before the broken one still ran; the one after did not.
        #expect(markdown.contains("```text\nfine\n```"))
        #expect(markdown.contains("**Error:**\n\n```text\n\(path):11:7: error: cannot find 'lstm' in scope"))
        #expect(markdown.hasSuffix("print(a)\n```\n\n*Not run: an earlier block of this chapter failed.*\n"))
    }

    @Test func aTrapInOneChapterLeavesTheOthersBuilt() throws {
        let book = try TemporaryBook([
            "01-trap.md": "```swift-run\nprint(\"before\")\n```\n\n```swift-run\nlet values = [1, 2]\nlet i = values.count + 1\nprint(values[i])\n```\n\n```swift-run\nprint(\"after\")\n```\n",
            "02-fatal.md": "```swift-run\nfatalError(\"the curse\")\n```\n",
            "03-fine.md": "```swift-run\nprint(\"fine\")\n```\n",
        ])
        defer { book.remove() }
        let (report, lines) = try book.build()
        #expect(report.failed)
        #expect(report.chapters.filter(\.failed).count == 2)
        #expect(lines.contains("\(book.book)/01-trap.md:8:13: error: block 2 trapped: Fatal error: Index out of range"))
        #expect(lines.contains("\(book.book)/02-fatal.md:2: error: block 1 trapped: Fatal error: the curse")
                || lines.contains { $0.hasPrefix("\(book.book)/02-fatal.md:2:") && $0.hasSuffix("error: block 1 trapped: Fatal error: the curse") })
        let trap = try book.article("01-trap.html")
        #expect(trap.contains("before") && trap.contains("Not run: an earlier block of this chapter failed."))
        #expect(!trap.contains("after\n</code></pre>"))
        #expect(try book.read("03-fine.md").contains("```text\nfine\n```"))
    }

    @Test func aHungChapterIsKilledAtItsTimeout() throws {
        let book = try TemporaryBook([
            "01-hang.md": "---\ntimeout: 1\n---\n```swift-run\nprint(\"started\")\n```\n\n```swift-run\nwhile true { usleep(1000) }\n```\n",
            "02-fine.md": "```swift-run\nprint(\"fine\")\n```\n",
        ])
        defer { book.remove() }
        let started = Date()
        let (report, lines) = try book.build()
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(report.failed)
        #expect(lines.contains("\(book.book)/01-hang.md:8: error: block 2 was still running after 1 s and was stopped; if it needs longer, raise 'timeout:' in the chapter's front matter"))
        #expect(try book.read("01-hang.md").contains("```text\nstarted\n```"))
        #expect(try book.read("02-fine.md").contains("```text\nfine\n```"))
    }

    @Test func expectedErrorsAreShownAndAreNotFailures() throws {
        let book = try TemporaryBook([
            "01-demo.md": """
                ```swift-run
                let x = 1
                ```

                ```swift-run
                //| error: true
                let y: Int = "not a number"
                ```

                ```swift-run
                //| error: true
                precondition(x == 2, "x is not 2")
                ```

                ```swift-run
                print("x =", x)
                ```

                """,
        ])
        defer { book.remove() }
        let (report, _) = try book.build()
        #expect(!report.failed)
        let statuses = report.chapters[0].run?.result.blocks.map(\.status)
        #expect(statuses == [.ran, .expectedFailure, .expectedFailure, .ran])
        let markdown = try book.read("01-demo.md")
        #expect(markdown.contains("**Expected error:**\n\n```text\n\(book.book)/01-demo.md:7:14: error: cannot convert value of type 'String' to specified type 'Int'"))
        #expect(markdown.contains("01-demo.md:12: error: block 3 trapped: Precondition failed: x is not 2"))
        #expect(markdown.contains("```text\nx = 1\n```"))
    }

    @Test func stderrExitAndRichOutputsAreCapturedPerBlock() throws {
        let book = try TemporaryBook([
            "01-streams.md": """
                ```swift-run
                FileHandle.standardError.write("warning to stderr\\n".data(using: .utf8)!)
                print("one")
                table(["k", "v"], [["a", 1.5]])
                print("two")
                ```

                ```swift-run
                print("leaving")
                exit(3)
                ```

                """,
        ])
        defer { book.remove() }
        let (report, lines) = try book.build()
        #expect(report.failed)
        let blocks = try #require(report.chapters[0].run?.result.blocks)
        #expect(blocks[0].stderr == "warning to stderr\n")
        #expect(blocks[0].items.count == 3)
        if case .text(let text) = blocks[0].items[0] { #expect(text == "one\n") } else { Issue.record("text first") }
        if case .rich = blocks[0].items[1] {} else { Issue.record("the table second") }
        if case .text(let text) = blocks[0].items[2] { #expect(text == "two\n") } else { Issue.record("text last") }
        #expect(lines.contains("\(book.book)/01-streams.md:9: error: block 2 ended the program with exit status 3 before the block finished"))
        if case .text(let text) = blocks[1].items.first { #expect(text == "leaving\n") } else { Issue.record("printed text kept") }
    }

    @Test func cacheServesUnchangedChaptersAndRerunsChangedOnes() throws {
        let book = try TemporaryBook([
            "01-a.md": "# A\n\n```swift-run\nprint(\"a\")\n```\n",
            "02-b.md": "# B\n\n```swift-run\nprint(\"b\")\n```\n",
        ])
        defer { book.remove() }
        func states() throws -> [Bool] {
            try book.build().0.chapters.map { $0.run?.fromCache ?? false }
        }
        #expect(try states() == [false, false])
        #expect(try states() == [true, true])
        try book.write("01-a.md", "# A, edited prose\n\nMore words.\n\n```swift-run\nprint(\"a\")\n```\n")
        #expect(try states() == [true, true])
        #expect(try book.read("01-a.md").contains("More words."))
        try book.write("02-b.md", "# B\n\n```swift-run\nprint(\"b, edited\")\n```\n")
        #expect(try states() == [true, false])
        #expect(try book.read("02-b.md").contains("b, edited\n```\n"))
        let rebuilt = try book.build { $0.useCache = false }.0
        #expect(rebuilt.chapters.map { $0.run?.fromCache } == [false, false])
    }

    @Test func cachedMessagesFollowTheirBlockWhenProseMovesIt() throws {
        let book = try TemporaryBook(["01-a.md": "```swift-run\n//| error: true\nlet n: Int = \"x\"\n```\n"])
        defer { book.remove() }
        _ = try book.build()
        #expect(try book.read("01-a.md").contains("01-a.md:3:14: error: cannot convert"))
        try book.write("01-a.md", "# Title\n\nNew prose.\n\n```swift-run\n//| error: true\nlet n: Int = \"x\"\n```\n")
        let report = try book.build().0
        #expect(report.chapters[0].run?.fromCache == true)
        #expect(try book.read("01-a.md").contains("01-a.md:7:14: error: cannot convert"))
    }

    @Test func missingTemplateIsNamed() throws {
        let book = try TemporaryBook(["01-a.md": "# A\n", "templates/chapter.mustache": "{{title}}"])
        defer { book.remove() }
        #expect {
            _ = try book.build { $0.installation = nil }
        } throws: { error in
            (error as? Diagnostic)?.description == "error: no template 'index.mustache' in '\(book.book)/templates'; add it, or remove the book's templates folder to use the default theme"
        }
    }

    @Test func bookTemplatesOverrideTheDefaultTheme() throws {
        let book = try TemporaryBook(["01-a.md": "# A\n", "templates/chapter.mustache": "custom {{title}}: {{{content}}}"])
        defer { book.remove() }
        _ = try book.build()
        #expect(try book.read("01-a.html").hasPrefix("custom A: <h1 id=\"a\">A <a class=\"anchor\" href=\"#a\""))
        #expect(try book.read("index.html").contains("<!DOCTYPE html>"))
    }

    @Test func theBooksOwnOutputFolderInsideItIsNotCopiedIntoItself() throws {
        let book = try TemporaryBook(["book.yml": "title: B\noutput: site\n", "01-a.md": "# A\n", "images/x.svg": "<svg/>"])
        defer { book.remove() }
        #expect(Book.configuredOutput(of: book.book) == book.book + "/site")
        for _ in 0..<2 { _ = try book.build { $0.outputPath = book.book + "/site" } }
        let files = try FileManager.default.subpathsOfDirectory(atPath: book.book + "/site")
        #expect(files.contains("images/x.svg"))
        #expect(!files.contains { $0.hasPrefix("site") })
        // Any other folder inside the book is refused: the build reads the book's files.
        #expect(throws: Diagnostic.self) { try book.build { $0.outputPath = book.book + "/images" } }
    }

    @Test func aFailedBuildLeavesThePreviousOutput() throws {
        let book = try TemporaryBook(["01-a.md": "# A\n"])
        defer { book.remove() }
        _ = try book.build()
        let before = try book.read("01-a.html")
        try book.write("templates/chapter.mustache", "{{#broken}}")
        #expect(throws: Diagnostic.self) { _ = try book.build() }
        #expect(try book.read("01-a.html") == before)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: book.folder).filter { $0.contains("staging") }
        #expect(leftovers.isEmpty)
    }
}

@Suite struct WikiLinkAndMathBuildTests {
    @Test func linksResolveByTitleSlugAndAliasInHTMLAndMarkdown() throws {
        let book = try TemporaryBook([
            "01-intro.md": "# Intro\n\nSee [[LSTM]], [[the guardian|Sir Norm]], [[03-norm]] and [[Nowhere]]. $\\sigma(x)$ and $\\unknown$.\n",
            "02-lstm.md": "---\naliases: [LSTM]\n---\n# The LSTM Amulet\n",
            "03-norm.md": "---\ntitle: The Guardian\n---\n# Batch norm\n",
        ])
        defer { book.remove() }
        let (report, lines) = try book.build()
        let html = try book.article("01-intro.html")
        #expect(html.contains("<a class=\"wiki-link\" href=\"02-lstm.html\">LSTM</a>"))
        #expect(html.contains("<a class=\"wiki-link\" href=\"03-norm.html\">Sir Norm</a>"))
        #expect(html.contains("<a class=\"wiki-link\" href=\"03-norm.html\">03-norm</a>"))
        #expect(html.contains("<span class=\"wiki-link unresolved\">Nowhere</span>"))
        #expect(html.contains("<mi>σ</mi>"))
        #expect(html.contains("<code class=\"math-error\">$\\unknown$</code>"))
        let markdown = try book.read("01-intro.md")
        #expect(markdown.contains("See [LSTM](02-lstm.md), [Sir Norm](03-norm.md), [03-norm](03-norm.md) and [[Nowhere]]. $\\sigma(x)$"))
        #expect(report.weaveProblems.map(\.description) == [
            "\(book.book)/01-intro.md:3: warning: the wiki link '[[Nowhere]]' names no chapter (by title, file name or alias); fix the name or add 'aliases: [Nowhere]' to the chapter it means",
            "\(book.book)/01-intro.md:3: warning: unsupported TeX command '\\unknown' in math '$\\unknown$'; it is shown as code",
        ])
        #expect(lines.contains(report.weaveProblems[0].description))
    }
}

@Suite struct SiteTests {
    @Test func searchIndexHasEverySectionAndPagesLinkToSearch() throws {
        let book = try TemporaryBook([
            "01-a.md": "# Alpha\n\nIntro words.\n\n## The ReLU Sword\n\nSharp `</script>` words.\n",
            "02-b.md": "# Beta\n\nMore.\n",
        ])
        defer { book.remove() }
        _ = try book.build()
        let index = try book.read("search-index.js")
        #expect(index.hasPrefix("window.LEGEND_SEARCH_INDEX = [{\"chapter\":\"Alpha\",\"section\":\"Alpha\",\"text\":\"Intro words.\",\"url\":\"01-a.html#alpha\"}"))
        #expect(index.contains("{\"chapter\":\"Alpha\",\"section\":\"The ReLU Sword\",\"text\":\"Sharp <\\/script> words.\",\"url\":\"01-a.html#the-relu-sword\"}"))
        #expect(index.contains("\"url\":\"02-b.html#beta\""))
        #expect(try book.read("search.html").contains("<script src=\"search-index.js\"></script>"))
        #expect(try book.read("01-a.html").contains("<form class=\"search\" action=\"search.html\""))
        #expect(try book.read("01-a.html").contains("<li><a href=\"#the-relu-sword\">The ReLU Sword</a></li>"))
    }

    @Test func pagesHoldNothingThatChangesBetweenBuilds() throws {
        let book = try TemporaryBook(["01-a.md": "```swift-run\nprint(Tensor.randn(2, 2))\n```\n"])
        defer { book.remove() }
        _ = try book.build()
        let first = try ["01-a.html", "01-a.md", "index.html", "search-index.js"].map(book.read)
        _ = try book.build { $0.useCache = false }
        let second = try ["01-a.html", "01-a.md", "index.html", "search-index.js"].map(book.read)
        #expect(first == second)
        #expect(!first.joined().contains(book.folder))
    }
}
