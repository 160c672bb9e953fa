import Foundation
import Testing
@testable import Literate

/// Chapters that try to break the build. Each is built beside a well-behaved chapter, which
/// must come out whole.
@Suite struct HostileChapterTests {
    /// Builds `hostile` as chapter 1 next to a chapter that prints "fine".
    func build(_ hostile: String, timeout: Int? = nil) throws -> (TemporaryBook, BuildReport, [String]) {
        let front = timeout.map { "---\ntimeout: \($0)\n---\n" } ?? ""
        let book = try TemporaryBook(["01-hostile.md": front + hostile, "02-fine.md": "# Fine\n\n```swift-run\nprint(\"fine\")\n```\n"])
        let (report, lines) = try book.build()
        #expect(try book.read("02-fine.md").contains("```text\nfine\n```"), "the other chapter builds")
        return (book, report, lines)
    }

    @Test func tenMegabytesOfOutputIsCutWithANote() throws {
        let (book, report, _) = try build("```swift-run\nlet line = String(repeating: \"x\", count: 99)\nfor _ in 0..<100_000 { print(line) }\n```\n")
        defer { book.remove() }
        #expect(!report.failed)
        let markdown = try book.read("01-hostile.md")
        #expect(markdown.contains("[output truncated: the block printed 10000000 bytes; the first 1048576 are shown]"))
        #expect(markdown.utf8.count < 2_000_000)
    }

    @Test func aStackOverflowIsACrashOfItsBlock() throws {
        let (book, report, lines) = try build("```swift-run\nfunc dive(_ n: Int) -> Int { n == -1 ? 0 : dive(n + 1) + 1 }\nprint(dive(0))\n```\n")
        defer { book.remove() }
        #expect(report.failed)
        #expect(lines.contains { $0.hasPrefix("\(book.book)/01-hostile.md:") && $0.contains("error: block 1 crashed with signal 11 (SIGSEGV, a bad memory access or a stack overflow)") })
    }

    @Test func aChildThatOutlivesItsChapterIsKilled() throws {
        let marker = "4242.\(Int.random(in: 100...999))"
        let (book, report, _) = try build("""
            ```swift-run
            let child = Process()
            child.executableURL = URL(fileURLWithPath: "/bin/sleep")
            child.arguments = ["\(marker)"]
            try child.run()
            print("started", child.processIdentifier > 0)
            ```

            """)
        defer { book.remove() }
        #expect(!report.failed)
        let survivors = try FileManager.default.contentsOfDirectory(atPath: "/proc").filter { name in
            guard Int(name) != nil, let command = FileManager.default.contents(atPath: "/proc/\(name)/cmdline") else { return false }
            return String(decoding: command, as: UTF8.self).contains(marker)
        }
        #expect(survivors.isEmpty, "processes left behind: \(survivors)")
    }

    @Test func aBlockThatWritesOnlyToStderr() throws {
        let (book, report, _) = try build("```swift-run\nFileHandle.standardError.write(Data(\"only <stderr>\\n\".utf8))\n```\n")
        defer { book.remove() }
        #expect(!report.failed)
        #expect(try book.read("01-hostile.md").contains("```text\nonly <stderr>\n```"))
        #expect(try book.article("01-hostile.html").contains("<pre class=\"output stderr\"><code>only &lt;stderr&gt;\n</code></pre>"))
    }

    @Test func frontMatterThatIsNotYAMLIsReportedAndTheOthersBuild() throws {
        let (book, report, lines) = try build("---\ntitle: [broken\nseed: 1\n---\n# Broken\n")
        defer { book.remove() }
        #expect(report.failed)
        #expect(lines.contains { $0.hasPrefix("\(book.book)/01-hostile.md:3:") && $0.contains("error: front matter is not valid YAML") })
    }

    @Test func nanAndInfinityInTablesAndPlots() throws {
        let (book, report, _) = try build("""
            ```swift-run
            table(["x"], [[Double.nan], [Double.infinity], [-Double.infinity], [1e-300]])
            lineplot([1, .nan, 1e-60, .infinity, 0, -1, 1e3], title: "hostile", yScale: .log10)
            ```

            """)
        defer { book.remove() }
        #expect(!report.failed)
        let markdown = try book.read("01-hostile.md")
        #expect(markdown.contains("NaN") && markdown.contains("Inf") && markdown.contains("1e-300"))
        #expect(markdown.contains("hostile"))
    }

