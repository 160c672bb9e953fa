import Foundation

/// The lines `legend build` prints: one per chapter with blocks as it finishes, and a summary
/// (a docs book of a hundred prose chapters prints one line, not a hundred).
enum Progress {
    /// The chapter's line, or nil for a chapter of prose that wove without a problem.
    static func line(_ report: ChapterReport) -> String? {
        if report.blockCount == 0 && !report.failed && report.problems.isEmpty { return nil }
        let blocks = "\(report.blockCount) block\(report.blockCount == 1 ? "" : "s")"
        guard let run = report.run else {
            return "  \(report.failed ? "failed " : "not run")  \(report.path)  \(blocks)"
        }
        let state: String
        if run.fromCache {
            state = "cached "
        } else if run.compilations == 0 {
            state = "woven  "
        } else {
            state = "ran    "
        }
        var text = "  \(state)  \(report.path)  \(blocks)"
        if !run.fromCache && run.compilations > 0 {
            text += String(format: ", compiled in %.2f s, ran in %.2f s", run.compileSeconds, run.runSeconds)
            if run.blockSeconds.count > 1, let slowest = run.blockSeconds.max(by: { $0.value < $1.value }) {
                text += String(format: " (slowest: block %d, %.2f s)", slowest.key, slowest.value)
            }
            if !run.restoredBlocks.isEmpty {
                let blocks = run.restoredBlocks.sorted().map(String.init).joined(separator: ", ")
                text += "; restored block\(run.restoredBlocks.count == 1 ? "" : "s") \(blocks) from \(run.restoredBlocks.count == 1 ? "its checkpoint" : "their checkpoints")"
            }
        }
        if report.failed {
            text += ", \(report.failures) failed"
        }
        return text
    }

    static func summary(_ report: BuildReport) -> String {
        let book = report.book
        let failed = report.chapters.filter(\.failed).count
        let cached = report.chapters.filter { $0.run?.fromCache == true }.count
        let ran = report.chapters.filter { ($0.run?.compilations ?? 0) > 0 }.count
        let chapters = book.chapters.count
        let prose = report.chapters.filter { $0.blockCount == 0 && !$0.failed }.count
        var text = String(format: "Built %d chapter%@ (%d ran, %d cached%@) into %@ in %.2f s",
                          chapters, chapters == 1 ? "" : "s", ran, cached,
                          prose > 0 ? ", \(prose) without blocks" : "", report.outputPath, report.seconds)
        let files = report.fileProblems.count
        if failed > 0 { text += "; \(failed) chapter\(failed == 1 ? "" : "s") had failures" }
        if files > 0 { text += "; \(files) file\(files == 1 ? "" : "s") could not be published" }
        if report.claims.count > 0 { text += "; \(report.claims)" }
        text += "."
        return text
    }

    /// Names the chapter and block still running after 10 s, and again every 10 s, so a hang is
    /// never anonymous.
    static func slowChapterNotice(path: String, log: @escaping @Sendable (String) -> Void) -> @Sendable (RunnerEvent) -> Void {
        let lastNotice = Locked(0)
        return { event in
            guard case .running(let block, let line, let seconds) = event, let block else { return }
            let decade = Int(seconds / 10)
            guard decade >= 1 else { return }
            let notify = lastNotice.withLock { last -> Bool in
                defer { last = max(last, decade) }
                return decade > last
            }
            if notify {
                log("  running  \(path):\(line.map(String.init) ?? "?"): block \(block) still running after \(decade * 10) s")
            }
        }
    }

    static func forwarding(path: String, to status: @escaping @Sendable (String, ChapterState) -> Void) -> @Sendable (RunnerEvent) -> Void {
        { event in
            switch event {
            case .compiling: status(path, .compiling)
            case .running(let block, let line, let seconds): status(path, .running(block: block, line: line, seconds: seconds))
            }
        }
    }
}

/// Where a chapter is in the build.
public enum ChapterState: Sendable, Equatable {
    case queued
    case compiling
    case running(block: Int?, line: Int?, seconds: Double)
    case done
}
