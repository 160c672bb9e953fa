import Foundation
import Testing
@testable import Literate

@Suite struct NewChapterTests {
    @Test func createsTheNextNumberedChapterThatBuilds() throws {
        let book = try TemporaryBook(["01-a.md": "# A\n", "07-g.md": "# G\n"])
        defer { book.remove() }
        let path = try NewChapter.create(title: "The ReLU Sword: Part 2", book: book.book)
        #expect(path == book.book + "/08-the-relu-sword-part-2.md")
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("---\ntitle: \"The ReLU Sword: Part 2\"\nseed: 0\n---\n# The ReLU Sword: Part 2\n"))
        let report = try book.build().0
        #expect(!report.failed)
        #expect(try book.read("08-the-relu-sword-part-2.md").contains("```text\ntensor([[2., 4.],\n        [6., 8.]]"))
        #expect(throws: Diagnostic.error("a chapter needs a title, such as `legend new \"The ReLU Sword\"`")) {
            try NewChapter.create(title: "  ", book: book.book)
        }
    }

    @Test func startsABookWhereThereIsNone() throws {
        let book = try TemporaryBook([:])
        defer { book.remove() }
        let path = try NewChapter.create(title: "Intro", book: book.folder + "/fresh")
        #expect(path == book.folder + "/fresh/01-intro.md")
        #expect(FileManager.default.fileExists(atPath: book.folder + "/fresh/book.yml"))
    }
}

