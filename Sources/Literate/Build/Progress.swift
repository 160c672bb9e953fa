import Foundation

/// The lines `legend build` prints: one per chapter as it finishes, and a summary.
enum Progress {
    static func line(_ report: ChapterReport) -> String {
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
        var text = String(format: "Built %d chapter%@ (%d ran, %d cached) into %@ in %.2f s",
                          chapters, chapters == 1 ? "" : "s", ran, cached, report.outputPath, report.seconds)
        text += failed == 0 ? "." : "; \(failed) chapter\(failed == 1 ? "" : "s") had failures."
        return text
    }

    /// Names a chapter still running after 10 s, and again every 10 s, so a hang is never anonymous.
    static func slowChapterNotice(path: String, log: @escaping @Sendable (String) -> Void) -> @Sendable (Double) -> Void {
        let lastNotice = Locked(0)
        return { elapsed in
            let decade = Int(elapsed / 10)
            guard decade >= 1 else { return }
            let notify = lastNotice.withLock { last -> Bool in
                defer { last = max(last, decade) }
                return decade > last
            }
            if notify { log("  running  \(path): still running after \(decade * 10) s") }
        }
    }
}
