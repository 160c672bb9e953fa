#if canImport(Glibc)
@preconcurrency import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
@_exported import NotebookCore
import TensorForge

/// The hooks a tangled chapter program calls around each block. Chapter authors never call these;
/// `Tangler` writes the calls (see DESIGN.md, "Execution contract").
public enum LegendSession {
    nonisolated(unsafe) private static var channel: Int32 = -1
    nonisolated(unsafe) private(set) static var currentBlock = 0

    /// Called once before the first block: seeds the generator and opens the side channel.
    public static func start(seed: Int) {
        // Line-buffered, so a block that traps loses at most its unfinished last line.
        setvbuf(stdout, nil, _IOLBF, 0)
        if let path = ProcessInfo.processInfo.environment[SessionProtocol.channelVariable] {
            channel = open(path, O_WRONLY | O_APPEND | O_CREAT, 0o644)
        }
        // Blocks read files relative to their book, wherever `legend` was started.
        if let directory = ProcessInfo.processInfo.environment[SessionProtocol.bookDirectoryVariable] {
            _ = FileManager.default.changeCurrentDirectoryPath(directory)
        }
        manualSeed(seed)
    }

    public static func begin(_ block: Int) {
        currentBlock = block
        fflush(nil)
        send(ChannelRecord(event: .begin, block: block, stdoutOffset: offset(1), stderrOffset: offset(2), time: now()))
    }

    public static func end(_ block: Int) {
        fflush(nil)
        send(ChannelRecord(event: .end, block: block, stdoutOffset: offset(1), stderrOffset: offset(2), time: now()))
    }

    /// Seconds on the monotonic clock; the runner only uses differences.
    private static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    /// Collects what a piece of code shows instead of sending it, for tests; task-local, so tests
    /// that run at the same time do not see each other's outputs.
    @TaskLocal static var capture: OutputCapture?

    /// Sends a rich output of the current block to the runner.
    public static func emit(_ output: RichOutput) {
        if let capture {
            capture.append(output)
            return
        }
        fflush(nil)
        if channel < 0 {
            // Run outside Legend (for example a tangled program compiled by hand): print instead.
            print(TerminalWriter.text(output), terminator: "")
            return
        }
        send(ChannelRecord(event: .output, block: currentBlock, stdoutOffset: offset(1), stderrOffset: offset(2), output: output))
    }

    /// Sends a claim of the current block to the runner. It stops nothing: a claim that does
    /// not hold fails its block when the run is cut into results, after the block has shown
    /// everything it computed.
    public static func record(_ claim: Claim) {
        if channel < 0 {
            // Run outside Legend: say it, so a false claim is not silent.
            print(claim.holds ? "✓ claim: \(claim.statementLine)" : "✗ \(claim.failureMessage)")
            return
        }
        send(ChannelRecord(event: .claim, block: currentBlock, claim: claim))
    }

    private static func offset(_ descriptor: Int32) -> Int? {
        let position = lseek(descriptor, 0, SEEK_CUR)
        return position < 0 ? nil : Int(position)
    }

    private static func send(_ record: ChannelRecord) {
        guard channel >= 0, var line = try? ChannelRecord.makeEncoder().encode(record) else { return }
        line.append(UInt8(ascii: "\n"))
        line.withUnsafeBytes { buffer in
            var written = 0
            while written < buffer.count {
                let result = write(channel, buffer.baseAddress! + written, buffer.count - written)
                if result <= 0 { return }
                written += result
            }
        }
    }
}

/// The outputs a block's code showed, in order, while `LegendSession.capture` was set.
final class OutputCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [RichOutput] = []

    var outputs: [RichOutput] { lock.withLock { collected } }
    func append(_ output: RichOutput) { lock.withLock { collected.append(output) } }

    /// What `body` shows (and what `displayLast` prints, as text).
    static func outputs(of body: () -> Void) -> [RichOutput] {
        let capture = OutputCapture()
        LegendSession.$capture.withValue(capture, operation: body)
        return capture.outputs
    }
}
