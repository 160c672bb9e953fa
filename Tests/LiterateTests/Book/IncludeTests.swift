#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import Literate

/// mdBook's and Quarto's includes: reading the directives, expanding them when a chapter is
/// loaded, and every line reported where the author wrote it.
@Suite struct IncludeTests {
    // MARK: Directives

    @Test(arguments: [
        ("{{#include a.swift}}", IncludeDirective.Part.whole, "a.swift"),
        ("{{#include a.swift:setup}}", .anchor("setup"), "a.swift"),
        ("{{#include a.swift:10:20}}", .lines(from: 10, to: 20), "a.swift"),
        ("{{#include a.swift:10:}}", .lines(from: 10, to: nil), "a.swift"),
        ("{{#include a.swift::20}}", .lines(from: nil, to: 20), "a.swift"),
        ("{{#include a.swift:10}}", .lines(from: 10, to: 10), "a.swift"),
        ("{{ #include  dir/a.swift  }}", .whole, "dir/a.swift"),
        ("{{#rustdoc_include a.rs:2:3}}", .lines(from: 2, to: 3), "a.rs"),
        ("{{< include _part.md >}}", .whole, "_part.md"),
        ("{{< include \"a part.md\" >}}", .whole, "a part.md"),
    ])
    func aDirectiveIsRead(written: String, part: IncludeDirective.Part, path: String) {
        let found = IncludeDirective.scan(Substring("Text " + written + " more"))
        #expect(found == [.include(IncludeDirective(path: path, part: part, columns: 5..<(5 + written.utf8.count)))])
    }

    @Test(arguments: [
        ("{{#include a.swift:0}}", "lines count from 1"),
        ("{{#include a.swift:20:10}}", "is empty"),
        ("{{#include a.swift:x:10}}", "is not a range of lines"),
        ("{{#include a.swift:1:2:3}}", "too many ':'"),
        ("{{#include a.swift:a b}}", "is neither a line nor an anchor's name"),
        ("{{#include :3}}", "names no file"),
        ("{{< include  >}}", "names no file"),
    ])
    func aMalformedDirectiveSaysWhatIsWrong(written: String, problem: String) {
        let found = IncludeDirective.scan(Substring(written))
        guard case .malformed(let columns, let message)? = found.first else {
            Issue.record("\(written) read as \(found)")
            return
        }
        #expect(columns == 0..<written.utf8.count)
        #expect(message.contains(problem), "\(message)")
    }

    @Test(arguments: ["{{#includes a}}", "{{#include}}", "{{#include a", "{{#title x}}", "{{x}}", "{{< include a }}"])
    func otherBracesAreText(written: String) {
        #expect(IncludeDirective.scan(Substring(written)).isEmpty)
    }

    // MARK: Expansion

    /// Loads `01-a.md` of a book made of `files`.
    func load(_ files: [String: String]) throws -> (Chapter, TemporaryBook) {
        let book = try TemporaryBook(files)
        let loaded = try Book.load(from: book.book)
        guard let chapter = loaded.chapters.first else { throw loaded.problems.first ?? Diagnostic.error("no chapter") }
        return (chapter, book)
    }

    @Test func includedLinesMapToTheIncludeAndTheChaptersOwnToThemselves() throws {
        let (chapter, book) = try load([
            "01-a.md": "# A\n\n{{#include parts/three.md}}\nafter: {{#include parts/one.txt}} end\nlast\n",
            "parts/three.md": "one\ntwo\nthree\n",
            "parts/one.txt": "x",
        ])
        defer { book.remove() }
        #expect(chapter.source.text == "# A\n\none\ntwo\nthree\nafter: x end\nlast\n")
        #expect(chapter.warnings.isEmpty, "\(chapter.warnings)")
        #expect((1...8).map(chapter.lineMap.written) == [1, 2, 3, 3, 3, 4, 5, 6])
        let inclusion = try #require(chapter.lineMap.inclusion(at: 4))
        #expect(inclusion.file == book.book + "/parts/three.md" && inclusion.fileLine == 2 && inclusion.column == 1)
        let located = chapter.located(.warning("odd", file: chapter.path, line: 4, column: 2))
        #expect(located.line == 3 && located.column == 1 && located.message == "odd (line 2 of '\(book.book)/parts/three.md', included here)")
        #expect(chapter.located(.warning("x", file: chapter.path, line: 7)).line == 5)
    }

