import Foundation
import NotebookCore

/// The execution stage: every chapter's results — from the cache, from a run, or none — by one
/// policy (`plan`), `options.jobs` chapters at a time. `build`, `check`, `serve` and `run` all
/// execute through it.
public struct Executor: Sendable {
    public let options: BuildOptions
    /// Receives each line of progress and every diagnostic, as they happen.
    public let log: @Sendable (String) -> Void
    /// Receives each chapter's state as it changes; without it, a chapter still running after
    /// 10 s is named in a line of `log` every 10 s.
    public let status: (@Sendable (String, ChapterState) -> Void)?

    public init(options: BuildOptions, log: @escaping @Sendable (String) -> Void,
                status: (@Sendable (String, ChapterState) -> Void)? = nil) {
        self.options = options
        self.log = log
        self.status = status
    }

    /// What becomes of one chapter that has blocks to run.
    enum Plan {
        /// Its results are in the cache.
        case cached(ChapterResult)
        /// It runs on `runtime` (once no other command runs it).
        case run(Runtime)
        /// Nothing runs: the page shows its blocks as not run.
        case notRun
        /// Nothing runs and nothing is cached, which a frozen build must not publish.
        case missing
    }

    /// The policy: a build runs what the cache does not have (`--no-cache`: everything); a
    /// draft and a frozen build run nothing and take the latest result of any runtime.
    func plan(_ key: ResultCache.Key, chapter: ParsedChapter, cache: ResultCache, runtime: Runtime?) -> Plan {
        switch (options.execution, runtime) {
        case (.run, let runtime?):
            if options.useCache, let cached = cache.lookup(key, chapter: chapter) { return .cached(cached) }
            return .run(runtime)
        case (.run, nil):
            return .notRun
        case (.draft, _):
            return cache.lookup(key, chapter: chapter, anyRuntime: true).map(Plan.cached) ?? .notRun
        case (.frozen, _):
            return cache.lookup(key, chapter: chapter, anyRuntime: true).map(Plan.cached) ?? .missing
        }
    }

    /// Every chapter's report, in the order given.
    public func execute(_ chapters: [ParsedChapter], book: Book, runtime: Runtime?) -> [ChapterReport] {
        let cacheFolder = CacheFolder(path: options.cachePath)
        // Its tag and lock folder exist before the first lock is taken; a failure shows at the run.
        try? cacheFolder.prepare()
        for chapter in chapters { status?(chapter.chapter.path, .queued) }
        return chapters.parallelMap(width: options.jobs) { chapter in
            guard options.cancellation?.isCancelled != true else {
                return ChapterReport(path: chapter.chapter.path, blockCount: chapter.blocks.count, run: nil, problems: [])
            }
            let report = execute(chapter, book: book, runtime: runtime, cacheFolder: cacheFolder)
            status?(chapter.chapter.path, .done)
            // A cancelled build's failures are its own doing, not the book's: not reported.
            if options.cancellation?.isCancelled != true, let line = Progress.line(report) { log(line) }
            return report
        }
    }

    private func execute(_ chapter: ParsedChapter, book: Book, runtime: Runtime?, cacheFolder: CacheFolder) -> ChapterReport {
        var problems = chapter.warnings
        problems.forEach { log($0.description) }
        var run: ChapterRun?
        if Tangler.runnableBlocks(of: chapter).isEmpty && chapter.blockProblems.isEmpty {
            run = ChapterRun(result: ChapterResult(blocks: chapter.allBlocks.map { _ in BlockResult(status: .skipped) }))
        } else {
            do throws(Diagnostic) {
                let cache = ResultCache(directory: cacheFolder.results)
                let key = try ResultCache.key(for: chapter, program: Tangler().tangle(chapter, lineNeutral: true),
                                              runtimeFingerprint: runtime?.fingerprint, bookDirectory: book.path,
                                              environment: options.environment)
                switch plan(key, chapter: chapter, cache: cache, runtime: runtime) {
                case .cached(let result):
                    run = ChapterRun(result: result, fromCache: true)
                case .notRun:
                    run = nil
                case .missing:
                    throw .error("the chapter's results are not in the cache, and a frozen build runs nothing; build it once with `legend build` where Swift is installed",
                                 file: chapter.chapter.path)
                case .run(let runtime):
                    run = runOnce(chapter, key: key, book: book, runtime: runtime, cache: cache, cacheFolder: cacheFolder)
                }
            } catch {
                problems.append(error)
                log(error.description)
            }
        }
        if let run, !run.fromCache, options.cancellation?.isCancelled != true { run.result.diagnostics.forEach { log($0.description) } }
        return ChapterReport(path: chapter.chapter.path, blockCount: chapter.blocks.count, run: run, problems: problems)
    }

    /// Runs a chapter, unless another command computes the same key: then waits for it and takes
    /// its result (with `--no-cache`, runs regardless — each run has its own work folder).
    private func runOnce(_ chapter: ParsedChapter, key: ResultCache.Key, book: Book, runtime: Runtime,
                         cache: ResultCache, cacheFolder: CacheFolder) -> ChapterRun {
        let lock = options.useCache ? cacheFolder.lock(key: key.full) : nil
        defer { lock?.release() }
        if options.useCache, let cached = cache.lookup(key, chapter: chapter) {
            return ChapterRun(result: cached, fromCache: true)
        }
        let path = chapter.chapter.path
        let observer = status.map { status in Progress.forwarding(path: path, to: status) }
            ?? Progress.slowChapterNotice(path: path, log: log)
        var runner = Runner(runtime: runtime, cache: cacheFolder, hostEnvironment: options.environment)
        runner.restoresCheckpoints = options.useCache
        runner.cancellation = options.cancellation
        var fresh = runner.run(chapter, bookDirectory: book.path, observer: observer)
        fresh.fromCache = false
        // A cancelled run is stale: nothing of it is kept.
        if !fresh.result.failed && options.cancellation?.isCancelled != true {
            cache.store(fresh.result, for: key, chapter: chapter, seconds: fresh.compileSeconds + fresh.runSeconds)
        }
        return fresh
    }
}
