import Foundation
import Testing
@testable import Literate

/// Highlighting from swift-syntax's classification: the snippets the hand-written lexer got
/// wrong, and the text kept whole.
@Suite struct SwiftHighlighterTests {
    @Test func anInterpolationInsideAStringIsCodeAndItsStringsAreStrings() {
        let html = SwiftHighlighter.html(#"print("loss \(String(format: "%.3f", loss)) after")"#)
        #expect(html == #"print(<span class="tok-string">&quot;loss </span>\(<span class="tok-type">String</span>(format: <span class="tok-string">&quot;%.3f&quot;</span>, loss))<span class="tok-string"> after&quot;</span>)"#)
    }

    @Test func dollarNamesAreOneNameAndNotNumbers() {
        let html = SwiftHighlighter.html("xs.map { $0 * 2 }")
        #expect(html == #"xs.map { $0 * <span class="tok-number">2</span> }"#)
    }

    @Test func rawStringsRegexLiteralsMacrosAndAttributesAreWhole() {
        let html = SwiftHighlighter.html(##"let s = #"no \(interpolation)"#; let r = /a+b/; #expect(true); @MainActor func f() {}"##)
        #expect(html.contains(#"<span class="tok-string">&quot;no \(interpolation)&quot;</span>"#))
        #expect(html.contains(#"<span class="tok-string">/a+b/</span>"#))
        #expect(html.contains(#"<span class="tok-attribute">@MainActor</span>"#))
        #expect(html.contains(#"<span class="tok-keyword">true</span>"#))
    }

    @Test func commentsNumbersAndKeywords() {
        let html = SwiftHighlighter.html("let x = 1.5e-3 // small\n/* block */ var y = 0x1F")
        #expect(html == #"<span class="tok-keyword">let</span> x = <span class="tok-number">1.5e-3</span> <span class="tok-comment">// small</span>"#
            + "\n" + #"<span class="tok-comment">/* block */</span> <span class="tok-keyword">var</span> y = <span class="tok-number">0x1F</span>"#)
    }

    /// Every block of the legend, and broken code, comes back as its own text once the tags are
    /// taken off: highlighting never drops, doubles or reorders a byte.
    @Test func theTextIsKeptWhole() throws {
        var samples = ["let x = \"unterminated", "func f( {", "}}}", "#if os(Linux)\nlet a = 1\n#endif", "let 😀 = \"é\"", ""]
        for name in try FileManager.default.contentsOfDirectory(atPath: packageRoot + "/legend") where name.hasSuffix(".md") {
            let text = try String(contentsOfFile: packageRoot + "/legend/" + name, encoding: .utf8)
            samples += text.components(separatedBy: "```swift-run\n").dropFirst().map { $0.components(separatedBy: "\n```")[0] }
        }
        for code in samples {
            let html = SwiftHighlighter.html(code)
            let text = html.replacingOccurrences(of: #"<span class="tok-[a-z]+">"#, with: "", options: .regularExpression)
                .replacingOccurrences(of: "</span>", with: "")
                .replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
                .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
                .replacingOccurrences(of: "&amp;", with: "&")
            #expect(text == code)
        }
    }
}