    @Test func includesNestRelativeToTheIncludingFileAndEscapesAreWrittenOut() throws {
        let (chapter, book) = try load([
            "01-a.md": "{{< include parts/outer.md >}}\n\\{{#include parts/outer.md}}\n",
            "parts/outer.md": "outer\n{{#include inner/inner.md}}\n",
            "parts/inner/inner.md": "inner \\{{< include x >}}\n",
        ])
        defer { book.remove() }
        #expect(chapter.warnings.isEmpty, "\(chapter.warnings)")
        #expect(chapter.source.text == "outer\ninner {{< include x >}}\n{{#include parts/outer.md}}\n")
        #expect(chapter.lineMap.inclusion(at: 2)?.file == book.book + "/parts/inner/inner.md")
    }

    @Test func frontMatterIsNotExpanded() throws {
        let (chapter, book) = try load(["01-a.md": "---\ntitle: \"{{#include x.md}}\"\n---\nText.\n"])
        defer { book.remove() }
        #expect(chapter.frontMatter.title == "{{#include x.md}}" && chapter.warnings.isEmpty && chapter.lineMap.isIdentity)
    }

    @Test func aChapterWithoutIncludesKeepsItsText() throws {
        let text = "# A\r\n\r\n{{x}} and {{#title y}}\r\n"
        let chapter = try Chapter(source: SourceText(path: "b/01-a.md", text: text), slug: "01-a")
        #expect(chapter.source.text == text && chapter.lineMap.isIdentity)
    }

    /// Each failure is an error at the include (file:line:col) that says what and what to do;
    /// the include stays as written and the rest of the chapter is there.
    @Test(arguments: [
        ("missing file", "{{#include parts/none.swift}}", "the included file 'BOOK/parts/none.swift' does not exist; fix the path"),
        ("missing anchor", "{{#include parts/code.swift:nowhere}}", "'BOOK/parts/code.swift' has no anchor 'nowhere'; mark the lines"),
        ("range past the end", "{{#include parts/code.swift:2:40}}", "line 40 is past the end of 'BOOK/parts/code.swift', which has 4 lines; fix the range"),
        ("line past the end", "{{#include parts/code.swift:9}}", "line 9 is past the end"),
        ("path out of the book", "{{#include ../../etc/passwd}}", "the include '../../etc/passwd' leads out of the book (to '"),
        ("absolute path", "{{#include /etc/passwd}}", "'/etc/passwd' is an absolute path; an include names a file inside the book"),
        ("link out", "{{#include parts/passwd}}", "the include 'parts/passwd' leads out of the book (to '/etc/passwd')"),
        ("FIFO", "{{#include parts/fifo}}", "the included file 'BOOK/parts/fifo' is a FIFO (named pipe), not a regular file"),
        ("folder", "{{#include parts}}", "the included file 'BOOK/parts' is a folder"),
        ("cycle", "{{#include parts/a.md}}", "in 'BOOK/parts/b.md' line 1: the include of 'BOOK/parts/a.md' makes a cycle (BOOK/parts/a.md → BOOK/parts/b.md → BOOK/parts/a.md)"),
        ("itself", "{{< include 01-a.md >}}", "the include of 'BOOK/01-a.md' makes a cycle (BOOK/01-a.md → BOOK/01-a.md)"),
        ("nested failure", "{{#include parts/broken.md}}", "in 'BOOK/parts/broken.md' line 2: the included file 'BOOK/parts/gone.md' does not exist"),
        ("not UTF-8", "{{#include parts/latin1.txt}}", "the included file 'BOOK/parts/latin1.txt' is not valid UTF-8"),
        ("malformed", "{{#include parts/code.swift:0}}", "'0' is not a line of 'parts/code.swift': lines count from 1"),
    ])
    func aFailedIncludeIsAnErrorAtItsLine(name: String, include: String, expected: String) throws {
        let book = try TemporaryBook([
            "01-a.md": "# A\n\nSome text.\n\nSee: \(include) here.\n\nThe end.\n",
            "parts/code.swift": "a\nb\nc\nd\n",
            "parts/a.md": "{{#include b.md}}\n",
            "parts/b.md": "{{#include a.md}}\n",
            "parts/broken.md": "fine\n{{#include gone.md}}\n",
        ])
        defer { book.remove() }
        try book.writeBytes("parts/latin1.txt", [0x63, 0x61, 0x66, 0xE9, 0x0A])
        try FileManager.default.createSymbolicLink(atPath: book.book + "/parts/passwd", withDestinationPath: "/etc/passwd")
        #expect(mkfifo(book.book + "/parts/fifo", 0o644) == 0)
        let chapter = try #require(try Book.load(from: book.book).chapters.first)
        let errors = chapter.warnings.filter { $0.severity == .error }
        #expect(errors.count == 1, "\(name): \(chapter.warnings)")
        let error = try #require(errors.first)
        #expect(error.file == book.book + "/01-a.md" && error.line == 5 && error.column == 6, "\(name): \(error)")
        #expect(error.message.contains(expected.replacingOccurrences(of: "BOOK", with: book.book)), "\(name): \(error.message)")
        #expect(chapter.source.text.contains("See: \(include) here.\n\nThe end."), "\(name): the include is shown as written")
        // `check` fails on it, with the same location.
        let problems = try Checker(options: book.options, log: { _ in }).check()
        #expect(problems.contains(error), "\(name): \(problems)")
    }

