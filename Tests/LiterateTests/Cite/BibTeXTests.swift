import Foundation
import Testing
@testable import Literate

@Suite struct BibTeXTests {
    static func read(_ text: String) -> (Bibliography, [String]) {
        let (bibliography, diagnostics) = Bibliography.parse(text, file: "r.bib")
        return (bibliography, diagnostics.map(\.description))
    }

    @Test func exportedFileWithTheUsualQuirks() throws {
        let text = try String(contentsOfFile: packageRoot + "/Tests/LiterateTests/Fixtures/bibtex/references.bib", encoding: .utf8)
        let (bibliography, diagnostics) = Self.read(text)
        #expect(diagnostics == [])
        #expect(bibliography.entries.map(\.key) == ["glorot2010", "hochreiter1997", "gers2000", "he2016", "he2016identity",
                                                     "maaten", "deepmind", "untitled", "report"])

        let glorot = try #require(bibliography["glorot2010"])
        #expect(glorot.type == "inproceedings" && glorot.line == 10 && glorot.column == 1)
        #expect(glorot.authors == NameList([PersonName(first: "Xavier", last: "Glorot"), PersonName(first: "Yoshua", last: "Bengio")]))
        #expect(glorot.title == "Understanding the Difficulty of Training Deep Feedforward Neural Networks")
        #expect(glorot[field: "BookTitle"] == "Proceedings of the Thirteenth International Conference on Artificial Intelligence and Statistics")
        #expect(glorot.year == "2010" && glorot[field: "pages"] == "249–256" && glorot[field: "month"] == "May")
        #expect(glorot[field: "url"] == "https://proceedings.mlr.press/v9/glorot10a.html")

        let hochreiter = try #require(bibliography["hochreiter1997"])
        #expect(hochreiter.authors.names.map(\.description) == ["Sepp Hochreiter", "Jürgen Schmidhuber"])
        #expect(hochreiter[field: "journal"] == "Neural Computation" && hochreiter[field: "doi"] == "10.1162/neco.1997.9.8.1735")

        let gers = try #require(bibliography["gers2000"])
        #expect(gers.title == "Learning to Forget: Continual Prediction with LSTM")
        #expect(gers[field: "journal"] == "Neural Computation 12")
        #expect(gers.authors.names.map(\.citationName) == ["Gers", "Schmidhuber", "Cummins"])

        let identity = try #require(bibliography["he2016identity"])
        #expect(identity.authors.andOthers && identity.authors.names.map(\.last) == ["He", "Zhang"])
        #expect(identity[field: "archiveprefix"] == "arXiv" && identity[field: "eprint"] == "1603.05027")

        let maaten = try #require(bibliography["maaten"])
        #expect(maaten.authors.names == [PersonName(first: "Laurens", von: "van der", last: "Maaten"),
                                         PersonName(first: "Geoffrey", last: "Hinton"),
                                         PersonName(first: "José", last: "Peña", jr: "Jr")])
        #expect(maaten.title == "Visualizing Data & Trees — a Survey")
        #expect(maaten[field: "publisher"] == "Self\u{A0}Published" && maaten[field: "address"] == "São Paulo")
        #expect(maaten.year == nil)

        let deepmind = try #require(bibliography["deepmind"])
        #expect(deepmind.authors.names == [PersonName(last: "Google DeepMind")])
        #expect(deepmind.title == "Gemini: A Family of Highly Capable Multimodal Models")
        #expect(deepmind[field: "howpublished"] == "https://arxiv.org/abs/2312.11805")

        let untitled = try #require(bibliography["untitled"])
        #expect(untitled.title == nil && untitled.year == nil)
        #expect(untitled.authors.names.map(\.description) == ["François Chollet", "Rení Möbius"])
        #expect(untitled[field: "note"] == "no year, no title: 100% missing")

        let report = try #require(bibliography["report"])
        #expect(report.authors.names.map(\.last) == ["Straße"])
        #expect(report.title == "Über Ångström and ørsted “quoted”")
        #expect(report[field: "institution"] == "ETH Zürich")
    }

    @Test(arguments: [
        (#"{\"o}"#, "ö"), (#"\"o"#, "ö"), (#"\"{o}"#, "ö"), (#"\" o"#, "ö"), (#"\'e"#, "é"), (#"{\'\i}"#, "í"),
        (#"\'{\i}"#, "í"), (#"\^{\j}"#, "ĵ"), (#"\c{c}"#, "ç"), (#"\c c"#, "ç"), (#"{\c{C}}"#, "Ç"), (#"\v{s}"#, "š"),
        (#"\u{a}"#, "ă"), (#"\H{o}"#, "ő"), (#"\k{a}"#, "ą"), (#"\r{a}"#, "å"), (#"\={a}"#, "ā"), (#"\.{z}"#, "ż"),
        (#"\d{h}"#, "ḥ"), (#"\~n"#, "ñ"), (#"\`a"#, "à"), (#"\^o"#, "ô"), (#"\"{\'{u}}"#, "ǘ"),
        (#"Stra\ss e"#, "Straße"), (#"{\ss}e"#, "ße"), (#"\o{}rsted"#, "ørsted"), (#"{\AE}sop"#, "Æsop"), (#"\l{}\'od\'z"#, "łódź"),
        (#"A \& B"#, "A & B"), (#"100\%"#, "100%"), (##"\$5 \#1 a\_b \{x\}"##, "$5 #1 a_b {x}"),
        ("1--2", "1–2"), ("a---b", "a—b"), ("a----b", "a—-b"), ("a~b", "a\u{A0}b"), ("``a''", "“a”"),
        ("{Protected} {{Double}}", "Protected Double"), ("  spread \n over\t lines  ", "spread over lines"),
        (#"\emph{Deep} \textbf{{Nets}}"#, "Deep Nets"), (#"\unknown{x}"#, "x"), (#"\url{https://a.org/~x_y}"#, "https://a.org/~x_y"),
        (#"\href{https://a.org}{the site}"#, "the site"), (#"$\ell_2$ loss"#, #"$\ell_2$ loss"#), ("costs $5", "costs $5"),
        (#"Caf\'e"#, "Café"), (#"a\\b"#, "a b"), (#"a\,b"#, "a\u{2009}b"), (#"hy\-phen"#, "hyphen"), ("stray } brace {", "stray brace"),
        (#"\'"#, ""), (#"\"{}"#, ""), ("\\", "\\"), ("déjà vu", "déjà vu"),
    ])
    func latexBecomesUnicode(raw: String, text: String) {
        #expect(LaTeXText.unicode(Array(raw.utf8)) == text)
    }

    @Test(arguments: [
        (#"10.1000/a\_b"#, "10.1000/a_b"), ("{https://x.org/a b\n c}", "https://x.org/abc"), (#"https://x.org/\%7Ea~b"#, "https://x.org/%7Ea~b"),
        (#"a\b"#, #"a\b"#),
    ])
    func urlsAreKeptAsWritten(raw: String, text: String) {
        #expect(LaTeXText.verbatim(Array(raw.utf8)) == text)
    }

    @Test(arguments: [
        ("Glorot, Xavier and Bengio, Yoshua", [PersonName(first: "Xavier", last: "Glorot"), PersonName(first: "Yoshua", last: "Bengio")], false),
        ("Xavier Glorot AND Yoshua Bengio", [PersonName(first: "Xavier", last: "Glorot"), PersonName(first: "Yoshua", last: "Bengio")], false),
        ("Ludwig van Beethoven", [PersonName(first: "Ludwig", von: "van", last: "Beethoven")], false),
        ("van Beethoven, Ludwig", [PersonName(first: "Ludwig", von: "van", last: "Beethoven")], false),
        ("Jean de La Fontaine", [PersonName(first: "Jean", von: "de", last: "La Fontaine")], false),
        ("de la Fontaine, Jean", [PersonName(first: "Jean", von: "de la", last: "Fontaine")], false),
        ("Van Rossum, Guido", [PersonName(first: "Guido", last: "Van Rossum")], false),
        ("King, Jr., Martin Luther", [PersonName(first: "Martin Luther", last: "King", jr: "Jr.")], false),
        ("{Google DeepMind}", [PersonName(last: "Google DeepMind")], false),
        ("{Barnes and Noble} and Smith, J.", [PersonName(last: "Barnes and Noble"), PersonName(first: "J.", last: "Smith")], false),
        ("{van} Gogh, Vincent", [PersonName(first: "Vincent", last: "van Gogh")], false),
        ("{\\'E}mile Zola", [PersonName(first: "Émile", last: "Zola")], false),
        ("Jean~Paul Sartre", [PersonName(first: "Jean Paul", last: "Sartre")], false),
        ("Anderson and others", [PersonName(last: "Anderson")], true),
        ("Plato", [PersonName(last: "Plato")], false),
        ("Alexander Sandhu and Others", [PersonName(first: "Alexander", last: "Sandhu")], true),
        ("Randy and Andrea", [PersonName(last: "Randy"), PersonName(last: "Andrea")], false),
    ])
    func authorNames(raw: String, names: [PersonName], andOthers: Bool) {
        let (list, problems) = NameList.parse(Array(raw.utf8))
        #expect(list == NameList(names, andOthers: andOthers))
        #expect(problems == [])
    }

    @Test func nameProblemsAreWarnings() {
        let (bibliography, diagnostics) = Self.read("@book{k,\n  author = {A and and B, C, D, E},\n}\n")
        #expect(bibliography["k"]?.authors.names == [PersonName(last: "A"), PersonName(first: "D, E", last: "B", jr: "C")])
        #expect(diagnostics == [
            "r.bib:2:3: warning: the name 'D, E B C' has more than two commas (a name is 'von Last, Jr, First') in the 'author' field of 'k'",
            "r.bib:2:3: warning: an empty name (two 'and's in a row, or one at an end) was left out in the 'author' field of 'k'",
        ])
    }

    /// Each broken input is reported at its line:col, and the entry after it is still read.
    @Test(arguments: [
        ("@article glorot,\n  title = {T}}\n",
         ["r.bib:1:10: error: expected '{' or '(' after '@article', found 'g'; an entry is written @article{key, title = {…}}"]),
        ("@article{\n  title = {T}}\n",
         ["r.bib:2:3: error: the entry has no key: 'title' is followed by '='; write the key first, as in @article{glorot2010, title = …}"]),
        ("@article{, title = {T}}\n",
         ["r.bib:1:10: error: expected the entry's key after '{', found ','; write it first, as in @article{glorot2010, title = {…}}"]),
        ("@article{a title = {T}}\n",
         ["r.bib:1:12: error: expected ',' after the key 'a', found 't'; separate the key and the fields with commas"]),
        ("@article{a,\n  title {T}}\n",
         ["r.bib:2:9: error: expected '=' after the field name 'title', found '{'; a field is written title = {…}"]),
        ("@article{a,\n  title = ,\n}\n",
         ["r.bib:2:11: error: expected a value for 'title' after '=' ({text}, \"text\", a number or a @string name), found ','"]),
        ("@article{a,\n  title = {T}\n  year = 2010}\n",
         ["r.bib:3:3: error: expected ',' or '}' after the value of 'title', found 'y'; separate fields with commas"]),
        ("@article{a,\n  title = {Unclosed,\n  year = 2010,\n\n@book{ok, title = {Read}}\n",
         ["r.bib:2:11: error: the '{' that opens the value of 'title' is not closed before the next entry (line 5); add the missing '}'"]),
        ("@article{a,\n  title = \"Unclosed,\n@book{ok, title = {Read}}\n",
         ["r.bib:2:11: error: the quoted value of 'title' is not closed before the next entry (line 3); add the closing '\"'"]),
        ("@article{a,\n  title = \"Unclosed,\n}\n@book{ok, title = {Read}}\n",
         ["r.bib:3:1: error: a '}' in the quoted value of 'title' has no matching '{'; braces inside a value must pair up"]),
        ("@article{a", ["r.bib:1:1: error: the entry 'a' is never closed; add the '}' that ends it"]),
        ("@article{a, title", ["r.bib:1:1: error: the entry 'a' is never closed; add the '}' that ends it"]),
        ("@article{a,\n  title = {T},\n\n@book{ok, title = {Read}}\n",
         ["r.bib:1:1: error: the entry 'a' is not closed before the next entry (line 4); add the '}' that ends it"]),
        ("@book{ok, title = {Read}}\n@article{a,\n  title = {T}",
         ["r.bib:2:1: error: the entry 'a' is never closed; add the '}' that ends it"]),
        ("@book{ok, title = {Read}}\n@article{a,\n  title = {T",
         ["r.bib:3:11: error: the '{' that opens the value of 'title' is never closed; add the missing '}'"]),
        ("@article{a, title = \"x}y\"}\n@book{ok, title = {Read}}\n",
         ["r.bib:1:23: error: a '}' in the quoted value of 'title' has no matching '{'; braces inside a value must pair up"]),
        ("@article(a, title = {T}}\n@book{ok, title = {Read}}\n",
         ["r.bib:1:24: error: expected ',' or ')' after the value of 'title', found '}'; separate fields with commas"]),
        ("@string{x {T}}\n@book{ok, title = {Read}}\n",
         ["r.bib:1:11: error: expected '=' after the @string name 'x', found '{'; a macro is written @string{x = {text}}"]),
        ("@string{x = {T}, y = {U}}\n@book{ok, title = {Read}}\n",
         ["r.bib:1:16: error: expected '}' after the value of @string 'x', found ','; a @string defines one name"]),
        ("@article{a, title = {" + String(repeating: "{", count: 70) + "}}\n@book{ok, title = {Read}}\n",
         ["r.bib:1:85: error: braces nest more than 64 levels deep in the value of 'title'; remove the extra braces"]),
        ("@article{a, 2010 = {T}}\n@book{ok, title = {Read}}\n",
         ["r.bib:1:13: error: expected a field name or '}' in the entry 'a', found '2'"]),
        ("@article{a, title = {T}\n", ["r.bib:1:1: error: the entry 'a' is never closed; add the '}' that ends it"]),
        ("@article{a, title =", ["r.bib:1:20: error: expected a value for 'title', found the end of the file"]),
    ])
    func brokenEntriesAreReportedAndSkipped(input: String, messages: [String]) {
        let (bibliography, diagnostics) = Self.read(input)
        #expect(diagnostics == messages)
        #expect(bibliography["a"] == nil)
        if input.contains("@book{ok") { #expect(bibliography["ok"]?.title == "Read") }
    }

    @Test func repairsAreWarningsAndTheEntryIsRead() {
        let (bibliography, diagnostics) = Self.read("""
            @article{a, title = {First}, journal = jmlr # " 3"}
            @article{b, Title = {T}, TITLE = {U}}
            @article{a, title = {Second}}
            """)
        #expect(diagnostics == [
            "r.bib:1:40: warning: 'jmlr' in the value of 'journal' is not a @string defined above; define it first with @string{jmlr = {…}}, or write the text in braces",
            "r.bib:2:26: warning: the field 'title' is given twice in the entry 'b'; the first value is kept, remove the other",
            "r.bib:3:1: warning: the key 'a' is used again (first at line 1); the first entry is kept, rename or remove this one",
        ])
        #expect(bibliography.entries.map(\.key) == ["a", "b"])
        #expect(bibliography["a"]?.title == "First" && bibliography["a"]?[field: "journal"] == "3")
        #expect(bibliography["b"]?.title == "T")
    }

    @Test func textBetweenEntriesAndCommentsIsIgnored() {
        let (bibliography, diagnostics) = Self.read("""
            Mail me@example.org, or @ me, or @legend on the web.
            @comment{ @article{hidden, title = {No}} }
            @Comment this line is a comment too
            @PREAMBLE("\\def\\x{}")
            @MISC{shown, TITLE = {Yes}, year = "20" # 23, month = DEC}
            """)
        #expect(diagnostics == [])
        #expect(bibliography.entries.map(\.key) == ["shown"])
        #expect(bibliography["shown"]?.fields == ["title": "Yes", "year": "2023", "month": "December"])
        #expect(bibliography["shown"]?.type == "misc")
    }

    @Test func columnsCountCharacters() {
        let (_, diagnostics) = Self.read("@article{é, tïtle = ,}")
        #expect(diagnostics == ["r.bib:1:21: error: expected a value for 'tïtle' after '=' ({text}, \"text\", a number or a @string name), found ','"])
    }

    /// Inputs a file controls: none may crash, recurse without bound or take more than linear time
    /// (a quadratic reading of these would not finish).
    @Test func pathologicalInputs() {
        let deep = "@article{a, title = {" + String(repeating: "{", count: 200_000) + "}\n@book{ok, title = {Read}}\n"
        #expect(Self.read(deep).1 == ["r.bib:1:85: error: braces nest more than 64 levels deep in the value of 'title'; remove the extra braces"])
        #expect(Self.read(deep).0["ok"] != nil)

        #expect(Self.read(String(repeating: "@", count: 1_000_000)).1 == [])
        #expect(Self.read(String(repeating: "@{", count: 300_000)).1 == [])

        let manyBroken = String(repeating: "@a{\n", count: 100_000)
        let (_, diagnostics) = Self.read(manyBroken)
        #expect(diagnostics.count == BibTeXReader.maximumDiagnostics + 1)
        #expect(diagnostics.last == "r.bib: warning: 99900 more problems in this file are not shown; fix the ones above and read it again")

        let oneLine = String(repeating: "@misc{k, title = {T}} ", count: 50_000)
        let (bibliography, duplicates) = Self.read(oneLine)
        #expect(bibliography.entries.count == 1 && duplicates.count == BibTeXReader.maximumDiagnostics + 1)

        let accents = "@misc{k, title = {" + String(repeating: "\\'", count: 200_000) + "e}}"
        #expect(Self.read(accents).0["k"]?.title?.isEmpty == false)
        let nestedAccents = "@misc{k, title = {" + String(repeating: "\\\"{", count: 60) + "o" + String(repeating: "}", count: 60) + "}}"
        #expect(Self.read(nestedAccents).0["k"]?.title?.unicodeScalars.first == "ö")

        // On one line, each value holds the next entry until the braces nest too deep; on lines
        // of their own, each entry is reported and the next one read.
        let unclosed = String(repeating: "@article{a, title = {", count: 50_000)
        #expect(Self.read(unclosed).1 == ["r.bib:1:693: error: braces nest more than 64 levels deep in the value of 'title'; remove the extra braces"])
        #expect(Self.read(unclosed.replacingOccurrences(of: "{@", with: "{\n@")).1.count == BibTeXReader.maximumDiagnostics + 1)
        let quotes = "@misc{k, title = " + String(repeating: "\"", count: 100_001)
        #expect(Self.read(quotes).1.count == 1)
        // Forty doublings: 2^40 bytes, were they expanded.
        let doubling = "@string{m0 = {xxxxxxxx}}\n" + (1...40).map { "@string{m\($0) = m\($0 - 1) # m\($0 - 1)}\n" }.joined()
            + "@misc{bomb, title = m40}\n@misc{ok, title = m3}\n"
        let (bombed, refusals) = Self.read(doubling)
        #expect(refusals == [
            "r.bib:18:15: error: @string macros make the values of this file longer than \(4 * doubling.utf8.count + (1 << 20)) bytes in all; write the text of 'm16' out instead of repeating it",
            "r.bib:42:21: error: the value of 'title' uses the @string 'm40', which was refused at line 18; fix that one first",
        ])
        #expect(bombed["bomb"] == nil && bombed["ok"]?.title == String(repeating: "x", count: 64))
        let concatenation = "@string{s = {x}}@misc{k, title = " + Array(repeating: "s", count: 100_000).joined(separator: "#") + "}"
        #expect(Self.read(concatenation).0["k"]?.title?.count == 100_000)
    }
}
