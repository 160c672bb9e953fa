#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import Literate
import NotebookCore

/// Files that must stay inside the book, and chapter programs that must stay inside their limits
/// (README, "Safety").
@Suite struct ContainmentTests {
    /// A secret outside the book, in the test's folder.
    func secret(in book: TemporaryBook) throws -> String {
        let path = book.folder + "/secret.txt"
        try "TOP-SECRET-\(UUID().uuidString)".write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Every byte of the built site, for "the secret is nowhere in it".
    func siteBytes(_ book: TemporaryBook) -> String {
        var all = ""
        let enumerator = FileManager.default.enumerator(atPath: book.output)
        while let relative = enumerator?.nextObject() as? String {
            if let data = FileManager.default.contents(atPath: book.output + "/" + relative) { all += String(decoding: data, as: UTF8.self) }
        }
        return all
    }

    @Test func aLinkOutOfTheBookIsAnErrorAndIsNeverPublished() throws {
        let book = try TemporaryBook(["01-one.md": "# One\n\n![x](img/x.png)\n", "img/inside.txt": "inside\n"])
        defer { book.remove() }
        let secret = try secret(in: book)
        try FileManager.default.createSymbolicLink(atPath: book.book + "/img/x.png", withDestinationPath: secret)
        try FileManager.default.createSymbolicLink(atPath: book.book + "/img/alias.txt", withDestinationPath: book.book + "/img/inside.txt")
        try FileManager.default.createSymbolicLink(atPath: book.book + "/outside", withDestinationPath: book.folder)
        let (report, lines) = try book.build()
        #expect(report.failed)
        #expect(lines.contains("\(book.book)/img/x.png: error: '\(book.book)/img/x.png' is a symbolic link to '\(RealPath.of(secret))', outside the book; Legend never follows a link out of the book — copy the file in instead"), "\(lines)")
        #expect(!FileManager.default.fileExists(atPath: book.output + "/img/x.png"))
        #expect(!siteBytes(book).contains("TOP-SECRET"))
        // A link that stays inside the book is published; a link to a folder is not followed.
        #expect(try book.read("img/alias.txt") == "inside\n")
        #expect(!FileManager.default.fileExists(atPath: book.output + "/outside"))
    }

    @Test func aLinkThatLoopsIsAnErrorAndOneThatLeadsNowhereIsSkipped() throws {
        let book = try TemporaryBook(["01-one.md": "# One\n"])
        defer { book.remove() }
        try FileManager.default.createDirectory(atPath: book.book + "/img", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: book.book + "/img/a", withDestinationPath: "b")
        try FileManager.default.createSymbolicLink(atPath: book.book + "/img/b", withDestinationPath: "a")
        try FileManager.default.createSymbolicLink(atPath: book.book + "/img/gone.png", withDestinationPath: "/nonexistent/x.png")
        let (report, lines) = try book.build()
        #expect(report.failed && report.fileProblems.count == 2)
        #expect(lines.contains("\(book.book)/img/a: error: '\(book.book)/img/a' is a symbolic link that leads round in a loop, not a regular file; only regular files can be read from a book"), "\(lines)")
        #expect(!lines.contains { $0.contains("gone.png") })
        #expect(lines.last?.hasSuffix("; 2 files could not be published.") == true, "\(lines)")
    }

    @Test func aThemeOverrideThatLinksOutIsRefused() throws {
        let book = try TemporaryBook(["01-one.md": "# One\n"])
        defer { book.remove() }
        let secret = try secret(in: book)
        try FileManager.default.createDirectory(atPath: book.book + "/templates", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: book.book + "/templates/style.css", withDestinationPath: secret)
        #expect {
            try book.build()
        } throws: { error in
            "\(error)".contains("templates/style.css' is a symbolic link to '\(RealPath.of(secret))', outside the book")
        }
        #expect(!FileManager.default.fileExists(atPath: book.output))
    }

