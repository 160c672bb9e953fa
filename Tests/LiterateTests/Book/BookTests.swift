import Foundation
import Testing
@testable import Literate

@Suite struct SourceTextTests {
    @Test func invalidUTF8IsReportedWithItsByteOffsetAndLine() throws {
        let bytes = Array("# Title\nfine\nbad: ".utf8) + [0xC3, 0x28] + Array(" here\n".utf8)
        #expect(throws: Diagnostic.error("not valid UTF-8 at byte offset 18; save the file as UTF-8", file: "b/01.md", line: 3)) {
            try SourceText(path: "b/01.md", bytes: bytes)
        }
    }

    @Test(arguments: [
        ([0xE0, 0x80, 0x80], 0),       // overlong
        ([0xED, 0xA0, 0x80], 0),       // surrogate
        ([0x41, 0xF4, 0x90, 0x80, 0x80], 1), // past U+10FFFF
        ([0x41, 0x42, 0xE2, 0x82], 2), // truncated at the end
        ([0xFF], 0),
    ] as [([UInt8], Int)])
    func invalidSequences(bytes: [UInt8], offset: Int) {
        #expect(SourceText.firstInvalidUTF8(in: bytes[...]) == offset)
    }

    @Test(arguments: [
        ([0xE0, 0x80, 0x80], 0), ([0xED, 0xA0, 0x80], 0), ([0x41, 0xF4, 0x90, 0x80, 0x80], 1),
        ([0x41, 0x42, 0xE2, 0x82], 2), ([0xFF], 0),
    ] as [([UInt8], Int)])
    func decodingRefusesWhatTheSearchFinds(bytes: [UInt8], offset: Int) {
        // The standard library's decoder decides; the search names the byte. They must agree.
        #expect(throws: Diagnostic.error("not valid UTF-8 at byte offset \(offset); save the file as UTF-8", file: "x.md", line: 1)) {
            try SourceText(path: "x.md", bytes: bytes)
        }
    }

    @Test func offsetsCountTheByteOrderMarkAndFileDataDecodes() throws {
        #expect(throws: Diagnostic.error("not valid UTF-8 at byte offset 6; save the file as UTF-8", file: "x.md", line: 2)) {
            try SourceText(path: "x.md", bytes: Data([0xEF, 0xBB, 0xBF] + Array("a\nb".utf8) + [0xC0, 0x80]))
        }
        #expect(try SourceText(path: "x.md", bytes: Data("é\n".utf8)).text == "é\n")
    }

    @Test func validTextAndByteOrderMark() throws {
        let text = try SourceText(path: "x.md", bytes: [0xEF, 0xBB, 0xBF] + Array("é 📜\r\nline".utf8))
        #expect(text.text == "é 📜\r\nline")
        #expect(text.lines == ["é 📜", "line"])
    }
}

@Suite struct FrontMatterTests {
    @Test func readsEveryKey() throws {
        let chapter = try Chapter(source: SourceText(path: "b/01.md", text: """
            ---
            title: The Curse
            summary: Where it began.
            seed: 42
            timeout: 12.5
            aliases: [Curse, The Curse of Depth]
            inputs: data/a.csv
            plot: ascii
            ---
            # Body
            """), slug: "01")
        let matter = chapter.frontMatter
        #expect(matter.title == "The Curse")
        #expect(matter.summary == "Where it began.")
        #expect(matter.seed == 42)
        #expect(matter.timeout == 12.5)
        #expect(matter.aliases == ["Curse", "The Curse of Depth"])
        #expect(matter.inputs == ["data/a.csv"])
        #expect(matter.plot == .ascii)
        #expect(chapter.frontMatterLines == 9)
        #expect(chapter.markdownBody.hasPrefix(String(repeating: "\n", count: 9) + "# Body"))
    }

