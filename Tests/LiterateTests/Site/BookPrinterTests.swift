import Foundation
import Testing
@testable import Literate

/// `legend build --pdf`: the print page printed by headless Chromium.
@Suite struct BookPrinterTests {
    @Test func withoutChromiumItSaysWhatToInstall() throws {
        #expect(throws: Diagnostic.error(BookPrinter.missingBrowser)) { try BookPrinter.find(environment: ["PATH": ""]) }
        #expect(throws: Diagnostic.error(BookPrinter.missingBrowser)) { try BookPrinter.find(environment: [:]) }
        #expect(BookPrinter.missingBrowser.contains("apt-get install chromium"))
    }

    @Test func withoutChromiumTheBuildFailsBeforeAnyWork() throws {
        let book = try TemporaryBook(["01-a.md": "# A\n"])
        defer { book.remove() }
        #expect(throws: Diagnostic.error(BookPrinter.missingBrowser)) {
            try book.build { $0.pdf = true; $0.environment = ["PATH": ""] }
        }
        #expect(!FileManager.default.fileExists(atPath: book.output), "no site written")
    }

    @Test(.enabled(if: (try? BookPrinter.find(environment: ProcessInfo.processInfo.environment)) != nil,
                   "Chromium (chromium, chromium-browser or google-chrome) is not on PATH; apt-get install chromium to run it"))
    func printsTheWholeBookIntoTheSite() throws {
        let book = try TemporaryBook(["01-a.md": "# A\n\nSee [B](02-b.md#two).\n", "02-b.md": "# B\n\n## Two\n\nText.\n"])
        defer { book.remove() }
        _ = try book.build { $0.pdf = true; $0.execution = .draft }
        let pdf = try Data(contentsOf: URL(fileURLWithPath: book.output + "/" + BookPrinter.pdfName))
        #expect(pdf.prefix(4) == Data("%PDF".utf8))
        #expect(try Checker(options: book.options.with { $0.execution = .draft }, log: { _ in }).check() == [],
                "check leaves the PDF out of the site it compares")
    }
}
