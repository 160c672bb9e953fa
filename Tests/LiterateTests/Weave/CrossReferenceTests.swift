import Foundation
import Testing
@testable import Literate

/// Numbered figures, tables, sections and equations, and `@label` references to them.
@Suite struct CrossReferenceTests {
    static let first = """
        # One {#sec-one}

        ## Depth {#sec-depth}

        See @fig-depth, @tbl-norms, @eq-chain and @sec-later. Mail a@fig-x.org; `@fig-depth` is code.

        ```swift-run
        //| label: fig-depth
        //| caption: Gradient norm by depth
        lineplot([1.0, 0.5, 0.25], title: "norms")
        ```

        ```swift-run
        //| label: tbl-norms
        table(["a"], [[1]])
        ```

        $$ \\frac{\\partial L}{\\partial x} = 1 $$ {#eq-chain}

        """
    static let second = "# Two\n\n## Later {#sec-later}\n\nBack to @fig-depth, and @sec-depth.\n"

    @Test func referencesReadAsNumbersAndLinkInBothOutputs() throws {
        let book = try TemporaryBook(["01-one.md": Self.first, "02-two.md": Self.second])
        defer { book.remove() }
        let (report, _) = try book.build()
        #expect(report.weaveProblems.isEmpty, "\(report.weaveProblems)")
        let one = try book.article("01-one.html")
        #expect(one.contains("<a class=\"cross-reference\" href=\"#fig-depth\">Figure 1.1</a>"))
        #expect(one.contains("<a class=\"cross-reference\" href=\"#tbl-norms\">Table 1.1</a>"))
        #expect(one.contains("<a class=\"cross-reference\" href=\"#eq-chain\">Equation (1.1)</a>"))
        #expect(one.contains("<a class=\"cross-reference\" href=\"02-two.html#sec-later\">Section 2.1</a>"))
        #expect(one.contains("Mail <a href=\"mailto:a@fig-x.org\">a@fig-x.org</a>;") && one.contains("<code>@fig-depth</code>"), "an address, not a reference")
        #expect(one.contains("<h1 id=\"sec-one\">One <a class=\"anchor\" href=\"#sec-one\""), "the label is the heading's id, and not its text")
        #expect(one.contains("<h2 id=\"sec-depth\">Depth <a"))
        #expect(one.contains("<figcaption>Figure 1.1: Gradient norm by depth</figcaption>"))
        #expect(one.contains("<caption>Table 1.1</caption>"))
        #expect(one.contains("<span class=\"equation-number\" id=\"eq-chain\">(1.1)</span>"))
        #expect(try book.article("02-two.html").contains("<a class=\"cross-reference\" href=\"01-one.html#fig-depth\">Figure 1.1</a>"))

        let markdown = try book.read("01-one.md")
        #expect(markdown.hasPrefix("# One <a id=\"sec-one\"></a>\n\n## Depth <a id=\"sec-depth\"></a>\n\n"))
        #expect(markdown.contains("See [Figure 1.1](#fig-depth), [Table 1.1](#tbl-norms), [Equation (1.1)](#eq-chain) and [Section 2.1](02-two.md#sec-later). Mail a@fig-x.org; `@fig-depth` is code."))
        #expect(markdown.contains("*Figure 1.1: Gradient norm by depth*"))
        #expect(markdown.contains("*Table 1.1*"))
        #expect(markdown.contains("$$ \\frac{\\partial L}{\\partial x} = 1 \\tag{1.1} $$\n"))
        #expect(try book.read("02-two.md") == "# Two\n\n## Later <a id=\"sec-later\"></a>\n\nBack to [Figure 1.1](01-one.md#fig-depth), and [Section 1.1](01-one.md#sec-depth).\n")
    }

    @Test func unknownDuplicateAndStrayLabelsAreNamedWhereTheyAre() throws {
        let book = try TemporaryBook([
            "01-a.md": "# A\n\n## Twice {#sec-twice}\n\nSee @fig-missing.\n\nA stray {#sec-stray}\n",
            "02-b.md": "# B\n\n## Again {#sec-twice}\n",
        ])
        defer { book.remove() }
        let found = try Checker(options: book.options, log: { _ in }).check().map(\.description)
        #expect(found.contains("\(book.book)/01-a.md:5: error: '@fig-missing' refers to no label; label a block with '//| label: fig-missing', or end a heading or a display formula with '{#fig-missing}'"), "\(found)")
        #expect(found.contains("\(book.book)/02-b.md:3: error: the label 'sec-twice' is defined twice (first at \(book.book)/01-a.md:3); labels name one thing in the whole book, so rename one"), "\(found)")
        #expect(found.contains("\(book.book)/01-a.md:7: error: '{#sec-stray}' ends neither a heading nor a display formula ($$ … $$), so it names nothing; move it to the end of one"), "\(found)")
        let (report, _) = try book.build()
        #expect(report.weaveProblems.count == 3 && report.weaveProblems.allSatisfy { $0.severity == .warning }, "a build warns")
    }

    @Test(arguments: [
        ("See @fig-a.", ["@fig-a"]),
        ("(@tbl-x_1-), @sec-b- and @eq-c_", ["@tbl-x_1", "@sec-b", "@eq-c"]),
        ("a@fig-x.org, @figure, @fig-, @Fig-a, é@fig-a", []),
        ("## Title {#sec-t}", ["{#sec-t}"]),
        ("text {#sec-t} more", []),
        ("`@fig-a` and $@fig-a$", []),
    ])
    func theScannerFindsReferencesAndLabels(line: String, expected: [String]) throws {
        let spans = InlineProtection.spans(in: [Substring(line)], skipping: [])
        #expect(spans.filter { if case .math = $0.kind { false } else { true } }.map(\.source) == expected)
    }
}