    @Test(arguments: [
        ("---\ntitle: [unclosed\n---\n", "b/01.md:3:1: error: front matter is not valid YAML: did not find expected ',' or ']'"),
        ("---\nseed: many\n---\n", "b/01.md:2: error: front matter 'seed' must be a whole number, such as 'seed: 42'"),
        ("---\ntimeout: -3\n---\n", "b/01.md:2: error: front matter 'timeout' must be a positive number of seconds, such as 'timeout: 120'"),
        ("---\nplot: svgz\n---\n", "b/01.md:2: error: front matter 'plot' must be one of braille, ascii, svg"),
        ("---\n- a\n- b\n---\n", "b/01.md:2: error: front matter must be a mapping of keys to values (such as 'title: …')"),
        ("---\ntitle: x\n", "b/01.md:1: error: front matter starts with '---' but is never closed; end it with a line of '---'"),
        ("---\ntitle: a\ntitle: b\n---\n", "b/01.md:2: error: front matter repeats the key 'title'"),
    ])
    func errors(source: String, message: String) {
        #expect {
            _ = try Chapter(source: SourceText(path: "b/01.md", text: source), slug: "01")
        } throws: { error in
            (error as? Diagnostic)?.description == message
        }
    }

    @Test func unknownKeyIsAWarning() throws {
        let chapter = try Chapter(source: SourceText(path: "b/01.md", text: "---\ntitel: x\n---\n"), slug: "01")
        #expect(chapter.warnings.map(\.description) == [
            "b/01.md:2: warning: unknown front matter key 'titel' is ignored (known: title, summary, seed, timeout, aliases, inputs, plot, env, memory)",
        ])
    }
}

@Suite struct BookLoadingTests {
    @Test func chaptersInFileNameOrderWithConfiguration() throws {
        let book = try TemporaryBook(["book.yml": "title: Sample\nauthor: A. Author\n", "02-b.md": "# B\n", "01-a.md": "# A\n",
                                      "README.md": "not a chapter", "_draft.md": "skipped"])
        defer { book.remove() }
        let loaded = try Book.load(from: book.book)
        #expect(loaded.title == "Sample")
        #expect(loaded.author == "A. Author")
        #expect(loaded.chapters.map(\.slug) == ["01-a", "02-b"])
        #expect(loaded.chapters[0].path == book.book + "/01-a.md")
    }

    @Test func missingFolderEmptyBookAndFile() throws {
        let book = try TemporaryBook([:])
        defer { book.remove() }
        #expect(throws: Diagnostic.self) { try Book.load(from: book.folder + "/nowhere") }
        #expect {
            try Book.load(from: book.book)
        } throws: { error in
            (error as? Diagnostic)?.description.contains("the book has no chapters") == true
        }
        try book.write("01-a.md", "# A")
        #expect {
            try Book.load(from: book.book + "/01-a.md")
        } throws: { error in
            (error as? Diagnostic)?.description.contains("is a file, not a book folder") == true
        }
    }

    @Test func unreadableChapterIsAProblemNotAnAbort() throws {
        let book = try TemporaryBook(["01-a.md": "# A\n"])
        defer { book.remove() }
        try book.writeBytes("02-b.md", [0x23, 0x20, 0xFF, 0x0A])
        let loaded = try Book.load(from: book.book)
        #expect(loaded.chapters.map(\.slug) == ["01-a"])
        #expect(loaded.problems.map(\.description) == ["\(book.book)/02-b.md:1: error: not valid UTF-8 at byte offset 2; save the file as UTF-8"])
    }
}

@Suite struct ConfiguredFolderTests {
    @Test func pathsAreShownWithoutDetours() {
        for (path, expected) in [("legend/../output", "output"), ("../x", "../x"), ("a/b/../../c", "c"), ("./a/./b", "./a/b"),
                                 ("../../site", "../../site"), ("a/..", "."), ("/a/../b", "/b")] {
            #expect(Book.lexicallyNormal(path) == expected, "\(path)")
        }
    }
}