@Suite struct SingleChapterTests {
    @Test func tangleAndRunOneChapter() throws {
        let book = try TemporaryBook(["01-a.md": "# A\n\n```swift-run\nlet n = 6\n```\n\n```swift-run\nprint(n * 7)\ntable([\"k\"], [[1.5]])\n```\n",
                                      "02-b.md": "```swift-run\nprint(\"other\")\n```\n"])
        defer { book.remove() }
        let single = try SingleChapter.load(book.book + "/01-a.md")
        #expect(single.tangle().contains("#sourceLocation(file: \"\(book.book)/01-a.md\", line: 4)\nlet n = 6\n"))
        let (report, text) = try single.run(options: book.options, log: { _ in })
        #expect(!report.failed)
        #expect(text == """
            ── block 1 · \(book.book)/01-a.md:3 \(String(repeating: "─", count: max(3, 78 - "── block 1 · \(book.book)/01-a.md:3 ".count)))
            ── block 2 · \(book.book)/01-a.md:7 \(String(repeating: "─", count: max(3, 78 - "── block 2 · \(book.book)/01-a.md:7 ".count)))
            42
              k
            ───
            1.5

            """)
        #expect(throws: Diagnostic.self) { try SingleChapter.load(book.book + "/03-missing.md") }
    }
}

@Suite struct DraftAndFrozenTests {
    @Test func draftRunsNothingAndFrozenNamesWhatIsMissing() throws {
        let book = try TemporaryBook(["01-a.md": "```swift-run\nprint(\"a\")\n```\n", "02-b.md": "```swift-run\nprint(\"b\")\n```\n"])
        defer { book.remove() }
        _ = try book.build()
        try book.write("02-b.md", "```swift-run\nprint(\"b, changed\")\n```\n")
        let draft = try book.build { $0.execution = .draft }.0
        #expect(!draft.failed)
        #expect(draft.chapters.map { $0.run?.fromCache } == [true, nil])
        #expect(try book.read("01-a.md").contains("```text\na\n```"))
        #expect(try book.article("02-b.html").contains("Not run: this build did not execute the chapter (draft)."))
        let frozen = try book.build { $0.execution = .frozen }.0
        #expect(frozen.failed)
        #expect(frozen.chapters[1].problems.map(\.description) == [
            "\(book.book)/02-b.md: error: the chapter's results are not in the cache, and a frozen build runs nothing; build it once with `legend build` where Swift is installed",
        ])
    }
}

@Suite struct CacheKeyTests {
    @Test func aChangedInputFileRerunsItsChapter() throws {
        let book = try TemporaryBook(["01-a.md": "---\ninputs: [data/n.txt]\n---\n```swift-run\nprint(try String(contentsOfFile: \"data/n.txt\", encoding: .utf8))\n```\n",
                                      "data/n.txt": "one"])
        defer { book.remove() }
        #expect(try book.build().0.chapters[0].run?.fromCache == false)
        #expect(try book.read("01-a.md").contains("```text\none\n```"))
        #expect(try book.build().0.chapters[0].run?.fromCache == true)
        try book.write("data/n.txt", "two")
        #expect(try book.build().0.chapters[0].run?.fromCache == false)
        #expect(try book.read("01-a.md").contains("```text\ntwo\n```"))
        try FileManager.default.removeItem(atPath: book.book + "/data/n.txt")
        let missing = try book.build().0
        #expect(missing.failed)
        #expect(missing.chapters[0].problems.map(\.description) == [
            "\(book.book)/01-a.md:2: error: declared input 'data/n.txt' does not exist (looked for \(book.book)/data/n.txt); fix the path in 'inputs:' or add the file",
        ])
    }

    @Test func aChangedRuntimeOrOptionRerunsEverything() throws {
        let chapter = try parse("```swift-run\nprint(1)\n```\n")
        let program = Tangler().tangle(chapter, lineNeutral: true)
        let one = try ResultCache.key(for: chapter, program: program, runtimeFingerprint: "engine-1", bookDirectory: ".")
        let two = try ResultCache.key(for: chapter, program: program, runtimeFingerprint: "engine-2", bookDirectory: ".")
        #expect(one.full != two.full && one.content == two.content)
        let moved = try parse("Prose above.\n\n```swift-run\nprint(1)\n```\n")
        #expect(try ResultCache.key(for: moved, program: Tangler().tangle(moved, lineNeutral: true), runtimeFingerprint: "engine-1", bookDirectory: ".").full == one.full)
        // What only changes the presentation is not part of the key; what changes the run is.
        let echoed = try parse("```swift-run\n//| echo: false\n//| caption: One\nprint(1)\n```\n")
        #expect(try ResultCache.key(for: echoed, program: Tangler().tangle(echoed, lineNeutral: true), runtimeFingerprint: "engine-1", bookDirectory: ".").full == one.full)
        let expected = try parse("```swift-run\n//| error: true\nprint(1)\n```\n")
        #expect(try ResultCache.key(for: expected, program: Tangler().tangle(expected, lineNeutral: true), runtimeFingerprint: "engine-1", bookDirectory: ".").full != one.full)
        let seeded = try parse("---\nseed: 3\n---\n```swift-run\nprint(1)\n```\n")
        #expect(try ResultCache.key(for: seeded, program: Tangler().tangle(seeded, lineNeutral: true), runtimeFingerprint: "engine-1", bookDirectory: ".").full != one.full)
    }

    @Test func hidingABlocksCodeRunsNothingAgain() throws {
        let book = try TemporaryBook(["01-a.md": "# A\n\n```swift-run\nprint(\"forty-two\")\n```\n"])
        defer { book.remove() }
        let (first, _) = try book.build()
        #expect(first.chapters[0].run?.fromCache == false)
        try book.write("01-a.md", "# A\n\n```swift-run\n//| echo: false\n//| caption: The answer\nprint(\"forty-two\")\n```\n")
        let (second, _) = try book.build()
        #expect(second.chapters[0].run?.fromCache == true)
        let article = try book.article("01-a.html")
        #expect(article.contains("forty-two") && !article.contains("language-swift"))
    }

    @Test func aDamagedEntryIsRunAgainNotServed() throws {
        let book = try TemporaryBook(["01-a.md": "```swift-run\nprint(\"a\")\n```\n"])
        defer { book.remove() }
        _ = try book.build()
        let results = book.folder + "/cache/results"
        for case let name as String in FileManager.default.enumerator(atPath: results)! where name.hasSuffix(".json") {
            try Data("{ not json".utf8).write(to: URL(fileURLWithPath: results + "/" + name))
        }
        let report = try book.build().0
        #expect(report.chapters[0].run?.fromCache == false)
        #expect(try book.read("01-a.md").contains("```text\na\n```"))
    }

    @Test func theRuntimeFingerprintFollowsItsSources() throws {
        let digest = Runtime.sourceDigest(root: packageRoot)
        #expect(digest == Runtime.sourceDigest(root: packageRoot))
        let copy = NSTemporaryDirectory() + "legend-runtime-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: copy) }
        for folder in Runtime.runtimeSourceFolders {
            try FileManager.default.createDirectory(atPath: copy + "/" + (folder as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try FileManager.default.copyItem(atPath: packageRoot + "/" + folder, toPath: copy + "/" + folder)
        }
        try FileManager.default.copyItem(atPath: packageRoot + "/Package.swift", toPath: copy + "/Package.swift")
        #expect(Runtime.sourceDigest(root: copy) == digest)
        try "// changed\n".write(toFile: copy + "/Sources/TensorForge/Changed.swift", atomically: true, encoding: .utf8)
        #expect(Runtime.sourceDigest(root: copy) != digest)
    }
}