    @Test func includesNestAtMostTenDeep() throws {
        var files = ["01-a.md": "text\n{{#include d1.md}}\n"]
        for depth in 1...12 { files["d\(depth).md"] = "level \(depth)\n{{#include d\(depth + 1).md}}\n" }
        files["d13.md"] = "bottom\n"
        let (chapter, book) = try load(files)
        defer { book.remove() }
        let error = try #require(chapter.warnings.first)
        #expect(error.line == 2 && error.message.contains("includes nest more than 10 deep"), "\(error)")
    }

    /// A file that includes another four times, ten deep, would be a quarter of a million
    /// includes: the chapter stops at a budget instead.
    @Test func anIncludeBombStopsAtTheBudget() throws {
        var files = ["01-a.md": "{{#include b1.md}}\n"]
        for level in 1...9 { files["b\(level).md"] = String(repeating: "{{#include b\(level + 1).md}}\n", count: 4) }
        files["b10.md"] = String(repeating: "x\n", count: 10)
        let (chapter, book) = try load(files)
        defer { book.remove() }
        #expect(chapter.warnings.contains { $0.message.contains("the chapter's includes") }, "\(chapter.warnings)")
    }

    // MARK: Lines as written

    @Test func blocksAndParseDiagnosticsNameTheWrittenLines() throws {
        let (chapter, book) = try load([
            "01-a.md": "# A\n\n{{#include long.md}}\n\n```swift-run\n//| bogus: 1\nprint(1)\n```\n\n```swift-run\n{{#include code.swift}}\nprint(2)\n```\n",
            "long.md": String(repeating: "prose\n", count: 40),
            "code.swift": "let a = 1\nlet b = 2\n",
        ])
        defer { book.remove() }
        let parsed = ParsedChapter(chapter)
        #expect(parsed.blocks.map(\.startLine) == [5, 10] && parsed.blocks.map(\.endLine) == [8, 13])
        #expect(parsed.blocks.map(\.codeStartLine) == [6, 11])
        #expect(parsed.blockProblems[1]?.first?.line == 6, "\(parsed.blockProblems)")
        let program = Tangler().tangle(parsed, blocks: [2]).source
        let file = book.book + "/code.swift"
        #expect(program.contains("#sourceLocation(file: \"\(file)\", line: 1)\nlet a = 1\nlet b = 2\n#sourceLocation(file: \"\(book.book)/01-a.md\", line: 12)\nprint(2)\n\n#sourceLocation()"), "\(program)")
        // The key's program names the files as the book does, and numbers the chapter's lines from the block.
        let neutral = Tangler().tangle(parsed, blocks: [2], lineNeutral: true).source
        #expect(neutral.contains("#sourceLocation(file: \"code.swift\", line: 1)\nlet a = 1\nlet b = 2\n#sourceLocation(file: \"01-a.md\", line: 2)\nprint(2)"), "\(neutral)")
    }

    // MARK: Books with includes, built and run

