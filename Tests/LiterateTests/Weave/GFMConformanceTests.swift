import Foundation
import Testing
@testable import Literate

/// Where the GFM extensions' examples live, beside the CommonMark spec's. A clone without
/// them skips the suite, with this reason, rather than failing.
let gfmConformanceData = packageRoot + "/../shared/conformance/gfm-0.29-extensions.json"

/// Every example of GFM 0.29's extensions (the spec's and cmark-gfm's extensions tests),
/// woven as a chapter with no blocks, must give the HTML they expect.
@Suite(.enabled(if: FileManager.default.fileExists(atPath: gfmConformanceData),
                "the GFM conformance data (../shared/conformance beside the checkout) is not here"))
struct GFMConformanceTests {
    struct Example: Decodable, CustomTestStringConvertible, Sendable {
        let markdown: String
        let html: String
        let example: Int
        let section: String
        let source: String
        var testDescription: String { "\(source) example \(example) (\(section))" }
        /// Examples are numbered per source.
        var key: String { "\(source):\(example)" }
    }

    struct Examples: Decodable {
        let examples: [Example]
    }

    /// Examples whose chapter differs from GitHub's rendering, and why.
    static let exceptions: [String: String] = [
        "spec.txt:653": "raw HTML is written as is (chapters are trusted: their blocks run code), so GFM's tag filter, which GitHub applies to untrusted comments, is not applied",
        "extensions.txt:22": "raw HTML is written as is (chapters are trusted: their blocks run code), so GFM's tag filter, which GitHub applies to untrusted comments, is not applied",
    ]

    static let examples: [Example] = {
        guard let data = FileManager.default.contents(atPath: gfmConformanceData) else { return [] }
        return (try? JSONDecoder().decode(Examples.self, from: data))?.examples ?? []
    }()

    @Test func theExamplesAreThere() {
        #expect(Self.examples.count == 52, "the conformance data lives in ../shared/conformance beside the checkout")
    }

    @Test(arguments: examples.filter { exceptions[$0.key] == nil })
    func example(_ example: Example) throws {
        let woven = try CommonMarkConformanceTests.woven(markdown: example.markdown)
        // cmark-gfm's test only checks that this one does not crash.
        guard example.html != "<IGNORE>\n" else { return }
        #expect(Self.normalize(woven) == Self.normalize(example.html))
    }

    @Test(arguments: exceptions.keys.sorted())
    func exceptionsStillDiffer(_ key: String) throws {
        // An exception that starts to pass should leave the list.
        let example = try #require(Self.examples.first { $0.key == key })
        let woven = try CommonMarkConformanceTests.woven(markdown: example.markdown)
        #expect(Self.normalize(woven) != Self.normalize(example.html))
    }

    /// CommonMark's normalisation, and the spec runner's for tags: attributes sorted, a
    /// self-closing tag's `/` dropped (the spec writes `<input disabled="" type="checkbox">`).
    static func normalize(_ html: String) -> String {
        var result = ""
        var rest = Substring(CommonMarkConformanceTests.normalize(html))
        while let open = rest.firstIndex(of: "<") {
            result += rest[..<open]
            rest = rest[open...]
            guard let close = rest.firstIndex(of: ">"), let second = rest.dropFirst().first, second.isLetter else {
                result += "<"
                rest = rest.dropFirst()
                continue
            }
            var inside = rest[rest.index(after: rest.startIndex)..<close]
            if inside.hasSuffix("/") { inside = inside.dropLast() }
            var parts = attributes(inside)
            let name = parts.removeFirst()
            result += "<" + ([name] + parts.sorted()).joined(separator: " ") + ">"
            rest = rest[rest.index(after: close)...]
        }
        return result + rest
    }

    /// A tag's name and attributes, split at spaces outside quotes.
    private static func attributes(_ tag: Substring) -> [String] {
        var parts: [String] = [], current = "", quote: Character?
        for character in tag {
            if let open = quote {
                current.append(character)
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
                current.append(character)
            } else if character == " " || character == "\n" {
                if !current.isEmpty { parts.append(current) }
                current = ""
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { parts.append(current) }
        return parts.isEmpty ? [""] : parts
    }
}
