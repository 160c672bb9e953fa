import Testing
@testable import Literate

@Suite struct TeXMathTests {
    func body(_ tex: String) throws -> String {
        let html = try TeXMath().mathML(tex, display: false)
        let start = html.range(of: "<semantics><mrow>")!.upperBound
        let end = html.range(of: "</mrow><annotation")!.lowerBound
        return String(html[start..<end])
    }

    @Test(arguments: [
        (#"\frac{dL}{dW}"#, "<mfrac><mrow><mi>d</mi><mi>L</mi></mrow><mrow><mi>d</mi><mi>W</mi></mrow></mfrac>"),
        (#"a_n"#, "<msub><mi>a</mi><mi>n</mi></msub>"),
        (#"a_{n-1}"#, "<msub><mi>a</mi><mrow><mi>n</mi><mo>−</mo><mn>1</mn></mrow></msub>"),
        (#"x^2_i"#, "<msubsup><mi>x</mi><mi>i</mi><mn>2</mn></msubsup>"),
        (#"\sigma'(x)"#, "<msup><mi>σ</mi><mo>′</mo></msup><mo>(</mo><mi>x</mi><mo>)</mo>"),
        (#"\tanh^2(x)"#, "<msup><mi>tanh</mi><mn>2</mn></msup><mo>&#x2061;</mo><mo>(</mo><mi>x</mi><mo>)</mo>"),
        (#"\tanh'(x)"#, "<msup><mi>tanh</mi><mo>′</mo></msup><mo>&#x2061;</mo><mo>(</mo><mi>x</mi><mo>)</mo>"),
        (#"\log_{10} x"#, "<msub><mi>log</mi><mrow><mn>10</mn></mrow></msub><mo>&#x2061;</mo><mi>x</mi>"),
        (#"\max(0, x)"#, "<mi>max</mi><mo>&#x2061;</mo><mo>(</mo><mn>0</mn><mo>,</mo><mi>x</mi><mo>)</mo>"),
        (#"a \times b \cdot c \ldots"#, "<mi>a</mi><mo>×</mo><mi>b</mi><mo>⋅</mo><mi>c</mi><mo>…</mo>"),
        (#"x \leq 0 \geq y"#, "<mi>x</mi><mo>≤</mo><mn>0</mn><mo>≥</mo><mi>y</mi>"),
        (#"\sum_{i=1}^{n} x_i"#, "<munderover><mo largeop=\"true\" movablelimits=\"true\">∑</mo><mrow><mi>i</mi><mo>=</mo><mn>1</mn></mrow><mrow><mi>n</mi></mrow></munderover><msub><mi>x</mi><mi>i</mi></msub>"),
        (#"\prod_t"#, "<munder><mo largeop=\"true\" movablelimits=\"true\">∏</mo><mi>t</mi></munder>"),
        (#"\partial L / \nabla"#, "<mi>∂</mi><mi>L</mi><mo>/</mo><mi>∇</mi>"),
        (#"\sqrt{2}"#, "<msqrt><mrow><mn>2</mn></mrow></msqrt>"),
        (#"\sqrt[3]{x}"#, "<mroot><mrow><mi>x</mi></mrow><mrow><mn>3</mn></mrow></mroot>"),
        (#"\left( x \right)"#, "<mrow><mo fence=\"true\" stretchy=\"true\">(</mo><mi>x</mi><mo fence=\"true\" stretchy=\"true\">)</mo></mrow>"),
        (#"\hat{y}"#, "<mover accent=\"true\"><mrow><mi>y</mi></mrow><mo stretchy=\"false\">^</mo></mover>"),
        (#"\text{if } x"#, "<mtext>if </mtext><mi>x</mi>"),
        (#"\begin{cases} 1, & x > 0 \\ 0, & x \leq 0 \end{cases}"#,
         "<mrow><mo fence=\"true\" stretchy=\"true\">{</mo><mtable columnalign=\"left\"><mtr><mtd columnalign=\"left\"><mn>1</mn><mo>,</mo></mtd><mtd columnalign=\"left\"><mi>x</mi><mo>&gt;</mo><mn>0</mn></mtd></mtr><mtr><mtd columnalign=\"left\"><mn>0</mn><mo>,</mo></mtd><mtd columnalign=\"left\"><mi>x</mi><mo>≤</mo><mn>0</mn></mtd></mtr></mtable></mrow>"),
        (#"0.25"#, "<mn>0.25</mn>"),
        (#"\alpha\beta\Omega"#, "<mi>α</mi><mi>β</mi><mi>Ω</mi>"),
    ])
    func renders(tex: String, mathML: String) throws {
        #expect(try body(tex) == mathML)
    }

    @Test func displayModeAndAnnotation() throws {
        let html = try TeXMath().mathML("x < 1", display: true)
        #expect(html == #"<math xmlns="http://www.w3.org/1998/Math/MathML" display="block"><semantics><mrow><mi>x</mi><mo>&lt;</mo><mn>1</mn></mrow><annotation encoding="application/x-tex">x &lt; 1</annotation></semantics></math>"#)
    }

    @Test(arguments: [
        (#"\foo{x}"#, "unsupported TeX command '\\foo'"),
        (#"\frac{a}{b"#, "a '{' is never closed"),
        (#"a}"#, "a '}' has no matching '{'"),
        // A group cut off by what closes its surroundings rendered oddly before.
        (#"{a\end{x}}"#, "a '{' is never closed before '\\end'"),
        (#"\left( {a \right)"#, "a '{' is never closed before '\\right'"),
        (#"\begin{matrix} {a & b} \end{matrix}"#, "'&' is only allowed inside cases or a matrix"),
        (#"\left( x"#, "'\\left' has no matching '\\right'"),
        (#"\begin{cases} a \end{matrix}"#, "'\\begin{cases}' is closed by '\\end{matrix}'"),
        (#"\begin{tabular} a \end{tabular}"#, "unsupported environment 'tabular'"),
        (#"x^"#, "a '^', '_' or command is missing its argument"),
        (#"a & b"#, "'&' is only allowed inside cases or a matrix"),
        // Deep nesting overflowed the stack (tried by hand beside the fuzzer, whose inputs are shorter).
        (String(repeating: "{", count: 100_000), "the formula nests more than 100 levels deep; simplify it"),
        (String(repeating: #"\hat"#, count: 100_000) + "x", "the formula nests more than 100 levels deep; simplify it"),
        (String(repeating: #"\frac"#, count: 100_000) + "x", "the formula nests more than 100 levels deep; simplify it"),
    ])
    func refuses(tex: String, message: String) {
        #expect(throws: TeXMath.Failure(message: message)) { try TeXMath().mathML(tex, display: false) }
    }
}

@Suite struct InlineSpanTests {
    func spans(_ text: String) throws -> [InlineSpan] { try parse(text).spans }

    @Test func pandocDollarRules() throws {
        let found = try spans("costs $5 and $6, but $x$ is math, $ y$ is not, $z $ is not. $a$1 is not.\n\n\\$b$ is not\n")
        #expect(found.map(\.source) == ["$x$"])
    }

    @Test func mathAndLinksInCodeAreLeftAlone() throws {
        let found = try spans("`$x$` and ``[[A]]`` but $y$\n\n```swift\nlet t = [[1, 2], [3, 4]] // $z$\n```\n\n    $indented$\n")
        #expect(found.map(\.source) == ["$y$"])
    }

    @Test func displayMathOverLinesKeepsLineNumbers() throws {
        let chapter = try parse("Intro\n$$\n\\frac{a}{b}\n$$\nafter\n\n```swift-run\nprint(1)\n```\n")
        #expect(chapter.spans.map(\.kind) == [.math(tex: "\n\\frac{a}{b}\n", display: true)])
        #expect(chapter.blocks[0].startLine == 7)
    }

    @Test func wikiLinksWithLabels() throws {
        let found = try spans("See [[LSTM]] and [[Batch Normalization|the guardian]].\n")
        #expect(found.map(\.kind) == [.wikiLink(target: "LSTM", label: nil), .wikiLink(target: "Batch Normalization", label: "the guardian")])
        #expect(found[0].line == 1 && found[0].columns == 4..<12)
    }

    @Test func backslashesInMathSurviveMarkdown() throws {
        let chapter = try parse("$\\begin{cases} 1 \\\\ 0 \\end{cases}$ and $a_n * b_n$ *emphasis*\n")
        let site = SiteWeaver(book: Book(path: "b", title: "b", plot: .braille, chapters: [], warnings: []), chapters: [chapter],
                              theme: try Theme.load(from: [packageRoot + "/templates"]))
        var problems: [Diagnostic] = []
        let html = site.chapterContent(chapter, result: nil, diagnostics: &problems)
        #expect(problems.isEmpty)
        #expect(html.contains("<mtr><mtd columnalign=\"left\"><mn>1</mn></mtd></mtr><mtr><mtd columnalign=\"left\"><mn>0</mn></mtd></mtr>"))
        #expect(html.contains("<msub><mi>a</mi><mi>n</mi></msub><mo>∗</mo><msub><mi>b</mi><mi>n</mi></msub>"))
        #expect(html.contains("<em>emphasis</em>"))
    }
}
