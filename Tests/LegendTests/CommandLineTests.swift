import Foundation
import Testing

/// The `legend` command, run as a user runs it.
@Suite struct CommandLineTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    func legend(_ arguments: [String], in directory: String? = nil) throws -> Run {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.root + "/.build/debug/legend")
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                   stderr: String(decoding: stderr, as: UTF8.self))
    }

    func temporaryFolder() throws -> String {
        let folder = NSTemporaryDirectory() + "legend-cli-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return folder
    }

    @Test func helpExplainsBuild() throws {
        let run = try legend(["build", "--help"])
        #expect(run.status == 0)
        #expect(run.stdout.contains("USAGE: legend build [<book>] [--output <output>]"))
        #expect(run.stdout.hasPrefix("OVERVIEW: Run a book's blocks and weave it into a static HTML site"))
    }

    @Test func buildsABookAndExitsNonZeroOnAFailedBlock() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/notes", withIntermediateDirectories: true)
        try "# One\n\n```swift-run\nprint(6 * 7)\n```\n".write(toFile: folder + "/notes/01-one.md", atomically: true, encoding: .utf8)
        let good = try legend(["build", "notes", "--output", "site"], in: folder)
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stderr.contains("  ran      notes/01-one.md  1 block, compiled in"))
        #expect(good.stderr.contains("Built 1 chapter (1 ran, 0 cached) into site in"))
        #expect(try String(contentsOfFile: folder + "/site/01-one.md", encoding: .utf8).contains("```text\n42\n```"))

        try "# One\n\n```swift-run\nprint(undefinedName)\n```\n".write(toFile: folder + "/notes/01-one.md", atomically: true, encoding: .utf8)
        let bad = try legend(["build", "notes", "--output", "site"], in: folder)
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("notes/01-one.md:4:7: error: cannot find 'undefinedName' in scope"))
    }

    @Test func aMissingBookIsOneClearLine() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let run = try legend(["build", "nowhere"], in: folder)
        #expect(run.status == 1)
        #expect(run.stderr == "error: no book folder at 'nowhere'; create it with `legend new \"Title\" --book nowhere` or pass the folder of your book\n")
    }

    @Test func badOptionsAreRefusedByTheParser() throws {
        let run = try legend(["build", "--jobs", "0"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("--jobs must be at least 1, not 0."))
    }
}
