import Testing
@testable import Literate

@Suite struct CitationTests {
    typealias Item = CitationItem

    static func group(_ items: Item...) -> Citation { Citation(form: .parenthetical, items: items) }
    static func inText(_ item: Item) -> Citation { Citation(form: .inText, items: [item]) }

    @Test(arguments: [
        ("[@glorot2010]", group(Item(key: "glorot2010"))),
        ("[@hochreiter1997, p. 8; @gers2000]", group(Item(key: "hochreiter1997", locator: "p. 8"), Item(key: "gers2000"))),
        ("[see @a, pp. 33–35, 38, and elsewhere; also @b, chap. 2]",
         group(Item(key: "a", prefix: "see", locator: "pp. 33–35, 38", suffix: ", and elsewhere"), Item(key: "b", prefix: "also", locator: "chap. 2"))),
        ("[-@he2016]", group(Item(key: "he2016", suppressAuthor: true))),
        ("[see -@he2016, 3]", group(Item(key: "he2016", prefix: "see", locator: "3", suppressAuthor: true))),
        ("[@a, 33]", group(Item(key: "a", locator: "33"))),
        ("[@a, chap. iv]", group(Item(key: "a", locator: "chap. iv"))),
        ("[@a, sec. 2.3.]", group(Item(key: "a", locator: "sec. 2.3", suffix: "."))),
        ("[@a, p. 8, emphasis added]", group(Item(key: "a", locator: "p. 8", suffix: ", emphasis added"))),
        ("[@a and passim]", group(Item(key: "a", suffix: " and passim"))),
        ("[@a, 33rd edition]", group(Item(key: "a", suffix: ", 33rd edition"))),
        ("[@a, note that]", group(Item(key: "a", suffix: ", note that"))),
        ("[@a, p.\n8]", group(Item(key: "a", locator: "p. 8"))),
        ("[see\n  @a]", group(Item(key: "a", prefix: "see"))),
        ("[@doe:2010.x-y/z]", group(Item(key: "doe:2010.x-y/z"))),
        ("[@{https://x.org/a?b=c}]", group(Item(key: "https://x.org/a?b=c"))),
        ("[@https://x.org/a]", group(Item(key: "https://x.org/a"))),
        ("[@_x1]", group(Item(key: "_x1"))),
        ("[@Müller2020]", group(Item(key: "Müller2020"))),
        ("[@a [with brackets; inside]; @b]", group(Item(key: "a", suffix: " [with brackets; inside]"), Item(key: "b"))),
        ("@he2016", inText(Item(key: "he2016"))),
        ("@he2016 [p. 3]", inText(Item(key: "he2016", locator: "p. 3"))),
        ("@he2016 [and passim]", inText(Item(key: "he2016", suffix: ", and passim"))),
        ("@he2016[3]", inText(Item(key: "he2016", locator: "3"))),
    ] as [(String, Citation)])
    func parses(text: String, citation: Citation) {
        #expect(Citation(parsing: text) == citation)
    }

    @Test(arguments: [
        "[@a; no key here]", "[no key]", "[@]", "[@.a]", "[a@b.com]", "[@a", "@a.", "@a [p. 3] more", "@", "[]", "[;@a]", "[@a;]",
        "text @a", "@he2016 [@b]", "[\\@a]",
    ])
    func refuses(text: String) {
        #expect(Citation(parsing: text) == nil)
    }

    @Test(arguments: [
        ("As @glorot2010 showed [@hochreiter1997, p. 8; @gers2000].",
         [("@glorot2010", inText(Item(key: "glorot2010"))),
          ("[@hochreiter1997, p. 8; @gers2000]", group(Item(key: "hochreiter1997", locator: "p. 8"), Item(key: "gers2000")))]),
        ("Mail a@b.com or x@glorot2010, but (@he2016).", [("@he2016", inText(Item(key: "he2016")))]),
        ("Keys end before punctuation: @he2016. @he2016, @he2016; @doe:x:", [
            ("@he2016", inText(Item(key: "he2016"))), ("@he2016", inText(Item(key: "he2016"))),
            ("@he2016", inText(Item(key: "he2016"))), ("@doe:x", inText(Item(key: "doe:x")))]),
        // As in pandoc, an escaped bracket is text, and the key after it is cited in the text.
        ("A link [@a](https://x.org/@b), a reference [@b][ref], an image ![@c], \\@d and \\[@e].", [("@e", inText(Item(key: "e")))]),
        ("Not a group [see also @a; or this], so @a inside is in text.", [
            ("@a", inText(Item(key: "a"))), ("@a", inText(Item(key: "a")))]),
        ("@he2016 [p. 3] says; @he2016 [@b] does not.", [
            ("@he2016 [p. 3]", inText(Item(key: "he2016", locator: "p. 3"))), ("@he2016", inText(Item(key: "he2016"))),
            ("[@b]", group(Item(key: "b")))]),
        ("[[nested [@a]]] and [unclosed @b", [("[@a]", group(Item(key: "a"))), ("@b", inText(Item(key: "b")))]),
        ("Ünïcode @é1 and 名@x", [("@é1", inText(Item(key: "é1")))]),
    ] as [(String, [(String, Citation)])])
    func scans(text: String, expected: [(String, Citation)]) {
        let found = CitationScanner.citations(in: text)
        #expect(found.map { String(text[$0.range]) } == expected.map(\.0))
        #expect(found.map(\.citation) == expected.map(\.1))
    }

    @Test func scanningIsLinear() {
        // Each would take quadratic time if a bracket's partner or a key's end were searched
        // for again from every start.
        #expect(CitationScanner.citations(in: String(repeating: "[", count: 200_000)).isEmpty)
        #expect(CitationScanner.citations(in: String(repeating: "[@a ", count: 100_000)).count == 100_000)
        #expect(CitationScanner.citations(in: "@a" + String(repeating: ":/", count: 200_000)).count == 1)
        #expect(CitationScanner.citations(in: String(repeating: "@{", count: 200_000)).isEmpty)
        #expect(CitationScanner.citations(in: String(repeating: "[@a](", count: 100_000) + ")").isEmpty)
        #expect(CitationScanner.citations(in: String(repeating: "[x](", count: 100_000) + "@a").count == 1)
    }
}
