import Foundation
import NotebookCore

/// What `legend build` does, as options.
public struct BuildOptions: Sendable {
    public var bookPath: String = "legend"
    public var outputPath: String = "output"
    /// Where results and compiled programs are kept between builds.
    public var cachePath: String = ".legend-cache"
    public var useCache = true
    /// Chapters compiled and run at once; defaults to the number of cores.
    public var jobs = ProcessInfo.processInfo.activeProcessorCount
    /// Where the default theme and the chapter runtime are (see `Installation`).
    public var installation: Installation? = Installation.find()
    public var execution = Execution.run
    /// The environment chapters' `env:` variables are read from, and the browser that prints
    /// the book is found on (`legend`'s own).
    public var environment = ProcessInfo.processInfo.environment
    /// Also print the whole book (the print page) to `book.pdf` in the output folder.
    public var pdf = false
    /// Stops the build (its compilers and chapter programs) when cancelled; the build then
    /// throws and writes nothing.
    public var cancellation: Cancellation?

    public enum Execution: Sendable {
        /// Run what the cache does not have.
        case run
        /// Run nothing: weave cached results where there are some, a visible "not run" elsewhere.
        case draft
        /// Run nothing, and fail naming every chapter whose results are not cached.
        case frozen
    }

    public init() {}
}

/// How one chapter's build went, for the progress line and the exit status.
public struct ChapterReport: Sendable {
    public let path: String
    public let blockCount: Int
    public let run: ChapterRun?
    public let problems: [Diagnostic]

    public var failures: Int { (run?.result.failureCount ?? 0) }
    public var failed: Bool { failures > 0 || problems.contains { $0.severity == .error } }
}

/// The result of a whole build.
public struct BuildReport: Sendable {
    public let book: Book
    public let parsedChapters: [ParsedChapter]
    public let chapters: [ChapterReport]
    public let seconds: Double
    public let outputPath: String
    /// Math the renderer rejected, wiki links that name no chapter: warnings in `build`,
    /// errors in `check`.
    public let weaveProblems: [Diagnostic]
    /// Files of the book that could not be published (a link out of the book, a FIFO, …).
    public var fileProblems: [Diagnostic] = []
    public var failed: Bool { chapters.contains(where: \.failed) || !fileProblems.isEmpty }
    /// The claims the chapters' results hold, counted.
    public var claims: ClaimTally { ClaimTally(chapters.flatMap { $0.run?.result.claims ?? [] }) }
}

/// Builds a book: load → parse → execute → weave → write.
public struct Builder: Sendable {
    /// The execution stage, which holds the options and where progress goes.
    public let executor: Executor
    public var options: BuildOptions { executor.options }
    var log: @Sendable (String) -> Void { executor.log }

    /// `log` receives each line of progress and every diagnostic; `status`, each chapter's
    /// state as it changes (see `Executor`).
    public init(options: BuildOptions, log: @escaping @Sendable (String) -> Void,
                status: (@Sendable (String, ChapterState) -> Void)? = nil) {
        executor = Executor(options: options, log: log, status: status)
    }

    public func build() throws(Diagnostic) -> BuildReport {
        // Before any work: a folder that Legend may not replace is refused at once, and so is
        // --pdf without a browser to print with.
        let output = try claimOutput()
        let printer = options.pdf ? try BookPrinter.find(environment: options.environment) : nil
        let (report, files) = try weave()
        var printBook: ((String) throws -> Void)?
        if let printer {
            printBook = { site in
                log("Printing \(SiteWeaver.printPageName) to \(BookPrinter.pdfName) with \(printer.browser)…")
                try printer.print(site: site)
            }
        }
        try SiteWriter(folder: output).write(files, completing: printBook)
        log(Progress.summary(report))
        return report
    }

    /// `--shard K/N`: runs this job's share of the chapters (see `Shard.assign`) into the cache,
    /// and writes no site. Returns the share's reports (a failed block fails the job).
    public func runShard(_ shard: Shard) throws(Diagnostic) -> [ChapterReport] {
        let book = try load()
        let chapters = book.chapters.map { ParsedChapter($0, citations: book.bibliography != nil) }.filter { !Tangler.runnableBlocks(of: $0).isEmpty }
        let cache = ResultCache(directory: CacheFolder(path: options.cachePath).results)
        let timed = chapters.map { (name: $0.chapter.fileName, seconds: cache.lastSeconds(ofChapter: $0.chapter.fileName)) }
        let share = Shard.assign(timed, count: shard.count)[shard.index - 1]
        let estimate = share.compactMap { timed[$0].seconds }.reduce(0, +)
        let names = share.map { chapters[$0].chapter.path }
        log("shard \(shard): \(share.count) of \(chapters.count) chapters with blocks to run" + (estimate > 0 ? String(format: ", about %.0f s by their last runs", estimate) : "")
            + (names.isEmpty ? "" : ": " + names.joined(separator: ", ")))
        let reports = try execute(share.map { chapters[$0] }, book: book)
        let problems = book.problems.map { ChapterReport(path: $0.file ?? "", blockCount: 0, run: nil, problems: [$0]) }
        return reports + problems
    }

