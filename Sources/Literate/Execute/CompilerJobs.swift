import Foundation

/// The jobs `swiftc` runs to build a chapter program — the frontend, `swift-autolink-extract`,
/// the link — learnt once per set of arguments from `swiftc -###`, so that later compiles run the
/// frontend and the linker themselves. The driver's start and the autolink step cost as much as
/// a small chapter's frontend (BENCHMARKS.md, "The author's inner loop"); a chapter's compile is
/// the bulk of an edit's wait in `legend serve`.
///
/// Only what is the same for every chapter is reused: the jobs' arguments, with the source,
/// binary and temporary paths put back in, and the libraries the autolink step found, for
/// programs that import the same modules. Anything unexpected (a job list of another shape, an
/// argument the listing would quote, a link that fails) and the compile goes through the driver.
struct CompilerJobs: Sendable {
    let frontend: [String]
    let autolink: [String]
    let link: [String]
    /// The placeholders the jobs were learnt with.
    static let source = "/legend-jobs/main.swift"
    static let binary = "/legend-jobs/chapter"

    /// Jobs learnt, by the driver's arguments (placeholders in place of the paths).
    private static let learnt = Locked<[[String]: CompilerJobs?]>([:])
    /// The libraries `swift-autolink-extract` found, by the jobs and the program's `import` lines.
    private static let libraries = Locked<[String: [String]]>([:])

    /// The jobs for `arguments` (which name `source` and `binary` as their paths), learnt from the
    /// driver once, or nil when they cannot be run directly.
    static func jobs(compiler: String, arguments: [String], folder: String) -> CompilerJobs? {
        let key = [compiler] + arguments
        if let known = learnt.withLock({ $0[key] }) { return known }
        let jobs = learn(compiler: compiler, arguments: arguments, folder: folder)
        learnt.withLock { $0[key] = jobs }
        return jobs
    }

    private static func learn(compiler: String, arguments: [String], folder: String) -> CompilerJobs? {
        let listing = folder + "/jobs"
        defer { try? FileManager.default.removeItem(atPath: listing) }
        guard let outcome = try? ChildProcess(executable: compiler, arguments: ["-###"] + arguments,
                                              stdoutPath: listing, stderrPath: listing + ".err", timeout: 60).run(),
              outcome.termination == .exited(0),
              let text = try? String(contentsOfFile: listing, encoding: .utf8) else { return nil }
        try? FileManager.default.removeItem(atPath: listing + ".err")
        let lines = text.split(separator: "\n").map(String.init)
        // Arguments are listed separated by spaces; one the listing had to quote is not read here.
        guard lines.count == 3, !text.contains("\""), !text.contains("'"), !text.contains("\\") else { return nil }
        let jobs = lines.map { $0.split(separator: " ").map(String.init) }
        guard jobs[0].first?.hasSuffix("swift-frontend") == true, jobs[1].first?.hasSuffix("swift-autolink-extract") == true,
              jobs[2].contains("-o") else { return nil }
        return CompilerJobs(frontend: jobs[0], autolink: jobs[1], link: jobs[2])
    }

    /// Runs the jobs for the program at `source`, writing `binary`, with intermediate files in
    /// `folder`; the compiler's messages go to `log`. Nil when the jobs could not be run as
    /// learnt: the caller compiles through the driver instead.
    func run(source: String, binary: String, folder: String, programImports: [String], log: String,
             timeout: Double, cancellation: Cancellation?) -> ChildProcess.Outcome? {
        // The driver's temporary folder, wherever the listing put it, becomes the run's folder.
        let temporary = (frontend + autolink + link).compactMap { argument -> String? in
            guard let range = argument.range(of: "/TemporaryDirectory.") else { return nil }
            let rest = argument[range.upperBound...]
            return String(argument[..<range.upperBound]) + String(rest.prefix { $0 != "/" })
        }.first
        func place(_ job: [String]) -> [String] {
            job.map { argument in
                var argument = argument.replacingOccurrences(of: CompilerJobs.source, with: source)
                    .replacingOccurrences(of: CompilerJobs.binary, with: binary)
                if let temporary { argument = argument.replacingOccurrences(of: temporary, with: folder + "/jobs") }
                return argument
            }
        }
        try? FileManager.default.createDirectory(atPath: folder + "/jobs", withIntermediateDirectories: true)
        let started = Date()
        func step(_ job: [String], stderr: String) -> ChildProcess.Outcome? {
            try? ChildProcess(executable: job[0], arguments: Array(job.dropFirst()), stdoutPath: stderr + ".out", stderrPath: stderr,
                              timeout: max(1, timeout - Date().timeIntervalSince(started)), cancellation: cancellation).run()
        }
        // The frontend's messages are the compiler's messages: the log as the driver writes it.
        guard let compiled = step(place(frontend), stderr: log) else { return nil }
        guard compiled.termination == .exited(0) else {
            return ChildProcess.Outcome(termination: compiled.termination, seconds: Date().timeIntervalSince(started))
        }
        let linkJob = place(link)
        guard let listFile = linkJob.first(where: { $0.hasPrefix("@") && $0.hasSuffix(".autolink") }).map({ String($0.dropFirst()) })
        else { return nil }
        let libraryKey = ([autolink.joined(separator: " ")] + programImports).joined(separator: "\n")
        if let known = CompilerJobs.libraries.withLock({ $0[libraryKey] }) {
            guard (try? known.joined(separator: "\n").write(toFile: listFile, atomically: true, encoding: .utf8)) != nil else { return nil }
        } else {
            guard let extracted = step(place(autolink), stderr: folder + "/jobs/autolink.log"), extracted.termination == .exited(0),
                  let text = try? String(contentsOfFile: listFile, encoding: .utf8) else { return nil }
            CompilerJobs.libraries.withLock { $0[libraryKey] = text.split(separator: "\n").map(String.init) }
        }
        guard let linked = step(linkJob, stderr: folder + "/jobs/link.log"), linked.termination == .exited(0) else { return nil }
        return ChildProcess.Outcome(termination: .exited(0), seconds: Date().timeIntervalSince(started))
    }

    /// The modules a program imports, as its `import` lines say: what the autolink step depends on.
    static func imports(of source: String) -> [String] {
        Array(Set(source.split(separator: "\n").compactMap { line -> String? in
            let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
            return trimmed.hasPrefix("import ") || trimmed.hasPrefix("@_exported import ") || trimmed.hasPrefix("@testable import ")
                ? String(trimmed) : nil
        })).sorted()
    }
}
