import Foundation
import Testing
@testable import Literate

/// `markdown` as a chapter's page body.
private func html(_ markdown: String) throws -> String {
    try CommonMarkConformanceTests.woven(markdown: markdown)
}

@Suite struct GFMTableTests {
    @Test(arguments: [
        ("| a | b |\n| :- | -: |\n| c | d |\n",
         "<table>\n<thead>\n<tr>\n<th align=\"left\">a</th>\n<th align=\"right\">b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td align=\"left\">c</td>\n<td align=\"right\">d</td>\n</tr>\n</tbody>\n</table>\n"),
        // Fewer cells are filled, more are dropped.
        ("a | b\n--- | ---\nc\nd | e | f\n",
         "<table>\n<thead>\n<tr>\n<th>a</th>\n<th>b</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>c</td>\n<td></td>\n</tr>\n<tr>\n<td>d</td>\n<td>e</td>\n</tr>\n</tbody>\n</table>\n"),
        // An escaped pipe is a pipe, in a code span too; emphasis in a cell is parsed.
        ("| `a\\|b` | *c* \\| d |\n| - | - |\n",
         "<table>\n<thead>\n<tr>\n<th><code>a|b</code></th>\n<th><em>c</em> | d</th>\n</tr>\n</thead>\n</table>\n"),
        // Lines before the header stay a paragraph.
        ("intro\n| a |\n| - |\n| b |\n",
         "<p>intro</p>\n<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>b</td>\n</tr>\n</tbody>\n</table>\n"),
        // A cell that looks like a block is text; a reference link defined elsewhere resolves.
        ("| # x | [y] |\n| - | - |\n| 1. z | > q |\n\n[y]: /u\n",
         "<table>\n<thead>\n<tr>\n<th># x</th>\n<th><a href=\"/u\">y</a></th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>1. z</td>\n<td>&gt; q</td>\n</tr>\n</tbody>\n</table>\n"),
        // In a block quote and a list item.
        ("> | a |\n> | - |\n> | b |\n",
         "<blockquote>\n<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>b</td>\n</tr>\n</tbody>\n</table>\n</blockquote>\n"),
        ("- | a |\n  | - |\n  | b |\n",
         "<ul>\n<li>\n<table>\n<thead>\n<tr>\n<th>a</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td>b</td>\n</tr>\n</tbody>\n</table>\n</li>\n</ul>\n"),
    ])
    func tables(_ markdown: String, _ expected: String) throws {
        #expect(try html(markdown) == expected)
    }

    @Test(arguments: [
        "| a | b |\n| - |\n",          // the header and the delimiter row differ in cells
        "| a |\n    | - |\n",          // a delimiter row indented by four is text
        "| a |\n| x |\n",              // not a delimiter row
        "```\n| a |\n| - |\n```\n",    // code
    ])
    func notTables(_ markdown: String) throws {
        #expect(try !html(markdown).contains("<table>"))
    }

    @Test func shortRowsAreFilledWithinALimit() throws {
        let header = String(repeating: "| a ", count: 1_000) + "\n" + String(repeating: "|-", count: 1_000) + "\n"
        let page = try html(header + String(repeating: "| b\n", count: 1_000))
        let rows = page.components(separatedBy: "<tr>").count - 1
        #expect(rows > 1 && rows < 100)
        #expect(page.hasSuffix("</table>\n<p>| b\n| b") || page.contains("</table>\n<p>| b\n"))
    }

    @Test func cellsAndRowsKeepTheirLines() throws {
        let tree = try parse("text\n\n| a |\n| - |\n| b |\n").tree
        let rows = tree.indices.filter { if case .tableRow = tree[$0].kind { true } else { false } }
        #expect(rows.map { tree[$0].line } == [3, 5])
        let table = try #require(tree.indices.first { tree[$0].kind == .table })
        #expect((tree[table].line, tree[table].endLine) == (3, 5))
    }
}

@Suite struct GFMStrikethroughTests {
    @Test(arguments: [
        ("~~a~~ ~b~", "<p><del>a</del> <del>b</del></p>\n"),
        ("x ~~~a~~~", "<p>x ~~~a~~~</p>\n"),
        ("~a~~", "<p>~a~~</p>\n"),
        ("~~a *b* c~~", "<p><del>a <em>b</em> c</del></p>\n"),
        ("*~~a~~*", "<p><em><del>a</del></em></p>\n"),
        ("a ~~ b ~~", "<p>a ~~ b ~~</p>\n"),
        ("\\~~a~~", "<p>~~a~~</p>\n"),
        ("`~~a~~`", "<p><code>~~a~~</code></p>\n"),
        ("~~a\nb~~", "<p><del>a\nb</del></p>\n"),
        ("# ~~Old~~ New", "<h1><del>Old</del> New</h1>\n"),
    ])
    func strikethrough(_ markdown: String, _ expected: String) throws {
        #expect(try html(markdown) == expected)
    }
}

