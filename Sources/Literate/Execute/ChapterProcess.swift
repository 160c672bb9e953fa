#if canImport(Glibc)
import Glibc
#endif
import Foundation
import NotebookCore

/// The chapter process: a compiled chapter program run in its work folder, in the chapter's
/// environment and limits (README, "The execution contract"), with its progress read from the
/// side channel while it runs. Its outputs are files, which `OutputCutter` reads.
struct ChapterProcess: Sendable {
    /// `legend`'s own environment, from which a chapter's `env:` variables are taken.
    let hostEnvironment: [String: String]
    /// Most bytes a chapter program may print (stdout, stderr and rich outputs together).
    let printLimit: Int
    /// Stops the program when cancelled.
    var cancellation: Cancellation?

    /// Where a run's outputs are.
    struct Files {
        let folder: String
        var channel: String { folder + "/channel.jsonl" }
        var stdout: String { folder + "/stdout" }
        var stderr: String { folder + "/stderr" }
        var program: String { folder + "/chapter" }
        /// `restore/`, `save/` and `restored/` of the run's checkpoints (see `CheckpointStore`).
        var checkpoints: String { folder + "/checkpoints" }
    }

    /// Runs the program in `files.folder`; throws if it cannot be started.
    func run(_ chapter: ParsedChapter, files: Files, bookDirectory: String,
             observer: (@Sendable (RunnerEvent) -> Void)?) throws(Diagnostic) -> ChildProcess.Outcome {
        let channel = files.channel
        try? FileManager.default.removeItem(atPath: channel)
        let runToken = UUID().uuidString
        let environment = ChapterEnvironment.variables(
            for: chapter.chapter.frontMatter, host: hostEnvironment, runFolder: files.folder, channel: channel,
            bookDirectory: URL(fileURLWithPath: bookDirectory).standardizedFileURL.path, runToken: runToken,
            // Only a program with checkpointed blocks is told where its checkpoints are.
            checkpoints: FileManager.default.fileExists(atPath: files.checkpoints) ? files.checkpoints : nil)
        observer?(.running(block: nil, line: nil, blockSeconds: 0))
        let lines = Dictionary(uniqueKeysWithValues: chapter.allBlocks.map { ($0.number, $0.codeStartLine) })
        var onTick: (@Sendable (Double) -> Void)?
        if let observer {
            onTick = { @Sendable (elapsed: Double) -> Void in
                // The last `begin` in the channel names the block the program is in.
                guard let begin = ChapterProcess.lastBegin(channel) else {
                    observer(.running(block: nil, line: nil, blockSeconds: elapsed))
                    return
                }
                let since = begin.time.map { ChapterProcess.monotonicNow() - $0 } ?? elapsed
                observer(.running(block: begin.block, line: lines[begin.block], blockSeconds: since))
            }
        }
        return try ChildProcess(executable: files.program, environment: environment,
                                stdoutPath: files.stdout, stderrPath: files.stderr,
                                timeout: chapter.chapter.frontMatter.timeout, onTick: onTick,
                                memoryLimit: chapter.chapter.frontMatter.memory ?? Runner.defaultMemoryLimit,
                                outputLimit: printLimit, watchedFiles: [channel], runToken: runToken,
                                cancellation: cancellation).run()
    }

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
}
