import Foundation

/// Progress on a terminal: finished chapters and diagnostics scroll as lines, and below them a
/// status area, redrawn in place, shows every chapter still queued, compiling or running —
/// with the block it is in and for how long.
public final class TerminalProgress: @unchecked Sendable {
    private let lock = NSLock()
    private var states: [(path: String, state: ChapterState)] = []
    private var drawnLines = 0
    private var lastDraw = Date.distantPast
    private let write: (String) -> Void

    public init(write: @escaping (String) -> Void = { FileHandle.standardError.write(Data($0.utf8)) }) {
        self.write = write
    }

    /// Whether stderr is a terminal that understands cursor movement.
    public static var isAvailable: Bool {
        isatty(2) == 1 && ProcessInfo.processInfo.environment["TERM"].map { $0 != "dumb" } ?? false
    }

    /// A line that stays: printed above the status area.
    public func log(_ line: String) {
        lock.lock()
        defer { lock.unlock() }
        write(clearArea() + line + "\n" + area())
    }

    public func update(_ path: String, _ state: ChapterState) {
        lock.lock()
        defer { lock.unlock() }
        if let index = states.firstIndex(where: { $0.path == path }) {
            if state == .done { states.remove(at: index) } else { states[index].state = state }
        } else if state != .done {
            states.append((path, state))
        }
        // At most ten redraws a second, but always when a chapter changes phase.
        if case .running = state, Date().timeIntervalSince(lastDraw) < 0.1 { return }
        write(clearArea() + area())
    }

    private func clearArea() -> String {
        guard drawnLines > 0 else { return "" }
        defer { drawnLines = 0 }
        return "\u{1B}[\(drawnLines)A\u{1B}[J"
    }

    private func area() -> String {
        lastDraw = Date()
        let active = states.filter { $0.state != .queued }
        let queued = states.count - active.count
        var lines = active.map { entry -> String in
            switch entry.state {
            case .compiling: return "  compiling  \(entry.path)"
            case .running(let block, let line, let seconds):
                let position = block.map { "block \($0)" + (line.map { " (line \($0))" } ?? "") } ?? "starting"
                return String(format: "  running    %@  %@, %.1f s", entry.path, position, seconds)
            default: return ""
            }
        }
        if queued > 0 { lines.append("  queued     \(queued) chapter\(queued == 1 ? "" : "s")") }
        drawnLines = lines.count
        return lines.map { $0 + "\n" }.joined()
    }
}
