import NotebookCore
import Testing
@testable import Literate

@Suite struct MarkdownWeaverTests {
    let result = ChapterResult(blocks: [
        BlockResult(status: .ran, items: [.text("hello\n"), .rich(.table(Table(columns: [.init("n")], rows: [[.integer(3)]])))]),
        BlockResult(status: .failed, failure: [.error("boom", file: "book/01-test.md", line: 9, column: 1)]),
        BlockResult(status: .notRun),
    ])

    @Test func sourceIsKeptOutsideBlocksAndOutputsFollowThem() throws {
        let source = "---\ntitle: T\n---\nProse *kept* exactly.  \n```swift-run\nprint(\"hello\")\n```\n> ```swift-run\n> fail()\n> ```\n\n```swift-run\n//| echo: false\nlater()\n```\ntail"
        let woven = MarkdownWeaver().weave(try parse(source), result)
        #expect(woven == """
            ---
            title: T
            ---
            Prose *kept* exactly.  \n```swift
            print("hello")
            ```

            ```text
            hello
            ```

            | n |
            | --: |
            | 3 |
            > ```swift
            > fail()
            > ```
            >
            > **Error:**
            >
            > ```text
            > book/01-test.md:9:1: error: boom
            > ```

            *Not run: an earlier block of this chapter failed.*
            tail
            """.replacingOccurrences(of: "| n |\n| --: |\n| 3 |", with: "|   n |\n| --: |\n|   3 |"))
    }

    @Test func crlfFilesStayCRLF() throws {
        let source = "# T\r\n```swift-run\r\nprint(1)\r\n```\r\nend\r\n"
        let woven = MarkdownWeaver().weave(try parse(source), ChapterResult(blocks: [BlockResult(status: .ran, items: [.text("1\n")])]))
        #expect(woven == "# T\r\n```swift\r\nprint(1)\r\n```\r\n\r\n```text\r\n1\r\n```\r\nend\r\n")
    }

    @Test func textWithBackticksGetsALongerFence() {
        #expect(MarkdownWriter.fenced("a ``` b\n") == "````text\na ``` b\n````\n")
    }
}

@Suite struct HTMLWeaverTests {
    @Test func blockTextIsEscapedEverywhere() throws {
        let chapter = try parse("```swift-run\n//| label: demo\nprint(\"</code></pre><script>alert(1)</script>\")\n```\n")
        let html = HTMLBlockWeaver(options: .init(base: .init()), highlighter: HTMLWriter.escape).weave(chapter.blocks[0], BlockResult(
            status: .failed, items: [.text("</code></pre><script>alert(1)</script>\n")], stderr: "<b>", failure: [.error("<i>")]))
        #expect(!html.contains("<script>") && !html.contains("<b>") && !html.contains("<i>"))
        #expect(html.contains("&lt;/code&gt;&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(html.hasPrefix("<div class=\"block block-failed\" id=\"demo\">\n<pre class=\"code\"><code class=\"language-swift\">print("))
    }
}
