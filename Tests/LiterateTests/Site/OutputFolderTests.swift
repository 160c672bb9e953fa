import Foundation
import Testing
@testable import Literate

/// Which folders a site may be written into (README, "Safety").
@Suite struct OutputFolderTests {
    func surroundings(_ book: TemporaryBook) -> OutputFolder.Surroundings {
        .init(book: book.book, cache: book.folder + "/cache", themeFolders: [packageRoot + "/templates"], bookOutput: nil)
    }

    func reason(_ path: String, _ book: TemporaryBook, bookOutput: String? = nil) -> String? {
        var around = surroundings(book)
        around.bookOutput = bookOutput
        do {
            _ = try OutputFolder.claim(path, surroundings: around)
            return nil
        } catch {
            return error.message
        }
    }

    @Test func foldersThatAreOrHoldWhatMattersAreRefused() throws {
        let book = try TemporaryBook(["01-a.md": "# A\n"])
        defer { book.remove() }
        try FileManager.default.createDirectory(atPath: book.folder + "/cache", withIntermediateDirectories: true)
        #expect(reason(book.folder, book)?.contains("it contains the book") == true)
        #expect(reason(book.folder + "/cache", book)?.contains("it contains the cache") == true)
        #expect(reason(packageRoot + "/templates", book)?.contains("it contains the theme") == true)
        #expect(reason(packageRoot + "/templates/../templates", book)?.contains("it contains the theme") == true)
        #expect(reason(book.book + "/../book/", book)?.contains("it is the book folder") == true)
        #expect(reason(book.folder + "/missing/site", book) == nil, "a folder that does not exist yet is fine")
    }

    @Test func aLinkIsJudgedByWhereItLeads() throws {
        let book = try TemporaryBook(["01-a.md": "# A\n"])
        defer { book.remove() }
        try FileManager.default.createSymbolicLink(atPath: book.folder + "/alias", withDestinationPath: book.book)
        #expect(reason(book.folder + "/alias", book)?.contains("it is the book folder") == true)
        #expect(reason(book.folder + "/alias/site", book)?.contains("it is inside the book") == true)
        #expect(reason(book.folder + "/alias/site", book, bookOutput: book.book + "/site") == nil)
    }

    @Test func onlyAnEmptyOrMarkedFolderIsReplaced() throws {
        let book = try TemporaryBook(["01-a.md": "# A\n"])
        defer { book.remove() }
        let site = book.folder + "/site"
        try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: true)
        #expect(reason(site, book) == nil)
        try "mine".write(toFile: site + "/notes.txt", atomically: true, encoding: .utf8)
        #expect(reason(site, book)?.contains("it holds files that Legend did not write ('notes.txt')") == true)
        // A marker must be a file: a folder of that name is no marker.
        try FileManager.default.createDirectory(atPath: site + "/" + OutputFolder.marker, withIntermediateDirectories: true)
        #expect(reason(site, book) != nil)
        try FileManager.default.removeItem(atPath: site + "/" + OutputFolder.marker)
        try "".write(toFile: site + "/" + OutputFolder.marker, atomically: true, encoding: .utf8)
        #expect(reason(site, book) == nil)
    }

    @Test func theMarkerIsWrittenAndAMarkedSiteInsideTheBookIsNotContent() throws {
        let book = try TemporaryBook(["book.yml": "output: site\n", "01-a.md": "# A\n"])
        defer { book.remove() }
        _ = try book.build { $0.outputPath = book.book + "/site" }
        #expect(FileManager.default.fileExists(atPath: book.book + "/site/" + OutputFolder.marker))
        // An old copy of the site, elsewhere in the book, is not read as content either.
        try FileManager.default.copyItem(atPath: book.book + "/site", toPath: book.book + "/old-site")
        let (_, _) = try book.build { $0.outputPath = book.book + "/site" }
        #expect(!FileManager.default.fileExists(atPath: book.book + "/site/old-site"))
    }
}
