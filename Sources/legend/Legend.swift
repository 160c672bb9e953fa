import ArgumentParser
import Foundation
import Literate

@main
struct Legend: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build literate books whose Swift blocks run.",
        discussion: """
            A book is a folder of Markdown chapters (01-intro.md, 02-…). Fenced blocks marked \
            `swift-run` are compiled into one program per chapter and run against TensorForge; \
            what they print and show is woven into HTML pages and Markdown files.
            """,
        subcommands: [Build.self],
        defaultSubcommand: Build.self)
}

/// The options every command that reads a book shares.
struct BookOptions: ParsableArguments {
    @Argument(help: "The book's folder.", completion: .directory)
    var book: String = "legend"
}

/// Prints to stderr, one whole line at a time, from any thread.
let printLine: @Sendable (String) -> Void = { line in
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a book's blocks and weave it into a static HTML site and Markdown.",
        discussion: """
            Writes OUTPUT/index.html, and for each chapter OUTPUT/<chapter>.html and \
            OUTPUT/<chapter>.md (the chapter as written, with each block's output after it). \
            The output folder is replaced whole, only when the build is complete. Results are \
            cached in .legend-cache/ by content: unchanged chapters are not run again. \
            Exits with status 1 if any block failed (blocks marked `//| error: true` excepted).
            """)

    @OptionGroup var options: BookOptions

    @Option(name: [.short, .long], help: "The folder to write the site into.", completion: .directory)
    var output: String = "output"

    @Flag(name: .customLong("no-cache"), help: "Run every chapter, ignoring cached results.")
    var noCache = false

    @Option(name: [.short, .long], help: "Chapters to compile and run at once (default: the number of cores).")
    var jobs: Int?

    func validate() throws {
        if let jobs, jobs < 1 { throw ValidationError("--jobs must be at least 1, not \(jobs).") }
    }

    func run() throws {
        var build = BuildOptions()
        build.bookPath = options.book
        build.outputPath = output
        build.useCache = !noCache
        if let jobs { build.jobs = jobs }
        do {
            let report = try Builder(options: build, log: printLine).build()
            if report.failed { throw ExitCode(1) }
        } catch let diagnostic as Diagnostic {
            printLine(diagnostic.description)
            throw ExitCode(1)
        }
    }
}
