import Foundation
@testable import Literate

/// The Legend checkout this test runs in (for the default theme and the runtime's sources).
let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent().path

/// A book written into a fresh temporary folder, built like `legend build` would.
struct TemporaryBook {
    let folder: String
    var book: String { folder + "/book" }
    var output: String { folder + "/output" }

    init(_ files: [String: String]) throws {
        folder = NSTemporaryDirectory() + "legend-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder + "/book", withIntermediateDirectories: true)
        for (name, text) in files { try write(name, text) }
    }

    /// Copies the fixture book Tests/LiterateTests/Fixtures/<name>/book (its expected outputs
    /// lie beside it, in <name>/expected).
    init(fixture name: String) throws {
        folder = NSTemporaryDirectory() + "legend-test-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: TemporaryBook.fixture(name) + "/book", toPath: folder + "/book")
    }

    static func fixture(_ name: String) -> String {
        packageRoot + "/Tests/LiterateTests/Fixtures/" + name
    }

    func write(_ name: String, _ text: String) throws {
        try writeBytes(name, Array(text.utf8))
    }

    func writeBytes(_ name: String, _ bytes: [UInt8]) throws {
        let path = book + "/" + name
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    var options: BuildOptions {
        var options = BuildOptions()
        options.bookPath = book
        options.outputPath = output
        options.cachePath = folder + "/cache"
        options.installation = .checkout(root: packageRoot)
        return options
    }

    /// Builds the book; returns the report and every line the build printed.
    func build(_ adjust: (inout BuildOptions) -> Void = { _ in }) throws -> (BuildReport, [String]) {
        var options = self.options
        adjust(&options)
        let lines = Locked([String]())
        let report = try Builder(options: options, log: { line in lines.withLock { $0.append(line) } }).build()
        return (report, lines.withLock { $0 })
    }

    func read(_ name: String) throws -> String {
        try String(contentsOfFile: output + "/" + name, encoding: .utf8)
    }

    /// The `<article>` of a chapter page.
    func article(_ name: String) throws -> String {
        let page = try read(name)
        guard let start = page.range(of: "<article>"), let end = page.range(of: "</article>") else { return page }
        return String(page[start.upperBound..<end.lowerBound])
    }

    func remove() {
        try? FileManager.default.removeItem(atPath: folder)
    }
}

/// Parses a chapter from text, as the pipeline would.
func parse(_ text: String, path: String = "book/01-test.md") throws -> ParsedChapter {
    ParsedChapter(try Chapter(source: SourceText(path: path, text: text), slug: "01-test"))
}
