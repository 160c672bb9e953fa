import Foundation
import NotebookCore

/// How a chapter's run went, with the timings the progress line reports. The result itself holds
/// no timings, so it can be cached and compared byte for byte.
public struct ChapterRun: Sendable {
    public var result: ChapterResult
    public var compileSeconds: Double = 0
    public var runSeconds: Double = 0
    /// Seconds each block ran, by block number.
    public var blockSeconds: [Int: Double] = [:]
    public var compilations = 0
    /// The checkpointed blocks restored from their checkpoints instead of run.
    public var restoredBlocks: [Int] = []
    public var fromCache = false
}

/// What a runner is doing, for progress displays.
public enum RunnerEvent: Sendable, Equatable {
    case compiling
    /// The program runs; `block` is the block it is in (if it has begun one) and `blockSeconds`
    /// how long it has been there.
    case running(block: Int?, line: Int?, blockSeconds: Double)
}

/// Compiles a chapter's tangled program against the runtime and runs it in a child process,
/// then cuts its output into per-block results (DESIGN.md, "Execution contract").
public struct Runner: Sendable {
    public let runtime: Runtime
    /// Where each run gets a work folder of its own (program, binary, outputs, `TMPDIR`),
    /// deleted when the run ends: any number of commands can run one chapter at once.
    public let cache: CacheFolder
    /// `legend`'s own environment, from which a chapter's `env:` variables are taken.
    public var hostEnvironment: [String: String]
    /// Most bytes of printed text kept per block; the rest is dropped with a visible note.
    public var outputLimit = 1 << 20
    /// Most bytes a chapter program may print (stdout, stderr and rich outputs together); past
    /// them it is stopped, and the block it was in says so.
    public var printLimit = 64 << 20
    /// Seconds the compiler may take: the chapter's `timeout:` is for running, and a loaded
    /// machine must not turn a slow compile into a failure.
    public var compileTimeout: Double = 600
    /// Restore checkpointed blocks from their checkpoints where the cache has them (`--no-cache`
    /// turns this off; checkpoints are saved either way).
    public var restoresCheckpoints = true
    /// Stops the compiler and the program when cancelled (`serve`, when an edit makes the run
    /// stale).
    public var cancellation: Cancellation?

    /// The memory a chapter program may map unless its front matter says `memory:`: half the
    /// machine's.
    public static var defaultMemoryLimit: Int { Int(ProcessInfo.processInfo.physicalMemory / 2) }

    public init(runtime: Runtime, cache: CacheFolder, hostEnvironment: [String: String] = ProcessInfo.processInfo.environment) {
        self.runtime = runtime
        self.cache = cache
        self.hostEnvironment = hostEnvironment
    }