    @Test func aBookWithEveryKindOfInclude() throws {
        let book = try TemporaryBook(fixture: "includes")
        defer { book.remove() }
        let (report, _) = try book.build()
        #expect(!report.failed && report.weaveProblems.isEmpty, "\(report.chapters.flatMap(\.problems)) \(report.weaveProblems)")
        try FixtureBookTests().expectWoven("includes", ["01-includes.md"], in: book)
        let article = try book.article("01-includes.html")
        for part in [
            "<h2 id=\"a-part-of-the-story\">A part of the story", "<p>The curse began in the deepest layer.</p>",
            "<blockquote>\n<p>Nested: this aside was included by an included file.</p>", "text\">two\nthree\n</code>",
            "text\">four\nfive\n</code>", "text\">one\ntwo\n</code>", "text\">five\n</code>", "<code>144\n</code>",
            "Written out, not included: {{#include code/lines.txt}}.",
        ] {
            #expect(article.contains(part), "the page lacks \(part)")
        }
    }

    /// A compile error after an include of many lines names its line in the chapter file, and
    /// one in included code names the include, and the line of the file it is on.
    @Test func compileErrorsNameTheLinesAsWritten() throws {
        let book = try TemporaryBook([
            "01-a.md": "# A\n\n{{#include long.md}}\n\n```swift-run\n{{#include bad.swift}}\nlet x: Int = \"text\"\n```\n",
            "long.md": String(repeating: "prose\n\n", count: 50),
            "bad.swift": "let fine = 1\nlet y: Int = undefinedName\n",
        ])
        defer { book.remove() }
        let (report, _) = try book.build()
        let run = try #require(report.chapters.first?.run)
        let errors = run.result.diagnostics.filter { $0.severity == .error }
        let chapter = book.book + "/01-a.md"
        #expect(errors.contains { $0.file == chapter && $0.line == 7 && $0.message.contains("String") }, "\(errors)")
        #expect(errors.contains {
            $0.file == chapter && $0.line == 6 && $0.column == 1 && $0.message.contains("undefinedName")
                && $0.message.hasSuffix("(line 2 of '\(book.book)/bad.swift', included here)")
        }, "\(errors)")
        #expect(run.result.blocks.map(\.status) == [.failed])
        #expect(run.result.blocks.first?.failure.count == 2)
    }

    /// The key covers the tangled program, which holds the included code: editing included code
    /// runs the chapter again, editing included prose does not.
    @Test func editingIncludedCodeRunsTheChapterAgainAndEditingIncludedProseDoesNot() throws {
        let book = try TemporaryBook([
            "01-a.md": "# A\n\n{{< include prose.md >}}\n\n```swift-run\n{{#include code.swift}}\n```\n",
            "prose.md": "First words.\n",
            "code.swift": "print(\"first run\")\n",
        ])
        defer { book.remove() }
        let (first, _) = try book.build()
        #expect(first.chapters.first?.run?.fromCache == false && !first.failed)
        try book.write("prose.md", "Second words,\n\nover more lines.\n")
        let (second, _) = try book.build()
        #expect(second.chapters.first?.run?.fromCache == true, "included prose changes no code")
        #expect(try book.article("01-a.html").contains("Second words") && book.article("01-a.html").contains("first run"))
        try book.write("code.swift", "print(\"second run\")\n")
        let (third, _) = try book.build()
        #expect(third.chapters.first?.run?.fromCache == false, "included code is the program's")
        #expect(try book.article("01-a.html").contains("second run"))
    }

    /// The Markdown for code hosts holds what was included (they cannot include).
    @Test func theWovenMarkdownHoldsTheIncludedText() throws {
        let (chapter, book) = try load([
            "01-a.md": "# A\n\n```swift-run\n{{#include code.swift}}\n```\n\nEnd.\n",
            "code.swift": "let a = 1\n",
        ])
        defer { book.remove() }
        let parsed = ParsedChapter(chapter)
        var diagnostics: [Diagnostic] = []
        let markdown = MarkdownWeaver().weave(parsed, ChapterResult(blocks: [BlockResult(status: .ran, items: [.text("1\n")])]), diagnostics: &diagnostics)
        #expect(markdown.hasPrefix("# A\n\n```swift\nlet a = 1\n```\n"), "\(markdown)")
        #expect(markdown.contains("1") && markdown.hasSuffix("End.\n"))
    }

    /// The fuzz entry reads no file: its includes are missing, whatever the disk holds.
    @Test func theFuzzEntryIncludesNothing() throws {
        let theme = try Theme.load(from: [packageRoot + "/templates"])
        let woven = FuzzEntry.weave(bytes: Array("# F\n\n{{#include ../Package.swift}}\n".utf8), theme: theme)
        #expect(woven.markdown.allSatisfy { $0.contains("{{#include ../Package.swift}}") && !$0.contains("PackageDescription") })
    }
}