    @Test func aFIFOInTheBookIsAnErrorNotAHang() throws {
        let book = try TemporaryBook(["01-one.md": "# One\n"])
        defer { book.remove() }
        #expect(mkfifo(book.book + "/data.bin", 0o644) == 0)
        #expect(mkfifo(book.book + "/02-pipe.md", 0o644) == 0)
        let (report, lines) = try book.build()
        #expect(report.failed)
        #expect(lines.contains { $0.hasPrefix("\(book.book)/data.bin: error:") && $0.contains("is a FIFO (named pipe), not a regular file") }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("\(book.book)/02-pipe.md: error:") && $0.contains("is a FIFO (named pipe)") }, "\(lines)")
        #expect(try book.read("01-one.html").contains("One"))
    }

    @Test(arguments: [
        ("data", "is a folder, not a regular file"),
        ("leak.txt", "is a symbolic link to"),
        ("missing.csv", "does not exist"),
    ])
    func anInputMustBeARegularFileInsideTheBook(input: String, reason: String) throws {
        let book = try TemporaryBook([
            "01-one.md": "---\ninputs: [\(input)]\n---\n# One\n\n```swift-run\nprint(1)\n```\n",
            "data/points.csv": "1,2\n",
        ])
        defer { book.remove() }
        try FileManager.default.createSymbolicLink(atPath: book.book + "/leak.txt", withDestinationPath: try secret(in: book))
        let (report, lines) = try book.build()
        #expect(report.failed)
        #expect(lines.contains { $0.hasPrefix("\(book.book)/01-one.md:2: error: declared input '\(input)' \(reason)") }, "\(lines)")
    }

    // MARK: Contained chapters

    @Test func aChapterThatAllocatesWithoutBoundIsStoppedAtItsMemoryLimit() throws {
        let book = try TemporaryBook([
            "01-one.md": "---\nmemory: 300 MB\n---\n# One\n\n```swift-run\nvar kept: [[Double]] = []\nwhile true { kept.append([Double](repeating: 1, count: 1 << 20)) }\n```\n",
        ])
        defer { book.remove() }
        let (report, lines) = try book.build()
        #expect(report.failed)
        #expect(lines.contains { $0.hasPrefix("\(book.book)/01-one.md:") && $0.contains("error: block 1 ran out of memory: the chapter's program may use at most 300 MB; if it needs more, raise 'memory:' in the chapter's front matter") }, "\(lines)")
    }

    @Test func aChapterThatPrintsWithoutBoundIsStopped() throws {
        let book = try TemporaryBook([
            "01-one.md": "# One\n\n```swift-run\nlet line = String(repeating: \"x\", count: 99)\nwhile true { print(line) }\n```\n",
        ])
        defer { book.remove() }
        let (report, lines) = try book.build()
        #expect(report.failed)
        #expect(lines.contains("\(book.book)/01-one.md:3: error: block 1 printed more than 64 MB, the most a chapter may print, and was stopped; print a summary instead, or write large data to a file"), "\(lines)")
        #expect(try book.read("01-one.md").utf8.count < 2_000_000, "the page keeps at most the block's share")
        let work = (try? FileManager.default.contentsOfDirectory(atPath: book.folder + "/cache/work")) ?? []
        #expect(work.isEmpty, "its work files are deleted: \(work)")
    }

    @Test func aForgedSideChannelRecordFailsItsBlockNotLegend() throws {
        let book = try TemporaryBook(["01-one.md": """
            # One

            ```swift-run
            print("hello")
            let channel = FileHandle(forWritingAtPath: ProcessInfo.processInfo.environment["LEGEND_CHANNEL"]!)!
            channel.seekToEndOfFile()
            channel.write(Data("{\\"event\\":\\"end\\",\\"block\\":1,\\"stdoutOffset\\":-5}\\n".utf8))
            ```

            ```swift-run
            print("after")
            ```

            """])
        defer { book.remove() }
        let (report, lines) = try book.build()
        #expect(report.failed)
        #expect(lines.contains("\(book.book)/01-one.md:3: error: block 1's outputs cannot be trusted: Legend's side channel holds a record with stdout offset -5, outside the 12 bytes printed; a block must not write to the file named by LEGEND_CHANNEL"), "\(lines)")
    }