    /// Runs every block of `chapter` that can run. Never throws: every failure becomes a block
    /// result and a diagnostic.
    public func run(_ chapter: ParsedChapter, bookDirectory: String, observer: (@Sendable (RunnerEvent) -> Void)? = nil) -> ChapterRun {
        var results = ChapterResult(blocks: chapter.allBlocks.map { block -> BlockResult in
            if let problems = chapter.blockProblems[block.number] {
                return BlockResult(status: .failed, failure: problems)
            }
            return BlockResult(status: block.options.eval && !block.isEmpty ? .notRun : .skipped)
        })
        var run = ChapterRun(result: ChapterResult(blocks: []))
        var diagnostics = chapter.blockProblems.keys.sorted().flatMap { chapter.blockProblems[$0]! }
        // Blocks past the first broken one do not run: they may need what it would have declared.
        let firstProblem = chapter.blockProblems.keys.min() ?? Int.max
        var pending = Tangler.runnableBlocks(of: chapter).filter { $0 < firstProblem }
        let folder: String
        do throws(Diagnostic) {
            try cache.prepare()
            folder = try cache.makeRunFolder(slug: chapter.chapter.slug)
        } catch {
            if let first = pending.first { results[block: first] = BlockResult(status: .failed, failure: [error]) }
            run.result = ChapterResult(blocks: results.blocks, diagnostics: diagnostics + [error])
            return run
        }
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let blocksByNumber = Dictionary(uniqueKeysWithValues: chapter.allBlocks.map { ($0.number, $0) })

        // Each pass compiles and runs the pending blocks. A block that fails as expected
        // (`//| error: true`) is taken out and the rest run again without it.
        while !pending.isEmpty {
            let program = Tangler().tangle(chapter, blocks: pending)
            observer?(.compiling)
            var compiler = ChapterCompiler(runtime: runtime, timeout: compileTimeout)
            compiler.cancellation = cancellation
            let compile = compiler.compile(program, chapter: chapter, in: folder)
            if cancellation?.isCancelled == true { break }
            run.compileSeconds += compile.seconds
            run.compilations += 1
            diagnostics += compile.diagnostics.filter { $0.severity == .warning }
            if !compile.errorsByBlock.isEmpty {
                let failing = compile.errorsByBlock.keys.sorted()
                if let stop = failing.first(where: { !(blocksByNumber[$0]?.options.error ?? false) }) {
                    results[block: stop] = BlockResult(status: .failed, failure: compile.errorsByBlock[stop]!.shown)
                    diagnostics += compile.errorsByBlock[stop]!.diagnostics
                    for expected in failing where expected < stop {
                        results[block: expected] = BlockResult(status: .expectedFailure, failure: compile.errorsByBlock[expected]!.shown)
                    }
                    pending = pending.filter { $0 < stop && compile.errorsByBlock[$0] == nil }
                } else {
                    for expected in failing {
                        results[block: expected] = BlockResult(status: .expectedFailure, failure: compile.errorsByBlock[expected]!.shown)
                    }
                    pending = pending.filter { compile.errorsByBlock[$0] == nil }
                }
                continue
            }
            guard compile.succeeded else {
                results[block: pending[0]] = BlockResult(status: .failed, failure: [.error(compile.unattributed)])
                diagnostics.append(.error("the chapter program did not build: \(compile.unattributed)", file: chapter.chapter.path))
                break
            }
            let checkpoints = checkpointKeys(chapter, running: pending, bookDirectory: bookDirectory)
            var execution = execute(program, chapter: chapter, in: folder, bookDirectory: bookDirectory, observer: observer,
                                    checkpoints: checkpoints, restoring: restoresCheckpoints)
            // A checkpoint is an optimisation, never a different outcome: a run that restored
            // one and failed runs again computing everything.
            if execution.restoredAndFailed && cancellation?.isCancelled != true {
                execution = execute(program, chapter: chapter, in: folder, bookDirectory: bookDirectory, observer: observer,
                                    checkpoints: checkpoints, restoring: false)
            }
            run.runSeconds += execution.seconds
            run.blockSeconds.merge(execution.blockSeconds) { _, new in new }
            run.restoredBlocks += execution.restoredBlocks
            for (number, result) in execution.results { results[block: number] = result }
            diagnostics += execution.diagnostics
            guard let failed = execution.failedBlock, blocksByNumber[failed]?.options.error == true else { break }
            pending.removeAll { $0 == failed }
        }
        // A second pass (after an expected failure) repeats the compiler's warnings: keep one.
        var seen = Set<String>()
        diagnostics = diagnostics.filter { seen.insert($0.description).inserted }
        run.result = ChapterResult(blocks: results.blocks, diagnostics: diagnostics)
        return run
    }

    /// The cache key of each checkpointed block among `running`: the key of the blocks up to it,
    /// in the order the program runs them.
    func checkpointKeys(_ chapter: ParsedChapter, running: [Int], bookDirectory: String) -> [Int: String] {
        let ordered = chapter.allBlocks.filter { running.contains($0.number) }
            .inTextOrder()
        var keys: [Int: String] = [:]
        for (index, block) in ordered.enumerated() where !block.options.run.cache.isEmpty {
            let prefix = ordered[...index].map(\.number)
            let program = Tangler().tangle(chapter, blocks: prefix, lineNeutral: true, positional: true)
            guard let key = try? ResultCache.key(for: chapter, program: program, runtimeFingerprint: runtime.fingerprint,
                                                 bookDirectory: bookDirectory, environment: hostEnvironment,
                                                 only: Set(prefix)) else { continue }
            keys[block.number] = "checkpoint of block \(block.number)\n" + key.full
        }
        return keys
    }

