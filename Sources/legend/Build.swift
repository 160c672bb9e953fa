import ArgumentParser
import Literate

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run a book's blocks and weave it into a static HTML site and Markdown.",
        discussion: """
            Writes OUTPUT/index.html, and for each chapter OUTPUT/<chapter>.html and \
            OUTPUT/<chapter>.md (the chapter as written, with each block's output after it), \
            and OUTPUT/print.html, the whole book on one page; with --pdf, that page printed \
            to OUTPUT/book.pdf through headless Chromium. \
            The output folder is replaced whole, only when the build is complete. Results are \
            cached by content in the book's cache folder (.legend-cache/ in the book, or \
            book.yml's cache:): unchanged chapters are not run again. With --shard K/N, runs \
            only its share of the chapters into the cache (one job of a CI matrix); the jobs' \
            cache folders merge by copying, and --frozen then weaves the whole site. \
            Exits with status 1 if any block failed (blocks marked `//| error: true` excepted).
            """)

    @OptionGroup var options: BookOptions

    @Flag(help: "Run nothing: weave cached results where there are some, and mark the rest as not run.")
    var draft = false

    @Flag(help: "Run nothing, and fail naming each chapter whose results are not cached.")
    var frozen = false

    @Flag(help: "Also print the whole book (print.html) to OUTPUT/book.pdf, with headless Chromium.")
    var pdf = false

    @Option(help: ArgumentHelp("Run only share K of N of the chapters into the cache, and write no site (one job of a CI matrix; merge the jobs' caches, then build --frozen).", valueName: "K/N"))
    var shard: String?

    func validate() throws {
        if draft && frozen { throw ValidationError("--draft and --frozen exclude each other; pass one.") }
        if let shard {
            guard Shard(shard) != nil else { throw ValidationError("--shard takes K/N with 1 ≤ K ≤ N, such as 2/4, not '\(shard)'.") }
            if draft || frozen { throw ValidationError("--shard runs chapters, and --\(draft ? "draft" : "frozen") runs none; pass one.") }
            if options.output != nil { throw ValidationError("--shard writes no site, so --output has no use; drop it.") }
            if pdf { throw ValidationError("--shard writes no site, so there is nothing for --pdf to print; drop it.") }
        }
    }

    func run() throws {
        var build = try options.buildOptions()
        if let shard = shard.flatMap(Shard.init) {
            let reports = try reporting { try makeBuilder(build).runShard(shard) }
            let failed = reports.filter(\.failed).count
            printLine("shard \(shard): \(reports.count - failed) chapter\(reports.count - failed == 1 ? "" : "s") in \(build.cachePath)" + (failed > 0 ? ", \(failed) failed" : ""))
            if failed > 0 { throw ExitCode(1) }
            return
        }
        build.execution = frozen ? .frozen : draft ? .draft : .run
        build.pdf = pdf
        let report = try reporting { try makeBuilder(build).build() }
        if report.failed { throw ExitCode(1) }
    }
}

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build into a temporary folder and list every problem; fail if there is one.",
        discussion: """
            The gate before publishing. Lists, as file:line: messages, failed blocks (a claim \
            that does not hold fails its block), wiki links that name no chapter, math that does not render, relative links and images that \
            point nowhere, mis-encoded text, and an output folder that differs from a fresh \
            build, and counts the book's claims ("12 claims, all hold"). Leaves the output \
            folder as it is.
            """)

    @OptionGroup var options: BookOptions

    func run() throws {
        let build = try options.buildOptions()
        let findings = try reporting { try Checker(options: build, log: printLine).findings() }
        let problems = findings.problems
        for problem in problems { printLine(problem.description) }
        if findings.claims.count > 0 { printLine("check: \(findings.claims).") }
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
        abstract: "Delete a book's result cache, so the next build runs every chapter.",
        discussion: "Deletes only a folder that carries the CACHEDIR.TAG a build writes into its cache.")

    @Argument(help: "The book's folder (default: the nearest folder, from here upwards, with a book.yml; else legend).", completion: .directory)
    var book: String?

    @Option(help: "The cache folder (default: the book's, as book.yml's 'cache:' names it, else .legend-cache in the book's folder).", completion: .directory)
    var cache: String?

    func run() throws {
        try reporting {
            let folder = try cache ?? Book.configuredCache(of: book ?? Book.defaultFolder())
            try CacheFolder.clean(folder)
            printLine("clean: removed \(folder)")
        }
    }
}
