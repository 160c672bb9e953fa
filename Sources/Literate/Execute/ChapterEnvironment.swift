import Foundation
import NotebookCore

/// The environment a chapter program runs in (README, "Execution contract"): a fixed set of
/// variables, plus those the chapter names under `env:` in its front matter, whose values are
/// part of its cache key. So a result never depends on a variable the cache does not see, and no
/// token of the user's shell or of CI reaches a chapter that did not ask for it.
enum ChapterEnvironment {
    /// The search path every chapter program gets.
    static let searchPath = "/usr/local/bin:/usr/bin:/bin"
    /// OpenBLAS settings that some processors need (older kernels there compute wrong results or
    /// crash): passed on when `legend` has them, and part of the cache key.
    static let machineSettings = ["OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"]

    /// The OpenBLAS kernel, pinned: left to itself OpenBLAS picks one by the processor it
    /// detects, and kernels differ in the last bits of a matrix product (a virtual "Xeon
    /// Processor" was given an SSE kernel, and a 100-step RNN's noise floor moved from 3.2e-16
    /// to 3.0e-16). Haswell's kernel runs on every x86-64 processor with AVX2 and FMA, so books
    /// built on such machines agree byte for byte. A value set by the user wins.
    static let pinnedKernel: String? = {
        #if arch(x86_64)
        guard let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flags = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return nil }
        let set = Set(flags.split(separator: " "))
        return set.contains("avx2") && set.contains("fma") ? "Haswell" : nil
        #else
        return nil
        #endif
    }()

    /// The machine settings a chapter program gets: the user's, with the kernel pinned if unset.
    static func machineValues(host: [String: String]) -> [String: String] {
        var values: [String: String] = [:]
        for name in machineSettings { values[name] = host[name] }
        if values["OPENBLAS_CORETYPE"] == nil { values["OPENBLAS_CORETYPE"] = pinnedKernel }
        return values
    }
    /// Variables Legend sets itself, which `env:` may not name.
    static let reserved: Set<String> = ["HOME", "TMPDIR", "SWIFT_BACKTRACE"]

    /// Why `name` cannot be listed under `env:`, or nil if it can.
    static func problem(withName name: String) -> String? {
        let valid = !name.isEmpty && name.utf8.allSatisfy { $0 == UInt8(ascii: "_") || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0)
            || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }
            && !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(name.utf8.first!)
        guard valid else { return "a list of environment variable names (letters, digits and '_'); '\(name)' is not one" }
        if reserved.contains(name) || name.hasPrefix("LEGEND_") {
            return "names Legend sets itself ('\(name)'); list only variables of your own"
        }
        return nil
    }

    /// The variables that enter the cache key, as `NAME=hash` or `NAME unset` lines: values are
    /// hashed, since an entry stores its key and a variable may hold a secret.
    static func keyLines(for frontMatter: FrontMatter, host: [String: String]) -> [String] {
        let machine = machineValues(host: host)
        return machineSettings.map { name in machine[name].map { "env \(name)=\($0)" } ?? "env \(name) unset" }
            + frontMatter.env.sorted().map { name in host[name].map { "env \(name)=\(Hash.hex($0))" } ?? "env \(name) unset" }
    }

    /// The whole environment of one run.
    static func variables(for frontMatter: FrontMatter, host: [String: String], runFolder: String, channel: String,
                          bookDirectory: String, runToken: String, checkpoints: String? = nil) -> [String: String] {
        var variables = [
            "PATH": searchPath,
            "HOME": runFolder + "/tmp",
            "TMPDIR": runFolder + "/tmp",
            "LANG": "C.UTF-8",
            "TZ": "UTC",
            SessionProtocol.channelVariable: channel,
            SessionProtocol.bookDirectoryVariable: bookDirectory,
            SessionProtocol.runTokenVariable: runToken,
            // A short crash report with source lines (mapped to the Markdown by #sourceLocation).
            "SWIFT_BACKTRACE": "enable=yes,interactive=no,color=no,registers=none,images=none,threads=crashed,limit=24",
        ]
        if let checkpoints { variables[SessionProtocol.checkpointsVariable] = checkpoints }
        variables.merge(machineValues(host: host)) { _, machine in machine }
        for name in frontMatter.env {
            if let value = host[name] { variables[name] = value }
        }
        return variables
    }
}
