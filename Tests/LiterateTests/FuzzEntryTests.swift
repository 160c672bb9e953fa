import Foundation
import Testing
@testable import Literate

/// Inputs the fuzzers found (see TESTING.md), each of which once crashed the pipeline: each must
/// now weave. A new finding is added here, minimised, with the commit that fixed it.
@Suite struct FuzzEntryTests {
    /// A finding: its input, and what weaving it must give.
    struct Finding: Sendable, CustomTestStringConvertible {
        let name: String
        let bytes: [UInt8]
        let expect: @Sendable (FuzzEntry.Woven) -> Bool
        var testDescription: String { name }
    }

    static let keyRefusal = "front matter keys must be names, such as 'title:'; a list or mapping cannot be a key"

    static let findings: [Finding] = [
        // SearchIndex read an author's raw `<h2 id="` as a heading Legend had anchored and
        // sliced past its end: the raw HTML is passed through, as CommonMark says.
        Finding(name: "raw heading without a closing quote", bytes: Array("<h2 id=\"</h2>\n".utf8)) { woven in
            woven.refusal == nil && woven.articles.count == 2 && woven.articles.allSatisfy { $0.contains("<h2 id=\"</h2>") }
        },
        Finding(name: "raw heading with the quote last", bytes: Array("<h2 id=\"x\"</h2>\n".utf8)) { woven in
            woven.refusal == nil && woven.articles.count == 2 && woven.articles.allSatisfy { $0.contains("<h2 id=\"x\"</h2>") }
        },
        // Display math over two lines, the first ending in a carriage return before its CRLF:
        // the TeX held "\r\n", one Character, so splitting it at "\n" counted no line break.
        Finding(name: "display math across a CR CR LF", bytes: Array("$$a\r\r\nb$$\n".utf8)) { woven in
            woven.refusal == nil && woven.articles.count == 2 && woven.articles.allSatisfy { $0.contains("<math") }
                && woven.markdown.allSatisfy { $0.hasPrefix("$$a\r\r\nb$$") }
        },
        // Yams traps making a dictionary whose key is a list or a mapping: refused instead.
        Finding(name: "front matter with a list as a key", bytes: Array("---\n[input]: data.csv\n---\n".utf8)) { woven in
            woven.refusal?.message == keyRefusal && woven.articles.isEmpty
        },
        Finding(name: "front matter with a mapping as a key, nested", bytes: Array("---\ntitle: {{a: 1}: b}\n---\n".utf8)) { woven in
            woven.refusal?.message == keyRefusal && woven.articles.isEmpty
        },
        // Yams overflows `Int`, and traps, making a YAML 1.1 base-60 integer (`1:30` is 90): refused.
        Finding(name: "front matter that is a base-60 number too large", bytes: Array("---\n+222222222222222222:1\n---\n".utf8)) { woven in
            woven.refusal?.message.contains("base-60 number") == true
        },
        Finding(name: "front matter with a base-60 number of eleven places", bytes: Array("---\nseed: 1:1:1:1:1:1:1:1:1:1:1\n---\n".utf8)) { woven in
            woven.refusal?.message.contains("base-60 number") == true
        },
    ]

    static let theme = Result { () throws(Diagnostic) in try Theme.load(from: [packageRoot + "/templates"]) }

    @Test(arguments: findings)
    func findingWeaves(_ finding: Finding) throws {
        let woven = FuzzEntry.weave(bytes: finding.bytes, theme: try Self.theme.get())
        #expect(finding.expect(woven), "\(woven.refusal?.description ?? "woven: \(woven.articles.map { $0.prefix(200) })")")
    }

    /// The yaml target's seeds, the alias bomb among them, each read as front matter and as a
    /// book.yml: none may trap or expand an alias (the bomb would never finish).
    @Test func yamlSeedsAreRead() throws {
        let folder = packageRoot + "/Fuzz/corpus/yaml"
        let seeds = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(seeds.contains("hand-alias-bomb.yml"))
        for seed in seeds {
            FuzzEntry.yaml(bytes: Array(try #require(FileManager.default.contents(atPath: folder + "/" + seed))))
        }
    }

    /// The bibtex target's seeds, the broken and deeply nested among them: none may trap, and
    /// every citation the scanner finds reads the same alone.
    @Test func bibtexSeedsAreRead() throws {
        let folder = packageRoot + "/Fuzz/corpus/bibtex"
        let seeds = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(seeds.contains("hand-broken.bib") && seeds.contains("references.bib"))
        for seed in seeds {
            FuzzEntry.bibtex(bytes: Array(try #require(FileManager.default.contents(atPath: folder + "/" + seed))))
        }
    }

    @Test func frontMatterKeyThatIsAListIsAnError() {
        #expect(throws: Diagnostic.error("front matter keys must be names, such as 'title:'; a list or mapping cannot be a key",
                                         file: "b/01.md", line: 3)) {
            try Chapter(source: SourceText(path: "b/01.md", text: "---\ntitle: T\n[input]: data.csv\n---\n"), slug: "01")
        }
    }

    @Test func rawHeadingsThatOnlyLookAnchoredAreNotSections() {
        var index = SearchIndex()
        index.add(chapterTitle: "T", page: "t.html", article: "<p>a</p><h2 id=\"</h2><p>b</p><h2 id=\"x\"</h2>")
        #expect(index.entries.map(\.section) == ["T"])
    }
}
