import Foundation
import Testing

/// Runs blocking work (waiting for `legend` processes) on a thread of its own. A sync test runs
/// on Swift's cooperative pool, which has one thread per core: a long one holds a thread that
/// the preview server's tasks in other tests need.
func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

/// The `legend` command, run as a user runs it.
@Suite struct CommandLineTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path

    /// The `legend` built with these tests (LegendTests depends on it): beside the test
    /// bundle, whatever the build folder is called.
    static let executable: String = {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let built = bundle.appendingPathComponent("legend").path
        return FileManager.default.isExecutableFile(atPath: built) ? built : root + "/.build/debug/legend"
    }()

    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    func legend(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> Run {
        try start(arguments, in: directory, environment: environment).finish()
    }

    /// A `legend` command started and not yet waited for; its output goes to files, so that
    /// several can run at once without filling a pipe.
    struct Started {
        let process: Process
        let stdoutPath: String
        let stderrPath: String

        func finish() -> Run {
            process.waitUntilExit()
            defer {
                try? FileManager.default.removeItem(atPath: stdoutPath)
                try? FileManager.default.removeItem(atPath: stderrPath)
            }
            return Run(status: process.terminationStatus,
                       stdout: (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "",
                       stderr: (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "")
        }
    }

    func start(_ arguments: [String], in directory: String? = nil, environment: [String: String] = [:]) throws -> Started {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        if !environment.isEmpty { process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new } }
        let base = NSTemporaryDirectory() + "legend-cli-output-" + UUID().uuidString
        FileManager.default.createFile(atPath: base + ".out", contents: nil)
        FileManager.default.createFile(atPath: base + ".err", contents: nil)
        process.standardOutput = FileHandle(forWritingAtPath: base + ".out")
        process.standardError = FileHandle(forWritingAtPath: base + ".err")
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return Started(process: process, stdoutPath: base + ".out", stderrPath: base + ".err")
    }

    /// Processes whose command line contains `marker`.
    static func processes(containing marker: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).filter { name in
            guard Int(name) != nil, let command = FileManager.default.contents(atPath: "/proc/\(name)/cmdline") else { return false }
            return String(decoding: command, as: UTF8.self).contains(marker)
        }
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

    /// The book is found as git finds a repository: from the current folder upwards.
    @Test func theBookIsFoundFromASubfolderAndNewChaptersGoBesideTheOthers() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/mybook/img", withIntermediateDirectories: true)
        try "title: Mine\noutput: ../site\n".write(toFile: folder + "/mybook/book.yml", atomically: true, encoding: .utf8)
        try "# One\n".write(toFile: folder + "/mybook/01-one.md", atomically: true, encoding: .utf8)
        let build = try legend(["build"], in: folder + "/mybook/img")
        #expect(build.status == 0, "\(build.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder + "/site/01-one.html"), "book.yml's output, relative to the book")
        let new = try legend(["new", "Third Light"], in: folder + "/mybook")
        #expect(new.status == 0, "\(new.stderr)")
        #expect(new.stdout == "./02-third-light.md\n" || new.stdout == "02-third-light.md\n", "\(new.stdout)")
        #expect(FileManager.default.fileExists(atPath: folder + "/mybook/02-third-light.md"))
        #expect(!FileManager.default.fileExists(atPath: folder + "/mybook/legend"))

        let outside = try legend(["build"], in: folder)
        #expect(outside.status == 1)
        #expect(outside.stderr.hasPrefix("error: no book.yml in '") && outside.stderr.contains("or any folder above it"), "\(outside.stderr)")
    }

    @Test func initStartsABookThatBuildsAndRefusesAFolderWithFiles() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/mybook/.git", withIntermediateDirectories: true)
        let made = try legend(["init", "mybook", "--title", "A \"quoted\" title"], in: folder)
        #expect(made.status == 0, "\(made.stderr)")
        #expect(made.stdout == "mybook/book.yml\nmybook/.gitignore\nmybook/01-getting-started.md\nmybook/.github/workflows/book.yml\n")
        let workflow = try String(contentsOfFile: folder + "/mybook/.github/workflows/book.yml", encoding: .utf8)
        #expect(workflow.contains("scripts/install /usr/local") && workflow.contains("- run: legend check")
                && workflow.contains("actions/deploy-pages") && workflow.contains("#       - run: legend build --shard ${{ matrix.shard }}/4"))
        let build = try legend(["build"], in: folder + "/mybook")
        #expect(build.status == 0, "\(build.stderr)")
        let page = try String(contentsOfFile: folder + "/mybook/site/01-getting-started.md", encoding: .utf8)
        #expect(page.contains("| step |") && page.contains("Training loss"), "the first chapter trains and shows a table and a plot")
        #expect(try String(contentsOfFile: folder + "/mybook/site/index.html", encoding: .utf8).contains("A &quot;quoted&quot; title"))
        let again = try legend(["init", "mybook"], in: folder)
        #expect(again.status == 1)
        #expect(again.stderr.hasPrefix("error: 'mybook' already holds files ('.github', '.gitignore', '.legend-cache', …)"), "\(again.stderr)")
    }

    @Test func aPDFWithoutChromiumIsOneClearLine() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/notes", withIntermediateDirectories: true)
        try "# One\n".write(toFile: folder + "/notes/01-one.md", atomically: true, encoding: .utf8)
        let run = try legend(["build", "notes", "--output", "site", "--pdf"], in: folder, environment: ["PATH": ""])
        #expect(run.status == 1)
        #expect(run.stderr == "error: --pdf needs Chromium to print the book, and none of chromium, chromium-browser or google-chrome is on PATH; install it (apt-get install chromium), or build without --pdf\n")
        #expect(!FileManager.default.fileExists(atPath: folder + "/site"))
    }

    @Test func badOptionsAreRefusedByTheParser() throws {
        let run = try legend(["build", "--jobs", "0"])
        #expect(run.status != 0)
        #expect(run.stderr.contains("--jobs must be at least 1, not 0."))
    }
}
