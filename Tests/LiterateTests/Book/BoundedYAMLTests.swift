import Foundation
import Testing
@testable import Literate

/// Front matter and book.yml refuse aliases, huge and deep YAML before anything expands them.
/// The bombs below have 30 levels of nine aliases each: expanded, they would not finish in the
/// age of the universe, so these tests finish only if nothing expands them.
@Suite struct BoundedYAMLTests {
    static func alias(in name: String) -> String {
        "YAML aliases (*name) are not supported in \(name); write the value out (and quote text that begins with '*')"
    }

    /// `levels` lines, each a list of nine aliases of the line before: 9^levels values expanded.
    static func aliasBomb(levels: Int) -> String {
        var lines = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
        for level in 1..<levels {
            lines.append("a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 9).joined(separator: ", ") + "]")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func frontMatterError(_ yaml: String) -> String? {
        do {
            _ = try Chapter(source: SourceText(path: "b/01.md", text: "---\n" + yaml + "---\n# Body\n"), slug: "01")
            return nil
        } catch {
            return error.description
        }
    }

    static func bookError(_ yaml: String) -> String? {
        var book = Book(path: "b", title: "T", plot: .braille, chapters: [], warnings: [])
        do {
            try book.configure(from: SourceText(path: "b/book.yml", text: yaml))
            return nil
        } catch {
            return error.description
        }
    }

    @Test(arguments: [
        // The bomb: the first alias is on the YAML's line 2.
        (aliasBomb(levels: 30), 2),
        // An alias as a mapping key: Yams hashes keys while it composes, so this one would
        // expand inside Yams.compose itself.
        (aliasBomb(levels: 30) + "? *a29\n: boom\n", 2),
        ("a: &a [x, y]\n*a : b\n", 2),
        ("inputs:\n  - &first data.csv\n  - *first\n", 3),
        ("title: *nothing\n", 1),
        // Not meant as an alias, but it is one to YAML; the message says to quote it.
        ("title: *this* matters\n", 1),
    ])
    func aliasesAreRefusedAtTheirLine(yaml: String, line: Int) {
        #expect(Self.bookError(yaml) == "b/book.yml:\(line): error: " + Self.alias(in: "book.yml"))
        #expect(Self.frontMatterError(yaml) == "b/01.md:\(line + 1): error: " + Self.alias(in: "front matter"))
    }

    @Test func aliasBombInABookFolderIsRefused() throws {
        let book = try TemporaryBook(["book.yml": Self.aliasBomb(levels: 30), "01-a.md": "---\n" + Self.aliasBomb(levels: 30) + "---\n# A\n"])
        defer { book.remove() }
        #expect(throws: Diagnostic.error(Self.alias(in: "book.yml"), file: book.book + "/book.yml", line: 2)) {
            try Book.load(from: book.book)
        }
        try book.write("book.yml", "title: T\n")
        let loaded = try Book.load(from: book.book)
        #expect(loaded.problems == [.error(Self.alias(in: "front matter"), file: book.book + "/01-a.md", line: 3)])
    }

    @Test func deepNestingIsRefused() {
        let flow = "title: T\nsummary: " + String(repeating: "[", count: 500) + String(repeating: "]", count: 500) + "\n"
        let deep = "nests lists and mappings more than \(BoundedYAML.maximumDepth) deep; it holds a few settings, so flatten it"
        #expect(Self.bookError(flow) == "b/book.yml:2: error: book.yml " + deep)
        #expect(Self.frontMatterError(flow) == "b/01.md:3: error: front matter " + deep)
        // Block style: one more level per line.
        let block = (0..<100).map { String(repeating: " ", count: $0) + "k\($0):" }.joined(separator: "\n") + " x\n"
        #expect(Self.bookError(block) == "b/book.yml:65: error: book.yml " + deep)
    }

