import ArgumentParser
import Foundation
import Literate

struct Legend: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build literate books whose Swift blocks run.",
        discussion: """
            A book is a folder of Markdown chapters (01-intro.md, 02-…). Fenced blocks marked \
            `swift-run` are compiled into one program per chapter and run against TensorForge; \
            what they print and show is woven into HTML pages and Markdown files.
            """,
        version: "legend \(Version.number)",
        subcommands: [Build.self, Check.self, Serve.self, Init.self, New.self, Tangle.self, Run.self, Clean.self],
        defaultSubcommand: Build.self)
}

/// The options every command that builds a book shares.
struct BookOptions: ParsableArguments {
    @Argument(help: "The book's folder (default: the nearest folder, from here upwards, with a book.yml; else legend).", completion: .directory)
    var book: String?

    @Option(name: [.short, .long], help: "The folder the site is written to (default: book.yml's 'output:', else 'output').", completion: .directory)
    var output: String?

    /// The book: as given, else found (see `Book.defaultFolder`).
    func bookPath() throws -> String {
        if let book { return book }
        return try reporting { try Book.defaultFolder() }
    }

    /// The output folder: as given, else as book.yml names it, else `output`.
    func outputPath() throws -> String { try output ?? Book.configuredOutput(of: bookPath()) ?? "output" }

    @Option(help: "The cache folder (default: book.yml's 'cache:', else .legend-cache in the book's folder).", completion: .directory)
    var cache: String?

    @Flag(name: .customLong("no-cache"), help: "Run every chapter, ignoring cached results.")
    var noCache = false

    @Option(name: [.short, .long], help: "Chapters to compile and run at once (default: the number of cores).")
    var jobs: Int?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, not \(jobs).") }
    }

    func buildOptions() throws -> BuildOptions {
        var options = BuildOptions()
        options.bookPath = try bookPath()
        options.outputPath = try outputPath()
        options.cachePath = cache ?? Book.configuredCache(of: options.bookPath)
        options.useCache = !noCache
        if let jobs { options.jobs = jobs }
        return options
    }
}

/// Prints to stderr, one whole line at a time, from any thread.
let printLine: @Sendable (String) -> Void = { line in
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// A builder that reports to this terminal: a live status area on a TTY, plain lines otherwise
/// (CI logs).
func makeBuilder(_ options: BuildOptions) -> Builder {
    guard TerminalProgress.isAvailable else { return Builder(options: options, log: printLine) }
    let progress = TerminalProgress()
    return Builder(options: options, log: progress.log, status: progress.update)
}

/// Runs `body`, printing a diagnostic it throws as one line and exiting with status 1.
func reporting<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let diagnostic as Diagnostic {
        printLine(diagnostic.description)
        throw ExitCode(1)
    }
}
