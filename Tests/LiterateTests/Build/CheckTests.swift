import Foundation
import Testing
@testable import Literate

/// `legend check`: one book per kind of problem.
@Suite struct CheckTests {
    func problems(_ files: [String: String], buildFirst: Bool = true, edit: ((TemporaryBook) throws -> Void)? = nil) throws -> (TemporaryBook, [String]) {
        let book = try TemporaryBook(files)
        if buildFirst { _ = try book.build() }
        try edit?(book)
        let found = try Checker(options: book.options, log: { _ in }).check()
        return (book, found.map(\.description))
    }

    @Test func aCurrentBookPasses() throws {
        let (book, found) = try problems(["01-a.md": "# A\n\nSee [[B]] and [the page](02-b.md#b) and $x^2$.\n\n```swift-run\nprint(1)\n```\n",
                                          "02-b.md": "# B\n\n![figure](images/f.svg)\n", "images/f.svg": "<svg xmlns=\"http://www.w3.org/2000/svg\"/>"])
        defer { book.remove() }
        #expect(found == [])
        #expect(FileManager.default.fileExists(atPath: book.output + "/images/f.svg"))
    }

    @Test func attributeValuesAreFoundAsBytes() {
        let html = "<a href=\"a.html?x=1&amp;y=2\">é</a><img src='i.png' href=x> <p title=\" href=\\\"no\\\"\"> <a href=\"📜.html\"> <a href=\"open"
        #expect(Checker.attributeValues("href", in: html) == ["a.html?x=1&y=2", "📜.html"])
        #expect(Checker.attributeValues("src", in: html) == ["i.png"])
        #expect(Checker.attributeValues("id", in: html) == [])
    }

    @Test func failedBlock() throws {
        let (book, found) = try problems(["01-a.md": "```swift-run\nprint(nope)\n```\n"])
        defer { book.remove() }
        #expect(found.contains("\(book.book)/01-a.md:2:7: error: cannot find 'nope' in scope"))
    }

    @Test func unresolvedWikiLinkAndBadMath() throws {
        let (book, found) = try problems(["01-a.md": "# A\n\n[[Nowhere]] and $\\oops$\n"])
        defer { book.remove() }
        #expect(found == [
            "\(book.book)/01-a.md:3: error: the wiki link '[[Nowhere]]' names no chapter (by title, file name or alias); fix the name or add 'aliases: [Nowhere]' to the chapter it means",
            "\(book.book)/01-a.md:3: error: unsupported TeX command '\\oops' in math '$\\oops$'; it is shown as code",
        ])
    }

    @Test func brokenLinksImagesAndAnchors() throws {
        let (book, found) = try problems(["01-a.md": "# A\n\n[gone](missing.html)\n\n![lost](images/none.png)\n\n[anchor](#nowhere)\n\n[web](https://example.org/x)\n"])
        defer { book.remove() }
        #expect(found == [
            "\(book.book)/01-a.md:3: error: the link 'missing.html' points to nothing the site has; fix the path, or add the file to the book folder",
            "\(book.book)/01-a.md:7: error: the link '#nowhere' names an anchor that 01-a.html does not have",
            "\(book.book)/01-a.md:5: error: the link 'images/none.png' points to nothing the site has; fix the path, or add the file to the book folder",
        ])
    }

    @Test func misEncodedText() throws {
        let (book, found) = try problems(["01-a.md": "# ğŸ“œ The Legend\n\nIt didnâ€™t vanish. CafÃ© is fine as café.\n"])
        defer { book.remove() }
        #expect(found == [
            "\(book.book)/01-a.md:1:3: error: mis-encoded text 'ğŸ“œ' (UTF-8 read as Windows-1252/1254); it was probably '📜' — re-decode the file or retype it",
            "\(book.book)/01-a.md:3:8: error: mis-encoded text 'â€™' (UTF-8 read as Windows-1252/1254); it was probably '’' — re-decode the file or retype it",
            "\(book.book)/01-a.md:3:29: error: mis-encoded text 'Ã©' (UTF-8 read as Windows-1252/1254); it was probably 'é' — re-decode the file or retype it",
        ])
    }

    @Test func invalidUTF8() throws {
        let book = try TemporaryBook(["01-a.md": "# A\n"])
        defer { book.remove() }
        try book.writeBytes("02-b.md", Array("# B\n".utf8) + [0xFE])
        let found = try Checker(options: book.options, log: { _ in }).check().map(\.description)
        #expect(found.contains("\(book.book)/02-b.md:2: error: not valid UTF-8 at byte offset 4; save the file as UTF-8"))
    }

    @Test func staleOutput() throws {
        let (book, found) = try problems(["01-a.md": "# A\n"]) { book in
            try book.write("01-a.md", "# A, edited\n")
        }
        defer { book.remove() }
        #expect(found == ["\(book.output): error: 6 files differ from a fresh build (01-a.html, 01-a.md, index.html, print.html, search-index.js, search.html); run `legend build` to bring it up to date"])
        // …and check leaves the output as it was.
        #expect(try book.read("01-a.md") == "# A\n")
    }

    @Test func neverBuilt() throws {
        let (book, found) = try problems(["01-a.md": "# A\n"], buildFirst: false)
        defer { book.remove() }
        #expect(found == ["\(book.output): error: 8 files differ from a fresh build (01-a.html, 01-a.md, index.html, print.html, search-index.js, search.html, search.js, style.css); run `legend build` to bring it up to date"])
    }
}

@Suite struct MisEncodingTests {
    @Test(arguments: [
        ("ğŸ“œ scroll", "📜"), ("ðŸ”® orb", "🔮"), ("donâ€™t", "’"), ("naÃ¯ve", "ï"), ("âš–", "⚖"), ("ÄŸ", "ğ"),
    ])
    func recognisesAndRecovers(text: String, intended: String) {
        #expect(MisEncoding.scan([Substring(text)]).map(\.intended) == [intended])
    }

    @Test(arguments: ["café", "naïve", "Ça va", "«été»", "Straße", "📜 ⚖️ 🛡️", "σ′(x) ≤ 0.25", "İstanbul ğ"])
    func leavesGoodTextAlone(text: String) {
        #expect(MisEncoding.scan([Substring(text)]).isEmpty)
    }
}
