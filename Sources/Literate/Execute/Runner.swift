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
        var results = chapter.blocks.map { block -> BlockResult in
            if let problems = chapter.blockProblems[block.number] {
                return BlockResult(status: .failed, error: problems.map(\.description).joined(separator: "\n"))
            }
            return BlockResult(status: block.options.eval && !block.isEmpty ? .notRun : .skipped)
        }
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
            if let first = pending.first { results[first - 1] = BlockResult(status: .failed, error: error.description) }
            run.result = ChapterResult(blocks: results, diagnostics: diagnostics + [error])
            return run
        }
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let blocksByNumber = Dictionary(uniqueKeysWithValues: chapter.blocks.map { ($0.number, $0) })

        // Each pass compiles and runs the pending blocks. A block that fails as expected
        // (`//| error: true`) is taken out and the rest run again without it.
        while !pending.isEmpty {
            let program = Tangler().tangle(chapter, blocks: pending)
            observer?(.compiling)
            let compile = self.compile(program, chapter: chapter, in: folder)
            run.compileSeconds += compile.seconds
            run.compilations += 1
            diagnostics += compile.diagnostics.filter { $0.severity == .warning }
            if !compile.errorsByBlock.isEmpty {
                let failing = compile.errorsByBlock.keys.sorted()
                if let stop = failing.first(where: { !(blocksByNumber[$0]?.options.error ?? false) }) {
                    results[stop - 1] = BlockResult(status: .failed, error: compile.errorsByBlock[stop]!.text)
                    diagnostics += compile.errorsByBlock[stop]!.diagnostics
                    for expected in failing where expected < stop {
                        results[expected - 1] = BlockResult(status: .expectedFailure, error: compile.errorsByBlock[expected]!.text)
                    }
                    pending = pending.filter { $0 < stop && compile.errorsByBlock[$0] == nil }
                } else {
                    for expected in failing {
                        results[expected - 1] = BlockResult(status: .expectedFailure, error: compile.errorsByBlock[expected]!.text)
                    }
                    pending = pending.filter { compile.errorsByBlock[$0] == nil }
                }
                continue
            }
            guard compile.succeeded else {
                results[pending[0] - 1] = BlockResult(status: .failed, error: compile.unattributed)
                diagnostics.append(.error("the chapter program did not build: \(compile.unattributed)", file: chapter.chapter.path))
                break
            }
            let execution = execute(program, chapter: chapter, in: folder, bookDirectory: bookDirectory, observer: observer)
            run.runSeconds += execution.seconds
            run.blockSeconds.merge(execution.blockSeconds) { _, new in new }
            for (number, result) in execution.results { results[number - 1] = result }
            diagnostics += execution.diagnostics
            guard let failed = execution.failedBlock, blocksByNumber[failed]?.options.error == true else { break }
            pending.removeAll { $0 == failed }
        }
        // A second pass (after an expected failure) repeats the compiler's warnings: keep one.
        var seen = Set<String>()
        diagnostics = diagnostics.filter { seen.insert($0.description).inserted }
        run.result = ChapterResult(blocks: results, diagnostics: diagnostics)
        return run
    }

    // MARK: Compile

    struct Compilation {
        struct BlockErrors {
            var diagnostics: [Diagnostic] = []
            var lines: [String] = []
            var text: String { lines.joined(separator: "\n") }
        }
        var succeeded: Bool
        var diagnostics: [Diagnostic]
        var errorsByBlock: [Int: BlockErrors]
        var unattributed: String
        var seconds: Double
    }

    func compile(_ program: TangledProgram, chapter: ParsedChapter, in folder: String) -> Compilation {
        let source = folder + "/main.swift"
        let binary = folder + "/chapter"
        try? FileManager.default.removeItem(atPath: binary)
        do {
            try program.source.write(toFile: source, atomically: true, encoding: .utf8)
        } catch {
            return Compilation(succeeded: false, diagnostics: [], errorsByBlock: [:],
                               unattributed: "cannot write \(source): \(error.localizedDescription)", seconds: 0)
        }
        var arguments = ["-Onone", "-g", "-swift-version", "5", "-module-name", "Chapter", "-diagnostic-style=llvm",
                         "-I", runtime.directory + "/Modules"]
        for include in runtime.includeDirectories { arguments += ["-I", include] }
        arguments += ["-L", runtime.directory, "-l" + Runtime.libraryName,
                      "-Xlinker", "-rpath", "-Xlinker", runtime.directory, source, "-o", binary]
        let log = folder + "/compile.log"
        let outcome: ChildProcess.Outcome
        do {
            outcome = try ChildProcess(executable: runtime.compiler.path, arguments: arguments,
                                       stdoutPath: log + ".out", stderrPath: log,
                                       timeout: compileTimeout).run()
        } catch {
            return Compilation(succeeded: false, diagnostics: [], errorsByBlock: [:], unattributed: error.description, seconds: 0)
        }
        let text = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
        var compilation = Compilation(succeeded: outcome.termination == .exited(0), diagnostics: [], errorsByBlock: [:],
                                      unattributed: "", seconds: outcome.seconds)
        if outcome.termination == .timedOut {
            compilation.unattributed = "compiling took longer than \(Int(compileTimeout)) s and was stopped"
            return compilation
        }
        var current: Int?
        var unattributed: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if var diagnostic = Runner.parseDiagnostic(line) {
                let block = attribute(&diagnostic, program: program, chapter: chapter)
                compilation.diagnostics.append(diagnostic)
                current = diagnostic.severity == .warning ? nil : (diagnostic.severity == .note ? current : block)
                if diagnostic.severity == .error {
                    if let block {
                        compilation.errorsByBlock[block, default: .init()].diagnostics.append(diagnostic)
                        compilation.errorsByBlock[block, default: .init()].lines.append(diagnostic.description)
                    } else {
                        unattributed.append(diagnostic.description)
                    }
                } else if diagnostic.severity == .note, let current, diagnostic.file == chapter.chapter.path {
                    compilation.errorsByBlock[current]?.lines.append(diagnostic.description)
                }
            } else if let current, !line.isEmpty {
                // The source line and caret that follow a diagnostic.
                compilation.errorsByBlock[current]?.lines.append(String(line))
            } else if !line.isEmpty, !compilation.succeeded, line.contains("error") {
                unattributed.append(String(line))
            }
        }
        compilation.unattributed = unattributed.isEmpty
            ? text.split(separator: "\n").suffix(10).joined(separator: "\n")
            : unattributed.joined(separator: "\n")
        if !compilation.succeeded && compilation.errorsByBlock.isEmpty && compilation.unattributed.isEmpty {
            compilation.unattributed = "swiftc ended with \(outcome.termination)"
        }
        return compilation
    }

    /// Reads `file:line:col: severity: message`, the compiler's one-line diagnostic form.
    static func parseDiagnostic(_ line: Substring) -> Diagnostic? {
        for severity in [Diagnostic.Severity.error, .warning, .note] {
            guard let marker = line.range(of: ": \(severity.rawValue): ") else { continue }
            let location = line[..<marker.lowerBound].split(separator: ":", omittingEmptySubsequences: false)
            guard location.count >= 3, let lineNumber = Int(location[location.count - 2]),
                  let column = Int(location[location.count - 1]) else { continue }
            let file = location.dropLast(2).joined(separator: ":")
            return Diagnostic(severity, String(line[marker.upperBound...]), file: file, line: lineNumber, column: column)
        }
        return nil
    }

    /// Finds the block a diagnostic belongs to; one reported in the generated framing (an
    /// unbalanced brace) is moved to its block's last line.
    private func attribute(_ diagnostic: inout Diagnostic, program: TangledProgram, chapter: ParsedChapter) -> Int? {
        guard let line = diagnostic.line else { return nil }
        if diagnostic.file == chapter.chapter.path {
            return chapter.blocks.first { $0.codeStartLine <= line && line <= $0.endLine }?.number
        }
        if diagnostic.file?.hasSuffix("/main.swift") == true, let number = program.block(atProgramLine: line),
           let block = chapter.blocks.first(where: { $0.number == number }) {
            diagnostic.file = chapter.chapter.path
            diagnostic.line = max(block.codeStartLine, block.endLine - 1)
            diagnostic.column = nil
            return number
        }
        return nil
    }

    // MARK: Execute

    struct Execution {
        var results: [Int: BlockResult] = [:]
        var diagnostics: [Diagnostic] = []
        var failedBlock: Int?
        var seconds: Double = 0
        var blockSeconds: [Int: Double] = [:]
    }

    func execute(_ program: TangledProgram, chapter: ParsedChapter, in folder: String, bookDirectory: String,
                 observer: (@Sendable (RunnerEvent) -> Void)?) -> Execution {
        let channel = folder + "/channel.jsonl", stdoutPath = folder + "/stdout", stderrPath = folder + "/stderr"
        try? FileManager.default.removeItem(atPath: channel)
        let runToken = UUID().uuidString
        let environment = ChapterEnvironment.variables(
            for: chapter.chapter.frontMatter, host: hostEnvironment, runFolder: folder, channel: channel,
            bookDirectory: URL(fileURLWithPath: bookDirectory).standardizedFileURL.path, runToken: runToken)
        let path = chapter.chapter.path
        var execution = Execution()
        let outcome: ChildProcess.Outcome
        observer?(.running(block: nil, line: nil, blockSeconds: 0))
        let lines = Dictionary(uniqueKeysWithValues: chapter.blocks.map { ($0.number, $0.codeStartLine) })
        var onTick: (@Sendable (Double) -> Void)?
        if let observer {
            onTick = { @Sendable (elapsed: Double) -> Void in
                // The last `begin` in the channel names the block the program is in.
                guard let begin = Runner.lastBegin(channel) else {
                    observer(.running(block: nil, line: nil, blockSeconds: elapsed))
                    return
                }
                let since = begin.time.map { Runner.monotonicNow() - $0 } ?? elapsed
                observer(.running(block: begin.block, line: lines[begin.block], blockSeconds: since))
            }
        }
        do {
            outcome = try ChildProcess(executable: folder + "/chapter", environment: environment,
                                       stdoutPath: stdoutPath, stderrPath: stderrPath,
                                       timeout: chapter.chapter.frontMatter.timeout, onTick: onTick,
                                       memoryLimit: chapter.chapter.frontMatter.memory ?? Runner.defaultMemoryLimit,
                                       outputLimit: printLimit, watchedFiles: [channel], runToken: runToken).run()
        } catch {
            let number = program.blocks[0]
            execution.results[number] = BlockResult(status: .failed, error: error.description)
            execution.diagnostics.append(error)
            execution.failedBlock = number
            return execution
        }
        execution.seconds = outcome.seconds
        let channelLines = Runner.readChannel(channel)
        let records = channelLines.records
        let stdoutSize = Runner.fileSize(stdoutPath), stderrSize = Runner.fileSize(stderrPath)
        for number in program.blocks {
            guard let block = chapter.blocks.first(where: { $0.number == number }) else { continue }
            let blockRecords = records.filter { $0.block == number }
            guard let begin = blockRecords.first(where: { $0.event == .begin }) else {
                execution.results[number] = BlockResult(status: .notRun)
                continue
            }
            let end = blockRecords.first(where: { $0.event == .end })
            // The channel is a file the program can write to: a record that does not fit the
            // streams (an offset outside them, or going back) fails its block, never `legend`.
            let forgery = Runner.channelProblem(blockRecords, begin: begin, end: end, stdoutSize: stdoutSize, stderrSize: stderrSize)
                ?? channelLines.unreadable[number].map { "\($0) line\($0 == 1 ? "" : "s") that are not records" }
            if let forgery {
                let message = Diagnostic.error("block \(number)'s outputs cannot be trusted: Legend's side channel holds \(forgery); a block must not write to the file named by \(ChannelRecord.environmentKey)",
                                               file: path, line: block.startLine)
                execution.results[number] = BlockResult(status: .failed, error: message.description)
                execution.diagnostics.append(message)
                execution.failedBlock = number
                break
            }
            if let start = begin.time, let stop = end?.time { execution.blockSeconds[number] = stop - start }
            var result = BlockResult(status: .ran)
            // Printed text between outputs, cut at the offsets the records carry.
            var position = begin.stdoutOffset ?? 0
            for record in blockRecords where record.event == .output {
                let offset = record.stdoutOffset ?? position
                if offset > position { result.items.append(.text(readText(stdoutPath, from: position, to: offset))) }
                position = max(position, offset)
                if let output = record.output { result.items.append(.rich(output)) }
            }
            let stdoutEnd = end?.stdoutOffset ?? stdoutSize
            if stdoutEnd > position { result.items.append(.text(readText(stdoutPath, from: position, to: stdoutEnd))) }
            var stderr = readText(stderrPath, from: begin.stderrOffset ?? 0, to: end?.stderrOffset ?? stderrSize)
            if end == nil {
                let (report, remainder) = Runner.splitCrashReport(stderr)
                stderr = remainder
                let message = failureMessage(outcome.termination, report: report, block: block, chapter: chapter)
                result.status = block.options.error ? .expectedFailure : .failed
                result.error = message.description
                if !block.options.error { execution.diagnostics.append(message) }
                execution.failedBlock = number
            } else if block.options.error {
                execution.diagnostics.append(.warning("block \(number) is marked '//| error: true' but ran without error",
                                                      file: path, line: block.startLine))
            }
            result.stderr = stderr
            execution.results[number] = result
        }
        return execution
    }

    private func failureMessage(_ termination: ChildProcess.Termination, report: String, block: SwiftRunBlock,
                                chapter: ParsedChapter) -> Diagnostic {
        let path = chapter.chapter.path
        let fileName = URL(fileURLWithPath: path).lastPathComponent
        // The first frame of the crash report that is in this chapter gives the exact line.
        var line = block.codeStartLine, column: Int?
        if let frame = report.range(of: " at \(path):") {
            let numbers = report[frame.upperBound...].prefix(while: { $0.isNumber || $0 == ":" }).split(separator: ":")
            if let found = numbers.first.flatMap({ Int($0) }) { line = found }
            if numbers.count > 1 { column = Int(numbers[1]) }
        }
        var fatal: String?
        for reportLine in report.split(separator: "\n") {
            guard let kind = Runner.runtimeErrorKinds.lazy.compactMap({ reportLine.range(of: $0) }).first else { continue }
            // `Chapter/01-x.md:12: Fatal error: boom` names the chapter by module; the line is enough.
            if reportLine.hasPrefix("Chapter/\(fileName):"),
               let number = Int(reportLine.dropFirst("Chapter/\(fileName):".count).prefix(while: \.isNumber)) {
                line = number
                column = nil
            }
            fatal = String(reportLine[kind.lowerBound...])
            break
        }
        let what: String
        if report.contains("failed to allocate") || report.contains("Could not allocate memory") {
            let limit = chapter.chapter.frontMatter.memory ?? Runner.defaultMemoryLimit
            return .error("block \(block.number) ran out of memory: the chapter's program may use at most \(Runner.bytes(limit)); if it needs more, raise 'memory:' in the chapter's front matter (such as 'memory: 8 GB')",
                          file: path, line: line, column: column)
        }
        switch termination {
        case .outputLimitExceeded:
            return .error("block \(block.number) printed more than \(Runner.bytes(printLimit)), the most a chapter may print, and was stopped; print a summary instead, or write large data to a file",
                          file: path, line: block.startLine)
        case .timedOut:
            return .error("block \(block.number) was still running after \(Runner.seconds(chapter.chapter.frontMatter.timeout)) and was stopped; if it needs longer, raise 'timeout:' in the chapter's front matter",
                          file: path, line: block.startLine)
        case .signaled(let signal):
            what = fatal.map { "trapped: \($0)" } ?? "crashed with signal \(signal) (\(Runner.signalName(signal)))"
        case .exited(let status):
            what = fatal.map { "trapped: \($0)" } ?? "ended the program with exit status \(status) before the block finished"
        }
        return .error("block \(block.number) \(what)", file: path, line: line, column: column)
    }

    /// How the Swift runtime words a trap: `file:line: Fatal error: message`.
    static let runtimeErrorKinds = ["Fatal error", "Precondition failed", "Assertion failed"]

    /// Separates the runtime's crash report from what the block itself wrote to stderr.
    static func splitCrashReport(_ stderr: String) -> (report: String, remainder: String) {
        let lines = stderr.split(separator: "\n", omittingEmptySubsequences: false)
        let markers = runtimeErrorKinds + ["*** Signal", "*** Program crashed", "Current stack trace", "swift-runtime:", "💣"]
        guard let start = lines.firstIndex(where: { line in markers.contains { line.contains($0) } }) else {
            return ("", stderr)
        }
        return (lines[start...].joined(separator: "\n"), lines[..<start].joined(separator: "\n"))
    }

    /// The last `begin` record of a channel that is still being written.
    static func lastBegin(_ path: String) -> ChannelRecord? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let decoder = ChannelRecord.makeDecoder()
        for line in data.split(separator: UInt8(ascii: "\n")).reversed() {
            guard line.count < 512, let record = try? decoder.decode(ChannelRecord.self, from: Data(line)) else { continue }
            if record.event == .begin { return record }
        }
        return nil
    }

    static func monotonicNow() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// The records of a channel, and for each block the number of lines written while it ran
    /// that are not records.
    static func readChannel(_ path: String) -> (records: [ChannelRecord], unreadable: [Int: Int]) {
        guard let data = FileManager.default.contents(atPath: path) else { return ([], [:]) }
        let decoder = ChannelRecord.makeDecoder()
        var records: [ChannelRecord] = [], unreadable: [Int: Int] = [:]
        for line in data.split(separator: UInt8(ascii: "\n")) {
            if let record = try? decoder.decode(ChannelRecord.self, from: Data(line)) {
                records.append(record)
            } else {
                unreadable[records.last(where: { $0.event == .begin })?.block ?? 1, default: 0] += 1
            }
        }
        return (records, unreadable)
    }

    /// What is wrong with a block's records, or nil: every offset must lie within its stream,
    /// and the stdout offsets of begin, outputs and end must not go back.
    static func channelProblem(_ records: [ChannelRecord], begin: ChannelRecord, end: ChannelRecord?,
                               stdoutSize: Int, stderrSize: Int) -> String? {
        for record in records {
            if let offset = record.stdoutOffset, !(0...stdoutSize).contains(offset) {
                return "a record with stdout offset \(offset), outside the \(stdoutSize) bytes printed"
            }
            if let offset = record.stderrOffset, !(0...stderrSize).contains(offset) {
                return "a record with stderr offset \(offset), outside the \(stderrSize) bytes written"
            }
        }
        var position = begin.stdoutOffset ?? 0
        for record in records where record.event == .output || record.event == .end {
            guard let offset = record.stdoutOffset else { continue }
            if offset < position { return "a record whose stdout offset \(offset) goes back before \(position)" }
            position = offset
        }
        if let start = begin.stderrOffset, let stop = end?.stderrOffset, stop < start {
            return "an end record whose stderr offset \(stop) goes back before \(start)"
        }
        return nil
    }

    static func fileSize(_ path: String) -> Int {
        (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }

    /// Bytes `from..<to` of a file as text, at most `outputLimit` of them, with a note if cut.
    func readText(_ path: String, from start: Int, to end: Int) -> String {
        guard start >= 0, end > start, let handle = FileHandle(forReadingAtPath: path) else { return "" }
        defer { try? handle.close() }
        let wanted = min(end - start, outputLimit)
        try? handle.seek(toOffset: UInt64(start))
        let data = (try? handle.read(upToCount: wanted)) ?? Data()
        var text = String(decoding: data, as: UTF8.self)
        if end - start > outputLimit {
            text += "\n[output truncated: the block printed \(end - start) bytes; the first \(outputLimit) are shown]\n"
        }
        return text
    }

    /// `64 MB`, `12 GB`: binary units, rounded.
    static func bytes(_ value: Int) -> String {
        value >= 1 << 30 && value % (1 << 30) == 0 || value >= 10 << 30 ? "\(Int((Double(value) / Double(1 << 30)).rounded())) GB"
            : value >= 1 << 30 ? String(format: "%.1f GB", Double(value) / Double(1 << 30))
            : "\(Int((Double(value) / Double(1 << 20)).rounded())) MB"
    }

    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? "\(Int(value)) s" : String(format: "%.1f s", value)
    }

    static func signalName(_ signal: Int32) -> String {
        switch signal {
        case 4: return "SIGILL, a Swift runtime trap"
        case 5: return "SIGTRAP, a Swift runtime trap"
        case 6: return "SIGABRT"
        case 9: return "SIGKILL"
        case 11: return "SIGSEGV, a bad memory access or a stack overflow"
        case 7: return "SIGBUS"
        case 8: return "SIGFPE"
        default: return "signal \(signal)"
        }
    }
}
