import Foundation
import Testing
@testable import Literate

/// Where the conformance data lives: `shared/conformance` beside the checkout (as in CI). A
/// clone without it skips the suite, with this reason, rather than failing.
let conformanceData = packageRoot + "/../shared/conformance/commonmark-0.30-spec.json"

/// Every example of the CommonMark 0.30 spec, woven as a chapter with no blocks, must give the
/// HTML the spec expects.
@Suite(.enabled(if: FileManager.default.fileExists(atPath: conformanceData),
                "the CommonMark conformance data (../shared/conformance beside the checkout) is not here"))
struct CommonMarkConformanceTests {
    struct Example: Decodable, CustomTestStringConvertible {
        let markdown: String
        let html: String
        let example: Int
        let section: String
        var testDescription: String { "example \(example) (\(section))" }
    }

    /// Examples whose chapter differs from a plain CommonMark document, and why.
    static let exceptions: [Int: String] = [
        // Math: `$` pairs are TeX (Pandoc's rules), not text.
        // (None of the 652 examples has a `$…$` pair that Pandoc's rules take as math.)
        547: "'[[foo]]' is a wiki link, not a link reference",
        558: "'[[*foo* bar]]' is a wiki link, not a link reference",
        589: "'[[foo]]' is a wiki link, not an image's link reference",
        96: "a chapter that opens with a '---' line opens with YAML front matter",
        98: "a chapter that opens with a '---' line opens with YAML front matter",
        // GFM's extended autolinks (GFMConformanceTests): a URL or an e-mail address in text is a link.
        601: "'http://foo.bar/baz' in text is a GFM extended autolink",
        605: "'foo+@bar.example.com' in text is a GFM extended autolink (an e-mail address)",
        607: "'http://foo.bar' in text is a GFM extended autolink",
        610: "'http://example.com' in text is a GFM extended autolink",
        611: "'foo@bar.example.com' in text is a GFM extended autolink (an e-mail address)",
    ]

    static let examples: [Example] = {
        guard let data = FileManager.default.contents(atPath: conformanceData) else { return [] }
        return (try? JSONDecoder().decode([Example].self, from: data)) ?? []
    }()

    @Test func theSpecIsThere() {
        #expect(Self.examples.count == 652, "the conformance data lives in ../shared/conformance beside the checkout")
    }

    @Test(arguments: examples.filter { exceptions[$0.example] == nil })
    func example(_ example: Example) throws {
        #expect(try Self.normalize(Self.woven(example)) == Self.normalize(example.html))
    }

    @Test(arguments: exceptions.keys.sorted())
    func exceptionsStillDiffer(_ number: Int) throws {
        // An exception that starts to pass should leave the list.
        let example = try #require(Self.examples.first { $0.example == number })
        #expect((try? Self.woven(example)).map(Self.normalize) != Self.normalize(example.html))
    }

    /// The example's Markdown as the body of a chapter with no blocks.
    static func woven(_ example: Example) throws -> String {
        try woven(markdown: example.markdown)
    }

    /// `markdown` as the body of a chapter with no blocks, woven as HTML.
    static func woven(markdown: String) throws -> String {
        let chapter = ParsedChapter(try Chapter(source: SourceText(path: "spec.md", text: markdown), slug: "spec"))
        let site = SiteWeaver(book: Book(path: "b", title: "b", plot: .braille, chapters: [], warnings: []),
                              chapters: [chapter], theme: try Theme.load(from: [packageRoot + "/templates"]))
        var problems: [Diagnostic] = []
        return site.chapterContent(chapter, result: nil, diagnostics: &problems)
    }

    /// The spec runner's normalisation, reduced to what differs between renderers: whitespace
    /// between tags and at line ends.
    static func normalize(_ html: String) -> String {
        html.replacingOccurrences(of: ">\n<", with: "><")
            .split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.trimmingSpaces }
            .joined(separator: "\n")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