    /// The output folder, if a site may be written there (see `OutputFolder`).
    public func claimOutput() throws(Diagnostic) -> OutputFolder {
        try OutputFolder.claim(options.outputPath, surroundings: .init(
            book: options.bookPath, cache: options.cachePath, themeFolders: themeFolders(),
            bookOutput: Book.configuredOutput(of: options.bookPath)))
    }

    /// What a cancelled build throws: it wrote nothing.
    public static let cancelled = Diagnostic.error("the build was cancelled")

    /// Everything `build` does but writing: the report and the site's files.
    public func weave() throws(Diagnostic) -> (BuildReport, [String: Data]) {
        let started = Date()
        let book = try load()
        let chapters = book.chapters.map { ParsedChapter($0, citations: book.bibliography != nil) }
        let theme = try Theme.load(from: themeFolders())
        let reports = try execute(chapters, book: book)
        if options.cancellation?.isCancelled == true { throw Builder.cancelled }
        let (files, weaveProblems, assetProblems) = try weave(book, chapters, reports, theme: theme)
        let loadFailures = book.problems.map { ChapterReport(path: $0.file ?? "", blockCount: 0, run: nil, problems: [$0]) }
        var report = BuildReport(book: book, parsedChapters: chapters, chapters: reports + loadFailures,
                                 seconds: Date().timeIntervalSince(started), outputPath: options.outputPath,
                                 weaveProblems: weaveProblems)
        report.fileProblems = assetProblems
        return (report, files)
    }

    private func load() throws(Diagnostic) -> Book {
        let book = try Book.load(from: options.bookPath)
        book.warnings.forEach { log($0.description) }
        for problem in book.problems { log(problem.description) }
        if options.installation == nil && !FileManager.default.fileExists(atPath: options.bookPath + "/templates") {
            let home = ProcessInfo.processInfo.environment["LEGEND_HOME"].map { " (LEGEND_HOME is '\($0)', which is neither a checkout nor an install)" } ?? ""
            throw .error(Installation.notFound + home)
        }
        return book
    }

    /// Runs what needs running (the runtime is prepared only if something may run).
    private func execute(_ chapters: [ParsedChapter], book: Book) throws(Diagnostic) -> [ChapterReport] {
        let needsRuntime = options.execution == .run && chapters.contains { !Tangler.runnableBlocks(of: $0).isEmpty }
        let runtime = needsRuntime ? try Runtime.prepare(installation: options.installation, log: log) : nil
        return executor.execute(chapters, book: book, runtime: runtime)
    }

    /// The site's files: the woven book, the theme's assets and the book's own files.
    private func weave(_ book: Book, _ chapters: [ParsedChapter], _ reports: [ChapterReport],
                       theme: Theme) throws(Diagnostic) -> ([String: Data], [Diagnostic], [Diagnostic]) {
        var (files, assetProblems) = book.assets(excluding: [options.outputPath, options.cachePath])
        assetProblems.forEach { log($0.description) }
        files.merge(theme.assets) { _, theme in theme }
        let woven = try BookWeaver(book: book, chapters: chapters, theme: theme).weave(reports.map { $0.run?.result })
        // The weavers name lines of the chapters' texts, includes expanded: as written, here.
        let byPath = Dictionary(chapters.map { ($0.chapter.path, $0.chapter) }) { first, _ in first }
        let problems = woven.problems.map { problem in problem.file.flatMap { byPath[$0] }?.located(problem) ?? problem }
        problems.forEach { log($0.description) }
        files.merge(woven.files) { _, woven in woven }
        return (files, problems, assetProblems)
    }

    /// The default theme, then the book's own templates.
    func themeFolders() -> [String] {
        var folders: [String] = []
        if let installation = options.installation { folders.append(installation.themeFolder) }
        folders.append(options.bookPath + "/templates")
        return folders
    }
}