    @Test func titlesAndFrontMatterWithMarkupAreEscapedNeverEvaluated() throws {
        let book = try TemporaryBook([
            "book.yml": "title: \"<script>alert(1)</script> {{book.title}}\"\ndescription: \"{{{content}}} & <b>\"\n",
            "01-a.md": "---\ntitle: \"<img src=x onerror=alert(1)> {{#chapters}}{{/chapters}}\"\nsummary: \"{{> partial}}\"\n---\nText.\n",
        ])
        defer { book.remove() }
        _ = try book.build()
        let page = try book.read("01-a.html"), index = try book.read("index.html")
        #expect(!page.contains("<img src=x") && !index.contains("<script>alert"))
        #expect(page.contains("&lt;img src=x onerror=alert(1)&gt; {{#chapters}}{{/chapters}}"))
        #expect(index.contains("&lt;script&gt;alert(1)&lt;/script&gt; {{book.title}}"))
        #expect(index.contains("{{{content}}} &amp; &lt;b&gt;") && index.contains("{{&gt; partial}}"))
    }

    @Test func tabsFencesInContainersAndNestedFences() throws {
        let (book, report, _) = try build("""
            # Containers

            - A list item with a block:

              ```swift-run
              print("in a list")
              ```

            > ```swift-run
            > print("in a quote")
            > ```

            ````markdown
            ```swift-run
            print("only an example: not run")
            ```
            ````

            ```swift-run
            \tprint("tab-indented")
            ```

            """)
        defer { book.remove() }
        #expect(!report.failed)
        #expect(report.chapters[0].blockCount == 3)
        let markdown = try book.read("01-hostile.md")
        #expect(markdown.contains("  ```swift\n  print(\"in a list\")\n  ```\n\n  ```text\n  in a list\n  ```"))
        #expect(markdown.contains("> ```swift\n> print(\"in a quote\")\n> ```\n>\n> ```text\n> in a quote\n> ```"))
        #expect(markdown.contains("```swift-run\nprint(\"only an example: not run\")\n```"))
        #expect(markdown.contains("```text\ntab-indented\n```"))
    }
}

@Suite struct LargeChapterTests {
    @Test func twentyMegabytesOfProseBuildBesideTheOthers() throws {
        let paragraph = String(repeating: "The curse of depth struck the realm, and *gradients* vanished into the `abyss`. ", count: 12) + "\n\n"
        let prose = "# Prose\n\n" + String(repeating: paragraph, count: 20_000_000 / paragraph.utf8.count)
        let book = try TemporaryBook(["01-prose.md": prose, "02-fine.md": "```swift-run\nprint(\"fine\")\n```\n"])
        defer { book.remove() }
        let report = try book.build().0
        #expect(!report.failed)
        #expect(try book.read("01-prose.md") == prose)
        #expect(try book.read("01-prose.html").utf8.count > 20_000_000)
        #expect(try book.read("02-fine.md").contains("```text\nfine\n```"))
    }
}

@Suite struct ManyBlocksTests {
    @Test func aChapterOfTenThousandBlocks() throws {
        let blocks = (0..<10_000).map { "```swift-run\nprint(\($0) * 2)\n```\n" }.joined(separator: "\n")
        let book = try TemporaryBook(["01-many.md": "# Many\n\n" + blocks, "02-fine.md": "```swift-run\nprint(\"fine\")\n```\n"])
        defer { book.remove() }
        let report = try book.build().0
        #expect(!report.failed)
        let markdown = try book.read("01-many.md")
        #expect(markdown.contains("print(9999 * 2)\n```\n\n```text\n19998\n```"))
        #expect(markdown.components(separatedBy: "```text\n").count - 1 == 10_000)
        #expect(try book.read("02-fine.md").contains("```text\nfine\n```"))
    }
}