@Suite struct GFMAutolinkTests {
    @Test(arguments: [
        ("see www.example.com.", "<p>see <a href=\"http://www.example.com\">www.example.com</a>.</p>\n"),
        ("(https://example.com/a_(b))", "<p>(<a href=\"https://example.com/a_(b)\">https://example.com/a_(b)</a>)</p>\n"),
        ("https://example.com/?q=a&hl;", "<p><a href=\"https://example.com/?q=a\">https://example.com/?q=a</a>&amp;hl;</p>\n"),
        ("mail ada@example.org!", "<p>mail <a href=\"mailto:ada@example.org\">ada@example.org</a>!</p>\n"),
        ("FTP://example.com", "<p><a href=\"FTP://example.com\">FTP://example.com</a></p>\n"),
        ("xhttp://example.com", "<p>xhttp://example.com</p>\n"),
        ("[www.example.com](/u)", "<p><a href=\"/u\">www.example.com</a></p>\n"),
        ("`www.example.com`", "<p><code>www.example.com</code></p>\n"),
        ("awww.example.com", "<p>awww.example.com</p>\n"),
        ("www.a_b.c", "<p>www.a_b.c</p>\n"),
        ("a@b", "<p>a@b</p>\n"),
        ("*www.example.com*", "<p><em><a href=\"http://www.example.com\">www.example.com</a></em></p>\n"),
    ])
    func autolinks(_ markdown: String, _ expected: String) throws {
        #expect(try html(markdown) == expected)
    }
}

@Suite struct GFMTaskListTests {
    @Test(arguments: [
        ("- [ ] a\n- [x] b\n- [X] c\n",
         "<ul>\n<li><input type=\"checkbox\" disabled=\"\" /> a</li>\n<li><input type=\"checkbox\" checked=\"\" disabled=\"\" /> b</li>\n<li><input type=\"checkbox\" checked=\"\" disabled=\"\" /> c</li>\n</ul>\n"),
        ("1. [x] done\n", "<ol>\n<li><input type=\"checkbox\" checked=\"\" disabled=\"\" /> done</li>\n</ol>\n"),
        ("- [ ]a\n- [y] b\n- \\[ ] c\n", "<ul>\n<li>[ ]a</li>\n<li>[y] b</li>\n<li>[ ] c</li>\n</ul>\n"),
        ("[ ] not in a list\n", "<p>[ ] not in a list</p>\n"),
        ("- [ ] a\n\n- [x] b\n",
         "<ul>\n<li><input type=\"checkbox\" disabled=\"\" /> \n<p>a</p>\n</li>\n<li><input type=\"checkbox\" checked=\"\" disabled=\"\" /> \n<p>b</p>\n</li>\n</ul>\n"),
    ])
    func tasks(_ markdown: String, _ expected: String) throws {
        #expect(try html(markdown) == expected)
    }
}