    /// Runs the compiled program and cuts its outputs into block results: offers it the
    /// checkpoints the cache has (with `restoring`), replays the outputs of those it restored,
    /// and stores those it saved.
    private func execute(_ program: TangledProgram, chapter: ParsedChapter, in folder: String, bookDirectory: String,
                         observer: (@Sendable (RunnerEvent) -> Void)?, checkpoints: [Int: String], restoring: Bool) -> OutputCutter.Execution {
        let files = ChapterProcess.Files(folder: folder)
        let manager = FileManager.default
        // Absolute: the program reads it through a link in its work folder.
        let store = CheckpointStore(directory: RealPath.of(cache.path) + "/checkpoints")
        try? manager.removeItem(atPath: files.checkpoints)
        var offered: [Int: CheckpointStore.Manifest] = [:]
        if !checkpoints.isEmpty {
            try? manager.createDirectory(atPath: files.checkpoints + "/restore", withIntermediateDirectories: true)
            try? manager.createDirectory(atPath: files.checkpoints + "/save", withIntermediateDirectories: true)
            for (block, key) in checkpoints where restoring {
                guard let manifest = store.valid(key) else { continue }
                if (try? manager.createSymbolicLink(atPath: files.checkpoints + "/restore/\(block)", withDestinationPath: store.folder(for: key))) != nil {
                    offered[block] = manifest
                }
            }
        }
        var execution = run(program, chapter: chapter, files: files, bookDirectory: bookDirectory, observer: observer)
        guard !checkpoints.isEmpty else { return execution }
        let restored = Set(((try? manager.contentsOfDirectory(atPath: files.checkpoints + "/restored")) ?? []).compactMap(Int.init))
            .intersection(offered.keys)
        if !restored.isEmpty && (execution.failedBlock != nil || execution.results.values.contains { $0.status == .failed }) {
            execution.restoredAndFailed = true
            return execution
        }
        for block in restored {
            guard let manifest = offered[block], let now = chapter.allBlocks.first(where: { $0.number == block }) else { continue }
            let moved = ResultCache.relocate(ChapterResult(blocks: [manifest.result]), from: [manifest.blockLine], to: [now.startLine],
                                             path: manifest.chapter, now: chapter.chapter.path)
            execution.results[block] = moved.blocks[0]
            execution.restoredBlocks.append(block)
        }
        for (block, key) in checkpoints where !restored.contains(block) && execution.results[block]?.status == .ran {
            guard let now = chapter.allBlocks.first(where: { $0.number == block }), let result = execution.results[block] else { continue }
            store.store(files.checkpoints + "/save/\(block)", key: key, chapter: chapter.chapter.path, blockLine: now.startLine, result: result)
        }
        return execution
    }

    private func run(_ program: TangledProgram, chapter: ParsedChapter, files: ChapterProcess.Files, bookDirectory: String,
                     observer: (@Sendable (RunnerEvent) -> Void)?) -> OutputCutter.Execution {
        let outcome: ChildProcess.Outcome
        do {
            outcome = try ChapterProcess(hostEnvironment: hostEnvironment, printLimit: printLimit, cancellation: cancellation)
                .run(chapter, files: files, bookDirectory: bookDirectory, observer: observer)
        } catch {
            var execution = OutputCutter.Execution()
            let number = program.blocks[0]
            execution.results[number] = BlockResult(status: .failed, failure: [error])
            execution.diagnostics.append(error)
            execution.failedBlock = number
            return execution
        }
        return OutputCutter(outputLimit: outputLimit, printLimit: printLimit)
            .cut(program, chapter: chapter, files: files, outcome: outcome)
    }
}
