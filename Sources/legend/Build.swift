import ArgumentParser
import Literate

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

    @Flag(help: "Run nothing: weave cached results where there are some, and mark the rest as not run.")
    var draft = false

    @Flag(help: "Run nothing, and fail naming each chapter whose results are not cached.")
    var frozen = false

    func validate() throws {
        if draft && frozen { throw ValidationError("--draft and --frozen exclude each other; pass one.") }
    }

    func run() throws {
        var build = try options.buildOptions()
        build.execution = frozen ? .frozen : draft ? .draft : .run
        let report = try reporting { try makeBuilder(build).build() }
        if report.failed { throw ExitCode(1) }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build into a temporary folder and list every problem; fail if there is one.",
        discussion: """
            The gate before publishing. Lists, as file:line: messages, failed blocks, wiki links \
            that name no chapter, math that does not render, relative links and images that \
            point nowhere, mis-encoded text, and an output folder that differs from a fresh \
            build. Leaves the output folder as it is.
            """)

    @OptionGroup var options: BookOptions

    func run() throws {
        let build = try options.buildOptions()
        let problems = try reporting { try Checker(options: build, log: printLine).check() }
        for problem in problems { printLine(problem.description) }
        if problems.isEmpty {
            printLine("check: \(build.bookPath) is ready to publish; \(build.outputPath) is current.")
        } else {
            printLine("check: \(problems.count) problem\(problems.count == 1 ? "" : "s").")
            throw ExitCode(1)
        }
    }
}

struct Clean: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Delete the result cache (.legend-cache/), so the next build runs every chapter.",
        discussion: "Deletes only a folder that carries the CACHEDIR.TAG a build writes into its cache.")

    @Option(help: "The cache folder.")
    var cache: String = ".legend-cache"

    func run() throws {
        try reporting {
            try CacheFolder.clean(cache)
            printLine("clean: removed \(cache)")
        }
    }
}