    // MARK: The environment

    @Test func aChapterSeesAFixedEnvironmentPlusWhatItNames() throws {
        let book = try TemporaryBook(["01-one.md": """
            ---
            env: [DATA_DIR]
            ---
            # One

            ```swift-run
            for (name, value) in ProcessInfo.processInfo.environment.sorted(by: { $0.key < $1.key }) {
                print(name, ["PATH", "LANG", "TZ", "DATA_DIR", "OPENBLAS_CORETYPE"].contains(name) ? value : "set")
            }
            print("temporary folder is the run's own:", NSTemporaryDirectory().contains("/work/"))
            ```

            """])
        defer { book.remove() }
        var host = ProcessInfo.processInfo.environment
        host["CI_TOKEN"] = "do-not-leak"
        host["DATA_DIR"] = "/data/v1"
        let (first, _) = try book.build { $0.environment = host }
        #expect(!first.failed)
        let page = try book.read("01-one.md")
        // The OpenBLAS kernel is pinned where the processor allows (or as the user set it).
        let kernel = ChapterEnvironment.machineValues(host: host)["OPENBLAS_CORETYPE"].map { "OPENBLAS_CORETYPE \($0)\n" } ?? ""
        let l2 = host["OPENBLAS_L2_SIZE"] == nil ? "" : "OPENBLAS_L2_SIZE set\n"
        #expect(page.contains("""
            DATA_DIR /data/v1
            HOME set
            LANG C.UTF-8
            LEGEND_BOOK_DIRECTORY set
            LEGEND_CHANNEL set
            LEGEND_RUN set
            \(kernel)\(l2)PATH /usr/local/bin:/usr/bin:/bin
            SWIFT_BACKTRACE set
            TMPDIR set
            TZ UTC
            temporary folder is the run's own: true
            """), "\(page)")
        #expect(!page.contains("CI_TOKEN") && !page.contains("do-not-leak"))

        // A named variable is part of the key: a new value runs the chapter again…
        host["DATA_DIR"] = "/data/v2"
        let (second, _) = try book.build { $0.environment = host }
        #expect(second.chapters[0].run?.fromCache == false)
        #expect(try book.read("01-one.md").contains("DATA_DIR /data/v2"))
        // …and one it does not name is not.
        host["CI_TOKEN"] = "rotated"
        let (third, _) = try book.build { $0.environment = host }
        #expect(third.chapters[0].run?.fromCache == true)
    }

    @Test(arguments: [
        ("env: [HOME]", "front matter 'env' must be names Legend sets itself ('HOME')"),
        ("env: [LEGEND_CHANNEL]", "front matter 'env' must be names Legend sets itself"),
        ("env: [\"A-B\"]", "front matter 'env' must be a list of environment variable names (letters, digits and '_'); 'A-B' is not one"),
        ("memory: 12", "front matter 'memory' must be an amount of memory of at least 64 MB"),
        ("memory: 1 MB", "front matter 'memory' must be an amount of memory of at least 64 MB"),
        ("memory: lots", "front matter 'memory' must be an amount of memory"),
    ])
    func badEnvAndMemoryAreReportedAtTheirLine(line: String, message: String) throws {
        #expect {
            _ = try parse("---\n\(line)\n---\n# One\n")
        } throws: { error in
            "\(error)".contains("book/01-test.md:2: error: \(message)")
        }
    }

    @Test func memoryAmounts() {
        #expect(FrontMatter.bytes("512 MB") == 512 << 20)
        #expect(FrontMatter.bytes("2 GB") == 2 << 30)
        #expect(FrontMatter.bytes("1.5G") == 3 << 29)
        #expect(FrontMatter.bytes("4096 MiB") == 4 << 30)
        #expect(FrontMatter.bytes("63 MB") == nil)
        #expect(FrontMatter.bytes(3) == nil)
    }
}