@Suite struct GFMFootnoteTests {
    @Test func numberedInOrderOfFirstReferenceWithLinksBack() throws {
        let page = try html("b[^b] a[^A] b again[^B]\n\n[^a]: Alpha.\n[^b]: word\n[^unused]: Never shown.\n")
        #expect(page == """
            <p>b<sup class="footnote-ref"><a href="#fn1" id="fnref1">1</a></sup> a<sup class="footnote-ref"><a href="#fn2" id="fnref2">2</a></sup> \
            b again<sup class="footnote-ref"><a href="#fn1" id="fnref1-2">1</a></sup></p>
            <section class="footnotes">
            <ol>
            <li id="fn1">
            <p>word <a href="#fnref1" class="footnote-backref">↩</a> <a href="#fnref1-2" class="footnote-backref">↩<sup>2</sup></a></p>
            </li>
            <li id="fn2">
            <p>Alpha. <a href="#fnref2" class="footnote-backref">↩</a></p>
            </li>
            </ol>
            </section>

            """)
    }

    @Test func aDefinitionGoesOnWhileIndentedAndHoldsBlocks() throws {
        let page = try html("x[^n]\n\n[^n]: First\nlazy line.\n\n    ```\n    code\n    ```\n\n    - item\n\nAfter.\n")
        #expect(page == """
            <p>x<sup class="footnote-ref"><a href="#fn1" id="fnref1">1</a></sup></p>
            <p>After.</p>
            <section class="footnotes">
            <ol>
            <li id="fn1">
            <p>First
            lazy line.</p>
            <pre><code>code
            </code></pre>
            <ul>
            <li>item</li>
            </ul>
            <a href="#fnref1" class="footnote-backref">↩</a>
            </li>
            </ol>
            </section>

            """)
    }

    @Test func referencesWithoutDefinitionsAndDefinitionsInCodeStayText() throws {
        #expect(try html("a[^none]\n") == "<p>a[^none]</p>\n")
        #expect(try html("```\n[^1]: code\n```\na[^1]\n") == "<pre><code>[^1]: code\n</code></pre>\n<p>a[^1]</p>\n")
        #expect(try html("a `[^1]`\n\n[^1]: b\n") == "<p>a <code>[^1]</code></p>\n")
    }

    @Test func footnotesReferencedOnlyFromFootnotesAreKept() throws {
        let page = try html("a[^1]\n\n[^1]: see[^2]\n[^2]: deep\n[^3]: see[^4]\n[^4]: never\n")
        #expect(page.contains("<li id=\"fn2\">\n<p>deep"))
        #expect(!page.contains("never") && !page.contains("fn3"))
    }

    @Test func aBlockInAFootnoteKeepsItsLines() throws {
        let chapter = try parse("Text.[^1]\n\n[^1]: A note.\n\n    ```swift-run\n    print(1)\n    ```\n")
        let block = try #require(chapter.blocks.first)
        #expect((block.startLine, block.endLine) == (5, 7))
        #expect(block.code == "print(1)\n")
    }
}

@Suite struct CalloutTests {
    @Test(arguments: MarkdownTree.Callout.allCases)
    func everyKind(_ callout: MarkdownTree.Callout) throws {
        let page = try html("> [!\(callout.name.uppercased())]\n> Mind the *gradient*.\n>\n> More.\n")
        #expect(page == """
            <div class="callout callout-\(callout.name)" role="note">
            <p class="callout-title">\(callout.title)</p>
            <p>Mind the <em>gradient</em>.</p>
            <p>More.</p>
            </div>

            """)
    }

    @Test(arguments: [
        ("> [!tip]\n> Lower case.\n", "<div class=\"callout callout-tip\" role=\"note\">\n<p class=\"callout-title\">Tip</p>\n<p>Lower case.</p>\n</div>\n"),
        ("> [!NOTE]\n\n> [!NOTE] same line\n",
         "<div class=\"callout callout-note\" role=\"note\">\n<p class=\"callout-title\">Note</p>\n</div>\n<blockquote>\n<p>[!NOTE] same line</p>\n</blockquote>\n"),
        ("> [!HINT]\n> x\n", "<blockquote>\n<p>[!HINT]\nx</p>\n</blockquote>\n"),
        ("> \\[!NOTE]\n> x\n", "<blockquote>\n<p>[!NOTE]\nx</p>\n</blockquote>\n"),
    ])
    func markers(_ markdown: String, _ expected: String) throws {
        #expect(try html(markdown) == expected)
    }

    @Test func theMarkdownKeepsTheAlertAsWritten() throws {
        let source = "> [!WARNING]\n> Deep sigmoid stacks forget.\n\n| a |\n| - |\n\nx[^1] ~~y~~ www.example.com\n\n[^1]: z\n"
        let chapter = try parse(source)
        var problems: [Diagnostic] = []
        #expect(MarkdownWeaver().weave(chapter, nil, diagnostics: &problems) == source)
    }
}

/// Input a file controls must not make the rewriters slow: every scan is linear. These finish
/// at once; were a scan quadratic, they would take minutes.
@Suite struct GFMPathologicalInputTests {
    @Test(arguments: [
        String(repeating: "~", count: 100_000),
        String(repeating: "a~ ", count: 50_000) + String(repeating: "~b ", count: 50_000),
        String(repeating: "a~a ", count: 30_000) + String(repeating: "a~~a ", count: 30_000),
        String(repeating: "~x ", count: 30_000) + String(repeating: "y~~ ", count: 30_000),
        String(repeating: "|", count: 100_000) + "\n" + String(repeating: "-|", count: 50_000),
        String(repeating: "| a ", count: 2_000) + "\n" + String(repeating: "|-", count: 2_000) + "\n" + String(repeating: "| b\n", count: 5_000),
        String(repeating: "_www.", count: 40_000),
        String(repeating: " www.a", count: 40_000) + String(repeating: ")", count: 40_000),
        "www.a.b/" + String(repeating: ")", count: 100_000),
        "www.a.b/" + String(repeating: "&a;", count: 50_000),
        String(repeating: "a@", count: 100_000),
        String(repeating: "a.a", count: 50_000) + "@" + String(repeating: "b.", count: 50_000),
        String(repeating: "http://", count: 30_000),
        String(repeating: "[^", count: 50_000) + "\n\n[^a]: b\n",
        String(repeating: "[^a]", count: 50_000) + "\n\n[^a]: b\n",
        "x[^a]\n\n" + String(repeating: "[^a]: b\n", count: 20_000),
        "x[^a]\n\n[^a]: b\n" + String(repeating: "    c\nd\n", count: 10_000),
        String(repeating: "- [ ] a\n", count: 20_000),
        String(repeating: "> [!NOTE]\n", count: 20_000),
    ])
    func finishes(_ markdown: String) throws {
        let page = try html(markdown)
        #expect(!page.isEmpty)
    }
}

@Suite struct TreeEditTests {
    @Test func aContainerOpensInOneLeafAndClosesInALaterOne() throws {
        var tree = CmarkDocument.tree(markdown: "a *b* c\n")
        let texts = tree.indices.filter { tree[$0].kind == .text }
        var edits = MarkdownTree.Edits()
        edits.replace(subtree: texts[0], by: [.open(.container(.strikethrough)), .leaf(tree[texts[0]])])
        edits.replace(subtree: texts[2], by: [.leaf(tree[texts[2]]), .close])
        edits.append([.leaf(.leaf(.thematicBreak))])
        tree.apply(edits)
        #expect(HTMLRenderer.html(tree) == "<p><del>a <em>b</em> c</del></p>\n<hr />\n")
    }
}
