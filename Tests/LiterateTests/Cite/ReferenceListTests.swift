import Foundation
import Testing
@testable import Literate

@Suite struct ReferenceListTests {
    static let fixture: Bibliography = {
        let path = packageRoot + "/Tests/LiterateTests/Fixtures/bibtex/references.bib"
        let text = (try? String(contentsOfFile: path, encoding: .utf8)) ?? ""
        return Bibliography.parse(text, file: "references.bib").0
    }()

    static func entry(_ bib: String) throws -> BibEntry {
        let (bibliography, diagnostics) = Bibliography.parse(bib, file: "r.bib")
        #expect(diagnostics == [])
        return try #require(bibliography.entries.first)
    }

    @Test func authorYearLabels() {
        let labels = AuthorYearLabels(Self.fixture.entries)
        let expected: [(String, String, String)] = [
            ("glorot2010", "Glorot and Bengio", "2010"), ("hochreiter1997", "Hochreiter and Schmidhuber", "1997"),
            ("gers2000", "Gers et al.", "2000"),
            // Same label, different works: lettered in list order (the shorter author list first).
            ("he2016identity", "He et al.", "2016a"), ("he2016", "He et al.", "2016b"),
            ("maaten", "van der Maaten et al.", "n.d."), ("deepmind", "Google DeepMind", "2023"),
            ("untitled", "Chollet and Möbius", "n.d."), ("report", "Straße", "2019"),
        ]
        for (key, authors, year) in expected {
            #expect(labels[key] == AuthorYear(authors: authors, year: year), "\(key)")
        }
        #expect(labels["missing"] == nil)
    }

    @Test func labelsWithoutAuthorsOrYears() throws {
        let labels = AuthorYearLabels([
            try Self.entry("@misc{a, title = {Anonymous Work}}"),
            try Self.entry("@misc{b, title = {Anonymous Work}}"),
            try Self.entry("@book{c, editor = {Bengio, Yoshua}, year = {2012}}"),
            try Self.entry("@misc{d}"),
        ])
        #expect(labels["a"] == AuthorYear(authors: "Anonymous Work", year: "n.d.-a"))
        #expect(labels["b"] == AuthorYear(authors: "Anonymous Work", year: "n.d.-b"))
        #expect(labels["c"] == AuthorYear(authors: "Bengio", year: "2012"))
        #expect(labels["d"] == AuthorYear(authors: "d", year: "n.d."))
        #expect(AuthorYearLabels.letters(0) == "a" && AuthorYearLabels.letters(25) == "z" && AuthorYearLabels.letters(26) == "aa")
    }

    @Test(arguments: [
        ("[@glorot2010]", "(Glorot and Bengio 2010)"),
        ("[@hochreiter1997, p. 8; @gers2000]", "(Hochreiter and Schmidhuber 1997, p. 8; Gers et al. 2000)"),
        ("[see @he2016, 3, and elsewhere; -@he2016identity]", "(see He et al. 2016b, 3, and elsewhere; 2016a)"),
        ("[@glorot2010 and passim]", "(Glorot and Bengio 2010 and passim)"),
        ("[@nobody; @deepmind]", "(nobody?; Google DeepMind 2023)"),
        ("@glorot2010", "Glorot and Bengio (2010)"),
        ("@he2016", "He et al. (2016b)"),
        ("@glorot2010 [p. 8]", "Glorot and Bengio (2010, p. 8)"),
        ("@maaten", "van der Maaten et al. (n.d.)"),
        ("@nobody", "nobody?"),
    ])
    func citationText(citation: String, text: String) throws {
        let parsed = try #require(Citation(parsing: citation))
        #expect(CitationText.text(parsed, labels: AuthorYearLabels(Self.fixture.entries)) == text)
    }