    @Test func manyNodesAreRefused() {
        let many = "has more than \(BoundedYAML.maximumNodes) YAML keys, values and list items; it holds a few settings, so shorten it"
        // Nodes: the mapping, `inputs`, the list, then one item a line from line 2.
        let list = "inputs:\n" + String(repeating: "- x.csv\n", count: BoundedYAML.maximumNodes)
        #expect(Self.bookError(list) == "b/book.yml:\(BoundedYAML.maximumNodes - 1): error: book.yml " + many)
        #expect(Self.frontMatterError(list) == "b/01.md:\(BoundedYAML.maximumNodes): error: front matter " + many)
        let flow = "inputs: [" + Array(repeating: "x", count: BoundedYAML.maximumNodes * 2).joined(separator: ", ") + "]\n"
        #expect(Self.bookError(flow) == "b/book.yml:1: error: book.yml " + many)
        // Just under the limit is read.
        let most = "inputs:\n" + String(repeating: "- x.csv\n", count: BoundedYAML.maximumNodes - 3)
        #expect(Self.frontMatterError(most) == nil)
    }

    /// Yams traps making an integer of a base-60 number (YAML 1.1: `1:30` is 90) past `Int`.
    @Test func base60NumbersTooLargeAreRefused() throws {
        let base60 = "is a base-60 number to YAML (as 1:30 is 90), too large for an integer; quote it to keep it as text"
        #expect(Self.frontMatterError("title: T\nseed: +222222222222222222:1\n")
                == "b/01.md:3: error: front matter value '+222222222222222222:1' " + base60)
        #expect(Self.bookError("title: 1:1:1:1:1:1:1:1:1:1:1\n") == "b/book.yml:1: error: book.yml value '1:1:1:1:1:1:1:1:1:1:1' " + base60)
        #expect(Self.bookError("title: !!int '-9223372036854775807:59'\n") == "b/book.yml:1: error: book.yml value '-9223372036854775807:59' " + base60)
        // Those that fit are read as before, and quoted ones are text.
        let chapter = try Chapter(source: SourceText(path: "b/01.md", text: "---\nseed: 1:1:1:1:1:1:1:1:1:1\ntitle: '1:1:1:1:1:1:1:1:1:1:1'\n---\n"), slug: "01")
        #expect(chapter.frontMatter.seed == (0..<10).reduce(0) { total, _ in total * 60 + 1 })
        #expect(chapter.frontMatter.title == "1:1:1:1:1:1:1:1:1:1:1")
        for (text, overflows) in [("1:30", false), ("-1:30", false), ("0:1", false), ("1:x", false), ("153722867280912930:7", false),
                                  ("153722867280912931:0", true), ("1:1:1:1:1:1:1:1:1:1:1", true)] {
            #expect(BoundedYAML.overflowsAsBase60(text) == overflows, "\(text)")
        }
    }

    @Test func ordinaryYAMLWithAsterisksAndAnchorsIsReadAsBefore() throws {
        let yaml = """
            title: &name Why *this* matters
            summary: |
              * one
              * two
            aliases: ['*quoted*', "*double*", a*b, 2 * 3]  # a *comment
            inputs: [x]

            """
        let chapter = try Chapter(source: SourceText(path: "b/01.md", text: "---\n" + yaml + "---\n"), slug: "01")
        #expect(chapter.frontMatter.title == "Why *this* matters")
        #expect(chapter.frontMatter.summary == "* one\n* two\n")
        #expect(chapter.frontMatter.aliases == ["*quoted*", "*double*", "a*b", "2 * 3"])
        var book = Book(path: "b", title: "T", plot: .braille, chapters: [], warnings: [])
        try book.configure(from: SourceText(path: "b/book.yml", text: "title: The *Bold* claims, 2 * 3\nauthor: '*A*'\n"))
        #expect(book.title == "The *Bold* claims, 2 * 3")
        #expect(book.author == "*A*")
    }

    /// With a `*` in the text the YAML is first composed with it replaced; errors still read as
    /// the real text's.
    @Test(arguments: [
        ("a*b: 1\na*b: 2\n", "b/01.md:2: error: front matter repeats the key 'a*b'"),
        ("title: [a*b\n", "b/01.md:3:1: error: front matter is not valid YAML: did not find expected ',' or ']'"),
        ("title: \"*x\n", "b/01.md:2:11: error: front matter is not valid YAML: found unexpected end of stream"),
        ("[*x]: y\n", "b/01.md:2: error: " + alias(in: "front matter")),
        ("[a*b]: y\n", "b/01.md:2: error: front matter keys must be names, such as 'title:'; a list or mapping cannot be a key"),
    ])
    func errorsNextToAsterisks(yaml: String, message: String) {
        #expect(Self.frontMatterError(yaml) == message)
    }
}
