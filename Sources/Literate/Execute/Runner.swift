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
            let compile = ChapterCompiler(runtime: runtime, timeout: compileTimeout).compile(program, chapter: chapter, in: folder)
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
            let execution = execute(program, chapter: chapter, in: folder, bookDirectory: bookDirectory, observer: observer)
            run.runSeconds += execution.seconds
            run.blockSeconds.merge(execution.blockSeconds) { _, new in new }
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

    /// Runs the compiled program and cuts its outputs into block results.
    private func execute(_ program: TangledProgram, chapter: ParsedChapter, in folder: String, bookDirectory: String,
                         observer: (@Sendable (RunnerEvent) -> Void)?) -> OutputCutter.Execution {
        let files = ChapterProcess.Files(folder: folder)
        let outcome: ChildProcess.Outcome
        do {
            outcome = try ChapterProcess(hostEnvironment: hostEnvironment, printLimit: printLimit)
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