    @Test func markdownList() {
        let list = ReferenceList(Self.fixture.entries)
        #expect(list.entries.map(\.key) == ["untitled", "gers2000", "glorot2010", "deepmind", "he2016identity", "he2016",
                                            "hochreiter1997", "maaten", "report"])
        #expect(list.markdown() == """
            Chollet, François, and Rení Möbius. n.d.

            Gers, Felix A., Jürgen Schmidhuber, and Fred Cummins. 2000. “Learning to Forget: Continual Prediction with LSTM.” *Neural Computation 12*. <https://doi.org/10.1162/089976600300015015>

            Glorot, Xavier, and Yoshua Bengio. 2010. “Understanding the Difficulty of Training Deep Feedforward Neural Networks.” In *Proceedings of the Thirteenth International Conference on Artificial Intelligence and Statistics*, 249–256. <https://proceedings.mlr.press/v9/glorot10a.html>

            Google DeepMind. 2023. “Gemini: A Family of Highly Capable Multimodal Models.” https://arxiv.org/abs/2312.11805.

            He, Kaiming, Xiangyu Zhang, et al. 2016a. “Identity Mappings in Deep Residual Networks.” In *European Conference on Computer Vision*. arXiv:1603.05027. <https://arxiv.org/abs/1603.05027>

            He, Kaiming, Xiangyu Zhang, Shaoqing Ren, and Jian Sun. 2016b. “Deep Residual Learning for Image Recognition.” In *Proceedings of the IEEE Conference on Computer Vision and Pattern Recognition (CVPR)*, 770–778.

            Hochreiter, Sepp, and Jürgen Schmidhuber. 1997. “Long Short-Term Memory.” *Neural Computation* 9 (8): 1735–1780. <https://doi.org/10.1162/neco.1997.9.8.1735>

            Maaten, Laurens van der, Geoffrey Hinton, and José Peña Jr. n.d. *Visualizing Data \\& Trees — a Survey*. São Paulo: Self\u{A0}Published.

            Straße, Anna. 2019. “Über Ångström and ørsted ‘quoted’.” Technical Report 42, ETH Zürich.

            """)
    }

    @Test func htmlList() {
        let list = ReferenceList([Self.fixture["hochreiter1997"], Self.fixture["maaten"]].compactMap { $0 })
        #expect(list.html() == """
            <div class="references">
            <p class="reference" id="ref-hochreiter1997">Hochreiter, Sepp, and Jürgen Schmidhuber. 1997. “Long Short-Term Memory.” <em>Neural Computation</em> 9 (8): 1735–1780. <a href="https://doi.org/10.1162/neco.1997.9.8.1735">https://doi.org/10.1162/neco.1997.9.8.1735</a></p>
            <p class="reference" id="ref-maaten">Maaten, Laurens van der, Geoffrey Hinton, and José Peña Jr. n.d. <em>Visualizing Data &amp; Trees — a Survey</em>. São Paulo: Self\u{A0}Published.</p>
            </div>

            """)
    }

    /// What a file holds is text: escaped for HTML and for Markdown, and only http(s) addresses are links.
    @Test func hostileEntryIsEscaped() throws {
        let entry = try Self.entry(#"""
            @misc{x<y, author = {{<script>alert(1)</script>}}, year = 2020,
              title = {*bold* [link](javascript:alert(1)) $x$ @cite \& | "q" 'a'}, url = {javascript:alert(1)}}
            """#)
        let list = ReferenceList([entry])
        #expect(list.html() == """
            <div class="references">
            <p class="reference" id="ref-x&lt;y">&lt;script&gt;alert(1)&lt;/script&gt;. 2020. “*bold* [link](javascript:alert(1)) $x$ @cite &amp; | &quot;q&quot; &#39;a&#39;.” javascript:alert(1).</p>
            </div>

            """)
        #expect(list.markdown(for: entry) == #"\<script\>alert(1)\</script\>. 2020. “\*bold\* \[link\](javascript:alert(1)) \$x\$ \@cite \& \| "q" 'a'.” javascript:alert(1)."#)
    }

    @Test func addressesAreEncoded() throws {
        let entry = try Self.entry(#"""
            @article{sici, author = {Doe, Jane}, title = {Why?}, journal = {J}, year = 1998, pages = {693-701},
              doi = {doi:10.1002/(SICI)1097-4571(199806)49:8<693::AID-ASI4>3.0.CO;2-O}}
            """#)
        let list = ReferenceList([entry])
        let address = "https://doi.org/10.1002/(SICI)1097-4571(199806)49:8%3C693::AID-ASI4%3E3.0.CO;2-O"
        #expect(list.markdown(for: entry) == "Doe, Jane. 1998. “Why?” *J*, 693–701. <\(address)>")
        #expect(list.html(for: entry) == "Doe, Jane. 1998. “Why?” <em>J</em>, 693–701. <a href=\"\(address)\">\(address)</a>")
        let spaced = try Self.entry(#"@misc{s, title = {T}, url = {https://x.org/a"b<c>}}"#)
        #expect(ReferenceList([spaced]).markdown(for: spaced) == "“T.” n.d. <https://x.org/a%22b%3Cc%3E>")
    }

    @Test(arguments: [
        ("@phdthesis{t, author = {Hochreiter, Sepp}, title = {Untersuchungen zu dynamischen neuronalen Netzen}, school = {TU München}, year = 1991}",
         "Hochreiter, Sepp. 1991. “Untersuchungen zu dynamischen neuronalen Netzen.” PhD diss., TU München."),
        ("@book{b, editor = {Bengio, Yoshua and LeCun, Yann}, title = {Deep Learning?}, publisher = {MIT Press}, year = 2016}",
         "Bengio, Yoshua, and Yann LeCun, eds. 2016. *Deep Learning?* MIT Press."),
        ("@incollection{c, author = {A, B}, editor = {E, F}, booktitle = {Book}, pages = {1--2}, publisher = {P}, address = {Q}, year = 2000}",
         "A, B. 2000. In *Book*, edited by F E, 1–2. Q: P."),
        ("@article{n, title = {No Authors}, journal = {J}, volume = 3, year = 2001}", "“No Authors.” 2001. *J* 3."),
        ("@misc{m, author = {" + (1...11).map { "P\($0), Q" }.joined(separator: " and ") + "}, year = 2020}",
         "P1, Q, Q P2, Q P3, Q P4, Q P5, Q P6, Q P7, et al. 2020."),
    ])
    func entryTypes(bib: String, markdown: String) throws {
        let entry = try Self.entry(bib)
        #expect(ReferenceList([entry]).markdown(for: entry) == markdown)
    }

    @Test(arguments: [("1. A", "1\\. A"), ("12) b", "12\\) b"), ("- x", "\\- x"), ("+ y", "\\+ y"), ("# z", "\\# z"), ("2001 A", "2001 A")])
    func markdownParagraphsStayParagraphs(line: String, escaped: String) {
        #expect(MarkdownEscaping.escapedLineStart(line) == escaped)
    }
}
