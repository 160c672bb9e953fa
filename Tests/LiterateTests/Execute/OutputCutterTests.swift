import Foundation
import Testing
@testable import Literate
import NotebookCore

/// The output cutter on files written by hand: what a run leaves becomes block results.
@Suite struct OutputCutterTests {
    /// A run folder holding `stdout`, `stderr` and the channel `records`.
    func files(stdout: String, stderr: String = "", records: [ChannelRecord], extra: String = "") throws -> ChapterProcess.Files {
        let folder = NSTemporaryDirectory() + "legend-cutter-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let files = ChapterProcess.Files(folder: folder)
        try stdout.write(toFile: files.stdout, atomically: true, encoding: .utf8)
        try stderr.write(toFile: files.stderr, atomically: true, encoding: .utf8)
        let encoder = ChannelRecord.makeEncoder()
        var channel = Data()
        for record in records { channel += try encoder.encode(record) + Data("\n".utf8) }
        channel += Data(extra.utf8)
        try channel.write(to: URL(fileURLWithPath: files.channel))
        return files
    }

    let chapter = try! parse("# Two blocks\n\n```swift-run\nprint(\"a\")\n```\n\n```swift-run\nprint(\"b\")\n```\n")
    var program: TangledProgram { Tangler().tangle(chapter) }

    @Test func textIsCutAtTheOffsetsOfItsBlock() throws {
        let table = RichOutput.table(Table(columns: [.init("x")], rows: [[.text("1")]]))
        let files = try files(stdout: "a\nmore\nb\n", records: [
            ChannelRecord(event: .begin, block: 1, stdoutOffset: 0, stderrOffset: 0),
            ChannelRecord(event: .output, block: 1, stdoutOffset: 2, stderrOffset: 0, output: table),
            ChannelRecord(event: .end, block: 1, stdoutOffset: 7, stderrOffset: 0),
            ChannelRecord(event: .begin, block: 2, stdoutOffset: 7, stderrOffset: 0),
            ChannelRecord(event: .end, block: 2, stdoutOffset: 9, stderrOffset: 0),
        ])
        defer { try? FileManager.default.removeItem(atPath: files.folder) }
        let execution = OutputCutter().cut(program, chapter: chapter, files: files,
                                           outcome: .init(termination: .exited(0), seconds: 0.1))
        #expect(execution.results[1] == BlockResult(status: .ran, items: [.text("a\n"), .rich(table), .text("more\n")]))
        #expect(execution.results[2] == BlockResult(status: .ran, items: [.text("b\n")]))
        #expect(execution.failedBlock == nil)
    }

    @Test func aBlockWithoutEndFailedAndTheNextDidNotRun() throws {
        let files = try files(stdout: "a\n", stderr: "note\nFatal error: boom\n", records: [
            ChannelRecord(event: .begin, block: 1, stdoutOffset: 0, stderrOffset: 0),
        ])
        defer { try? FileManager.default.removeItem(atPath: files.folder) }
        let execution = OutputCutter().cut(program, chapter: chapter, files: files,
                                           outcome: .init(termination: .signaled(4), seconds: 0.1))
        #expect(execution.failedBlock == 1)
        #expect(execution.results[1]?.status == .failed)
        #expect(execution.results[1]?.stderr == "note")
        #expect(execution.results[1]?.error == "book/01-test.md:4: error: block 1 trapped: Fatal error: boom")
        #expect(execution.results[2]?.status == .notRun)
    }

    @Test func linesThatAreNotRecordsFailTheirBlock() throws {
        let files = try files(stdout: "a\n", records: [ChannelRecord(event: .begin, block: 1, stdoutOffset: 0, stderrOffset: 0)],
                              extra: "{not json\n")
        defer { try? FileManager.default.removeItem(atPath: files.folder) }
        let execution = OutputCutter().cut(program, chapter: chapter, files: files,
                                           outcome: .init(termination: .exited(0), seconds: 0.1))
        #expect(execution.results[1]?.error?.contains("side channel holds 1 line that are not records") == true)
    }

    @Test(arguments: [
        ("plain output\n", "", "plain output\n"),
        ("before\nFatal error: boom\nCurrent stack trace:\n", "Fatal error: boom\nCurrent stack trace:\n", "before"),
        ("x\n*** Signal 11: Backtracing\n", "*** Signal 11: Backtracing\n", "x"),
    ])
    func theCrashReportIsSplitFromWhatTheBlockWrote(stderr: String, report: String, remainder: String) {
        let split = OutputCutter.splitCrashReport(stderr)
        #expect(split.report == report)
        #expect(split.remainder == remainder)
    }

    @Test func channelRecordsOutsideTheirStreamsAreCaught() {
        let begin = ChannelRecord(event: .begin, block: 1, stdoutOffset: 0, stderrOffset: 0)
        func problem(_ records: [ChannelRecord]) -> String? {
            OutputCutter.channelProblem([begin] + records, begin: begin, end: records.last { $0.event == .end }, stdoutSize: 10, stderrSize: 4)
        }
        #expect(problem([ChannelRecord(event: .end, block: 1, stdoutOffset: 10, stderrOffset: 4)]) == nil)
        #expect(problem([ChannelRecord(event: .end, block: 1, stdoutOffset: 11, stderrOffset: 0)])?.contains("stdout offset 11, outside the 10 bytes") == true)
        #expect(problem([ChannelRecord(event: .end, block: 1, stdoutOffset: 0, stderrOffset: -1)])?.contains("stderr offset -1") == true)
        #expect(problem([ChannelRecord(event: .output, block: 1, stdoutOffset: 8), ChannelRecord(event: .end, block: 1, stdoutOffset: 3)])?
            .contains("goes back") == true)
        #expect(problem([ChannelRecord(event: .end, block: 1, stdoutOffset: Int.min, stderrOffset: Int.max)]) != nil)
    }

}
