#if canImport(Glibc)
import Glibc
#endif
import Foundation
import NotebookCore

/// The output cutter: a finished run's files (stdout, stderr, the side channel) cut into
/// per-block results by the byte offsets the channel records carry (DESIGN.md, "The side
/// channel"), with a failed block's message located in the Markdown.
struct OutputCutter: Sendable {
    /// Most bytes of printed text kept per block; the rest is dropped with a visible note.
    var outputLimit = 1 << 20
    /// The print limit the run had, for the message of a program stopped by it.
    var printLimit = 64 << 20

    struct Execution {
        var results: [Int: BlockResult] = [:]
        var diagnostics: [Diagnostic] = []
        var failedBlock: Int?
        var seconds: Double = 0
        var blockSeconds: [Int: Double] = [:]
        /// Blocks restored from their checkpoints (see `Runner`).
        var restoredBlocks: [Int] = []
        /// A checkpoint was restored and a block failed: the run is repeated without them.
        var restoredAndFailed = false
    }

    /// The results of the blocks of `program` after a run that ended as `outcome`.
    func cut(_ program: TangledProgram, chapter: ParsedChapter, files: ChapterProcess.Files,
             outcome: ChildProcess.Outcome) -> Execution {
        let channel = files.channel, stdoutPath = files.stdout, stderrPath = files.stderr
        let path = chapter.chapter.path
        var execution = Execution()
        execution.seconds = outcome.seconds
        let channelLines = OutputCutter.readChannel(channel)
        let records = channelLines.records
        let stdoutSize = OutputCutter.fileSize(stdoutPath), stderrSize = OutputCutter.fileSize(stderrPath)
        for number in program.blocks {
            guard let block = chapter.allBlocks.first(where: { $0.number == number }) else { continue }
            let blockRecords = records.filter { $0.block == number }
            guard let begin = blockRecords.first(where: { $0.event == .begin }) else {
                execution.results[number] = BlockResult(status: .notRun)
                continue
            }
            let end = blockRecords.first(where: { $0.event == .end })
            // The channel is a file the program can write to: a record that does not fit the
            // streams (an offset outside them, or going back) fails its block, never `legend`.
            let forgery = OutputCutter.channelProblem(blockRecords, begin: begin, end: end, stdoutSize: stdoutSize, stderrSize: stderrSize)
                ?? channelLines.unreadable[number].map { "\($0) line\($0 == 1 ? "" : "s") that are not records" }
            if let forgery {
                let message = Diagnostic.error("block \(number)'s outputs cannot be trusted: Legend's side channel holds \(forgery); a block must not write to the file named by \(SessionProtocol.channelVariable)",
                                               file: path, line: block.startLine)
                execution.results[number] = BlockResult(status: .failed, failure: [message])
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
                let (report, remainder) = OutputCutter.splitCrashReport(stderr)
                stderr = remainder
                let message = failureMessage(outcome.termination, report: report, block: block, chapter: chapter)
                result.status = block.options.error ? .expectedFailure : .failed
                result.failure = [message]
                if !block.options.error { execution.diagnostics.append(message) }
                execution.failedBlock = number
            }
            // A claim that does not hold fails its block even under `//| error: true`: that
            // option excuses an expected error, never a statement the numbers do not support.
            result.claims = blockRecords.compactMap { $0.event == .claim ? $0.claim : nil }
            let unsupported = result.claims.filter { !$0.holds }.map { Diagnostic.error($0.failureMessage, file: $0.file, line: $0.line) }
            if !unsupported.isEmpty {
                result.status = .failed
                result.failure += unsupported
                execution.diagnostics += unsupported
            } else if end != nil && block.options.error {
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
            guard let kind = OutputCutter.runtimeErrorKinds.lazy.compactMap({ reportLine.range(of: $0) }).first else { continue }
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
            return .error("\(block.name) ran out of memory: the chapter's program may use at most \(OutputCutter.bytes(limit)); if it needs more, raise 'memory:' in the chapter's front matter (such as 'memory: 8 GB')",
                          file: path, line: line, column: column)
        }
        switch termination {
        case .outputLimitExceeded:
            return .error("\(block.name) printed more than \(OutputCutter.bytes(printLimit)), the most a chapter may print, and was stopped; print a summary instead, or write large data to a file",
                          file: path, line: block.startLine)
        case .cancelled:
            return .error("\(block.name) was stopped: an edit made this run stale", file: path, line: block.startLine)
        case .timedOut:
            return .error("\(block.name) was still running after \(OutputCutter.seconds(chapter.chapter.frontMatter.timeout)) and was stopped; if it needs longer, raise 'timeout:' in the chapter's front matter",
                          file: path, line: block.startLine)
        case .signaled(let signal):
            what = fatal.map { "trapped: \($0)" } ?? "crashed with signal \(signal) (\(OutputCutter.signalName(signal)))"
        case .exited(let status):
            what = fatal.map { "trapped: \($0)" } ?? "ended the program with exit status \(status) before the block finished"
        }
        return .error("\(block.name) \(what)", file: path, line: line, column: column)
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
