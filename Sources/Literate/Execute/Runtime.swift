#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The release build of TensorForge + Notebook that chapter programs link against:
/// `libLegendRuntime.so` and the `.swiftmodule`s beside it.
///
/// Where it is found: the folder named by `LEGEND_RUNTIME` if set; otherwise the Legend checkout's
/// `.build-runtime/release/`, built there on first use (and again whenever the engine's or the
/// notebook's sources or the compiler change) with
/// `swift build -c release --product LegendRuntime --scratch-path .build-runtime`.
public struct Runtime: Sendable {
    /// Holds `libLegendRuntime.so` and `Modules/`.
    public let directory: String
    /// Extra `-I` folders (module maps of the C libraries the engine uses).
    public let includeDirectories: [String]
    /// Changes whenever the runtime's sources or the compiler change; part of every cache key.
    public let fingerprint: String
    public let compiler: Compiler

    static let libraryName = "LegendRuntime"
    static let runtimeSourceFolders = ["Sources/TensorForge", "Sources/NotebookCore", "Sources/Notebook", "Sources/COpenBLAS"]

    /// Finds the runtime, building it first if it is missing or out of date.
    /// - Parameter log: receives one line when a (slow) runtime build starts.
    public static func prepare(packageRoot: String?, log: (String) -> Void) throws(Diagnostic) -> Runtime {
        let compiler = try Compiler.find()
        if let directory = ProcessInfo.processInfo.environment["LEGEND_RUNTIME"] {
            try check(directory, hint: "LEGEND_RUNTIME names '\(directory)', which")
            let library = directory + "/lib\(libraryName).so"
            let attributes = try? FileManager.default.attributesOfItem(atPath: library)
            let stamp = "\(attributes?[.size] ?? 0)-\((attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
            return Runtime(directory: directory, includeDirectories: [directory + "/include"],
                           fingerprint: Hash.hex("\(stamp)\n\(compiler.identity)"), compiler: compiler)
        }
        guard let root = packageRoot else {
            throw .error("cannot find the chapter runtime (TensorForge + Notebook): run legend from its checkout, set LEGEND_HOME to the checkout, or set LEGEND_RUNTIME to a folder holding lib\(libraryName).so and Modules/")
        }
        let scratch = root + "/.build-runtime"
        let directory = scratch + "/release"
        let fingerprint = Hash.hex(sourceDigest(root: root) + "\n" + compiler.identity)
        let stampPath = scratch + "/legend-runtime.stamp"
        if (try? String(contentsOfFile: stampPath, encoding: .utf8)) != fingerprint || !isComplete(directory) {
            // One build at a time, across threads and processes; whoever waited finds it built.
            try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            let lock = open(scratch + "/legend-runtime.lock", O_RDWR | O_CREAT, 0o644)
            if lock >= 0 { flock(lock, LOCK_EX) }
            defer { if lock >= 0 { flock(lock, LOCK_UN); close(lock) } }
            try build(root: root, scratch: scratch, stampPath: stampPath, fingerprint: fingerprint, compiler: compiler, log: log)
        }
        return Runtime(directory: directory, includeDirectories: [root + "/Sources/COpenBLAS"],
                       fingerprint: fingerprint, compiler: compiler)
    }

    private static func build(root: String, scratch: String, stampPath: String, fingerprint: String,
                              compiler: Compiler, log: (String) -> Void) throws(Diagnostic) {
        let directory = scratch + "/release"
        if (try? String(contentsOfFile: stampPath, encoding: .utf8)) != fingerprint || !isComplete(directory) {
            log("Building the chapter runtime (TensorForge + Notebook, release) in \(scratch) — this happens once after each engine change…")
            let started = Date()
            let swift = compiler.path.replacingOccurrences(of: "/swiftc", with: "/swift")
            let logPath = scratch + "/legend-runtime-build.log"
            try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)
            let outcome = try ChildProcess(
                executable: swift,
                arguments: ["build", "-c", "release", "--product", libraryName, "--scratch-path", scratch, "--package-path", root],
                stdoutPath: logPath, stderrPath: logPath + ".err", timeout: 3600).run()
            guard outcome.termination == .exited(0), isComplete(directory) else {
                let output = ((try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "") + ((try? String(contentsOfFile: logPath + ".err", encoding: .utf8)) ?? "")
                let tail = output.split(separator: "\n").suffix(15).joined(separator: "\n")
                throw .error("building the chapter runtime failed (swift build -c release --product \(libraryName) --scratch-path \(scratch)); its last lines:\n\(tail)")
            }
            try? fingerprint.write(toFile: stampPath, atomically: true, encoding: .utf8)
            log(String(format: "Built the chapter runtime in %.1f s.", Date().timeIntervalSince(started)))
        }
    }

    private static func isComplete(_ directory: String) -> Bool {
        (try? check(directory, hint: "")) != nil
    }

    private static func check(_ directory: String, hint: String) throws(Diagnostic) {
        let files = ["lib\(libraryName).so", "Modules/Notebook.swiftmodule", "Modules/TensorForge.swiftmodule"]
        for file in files where !FileManager.default.fileExists(atPath: directory + "/" + file) {
            throw .error("\(hint) has no \(file); build it with `swift build -c release --product \(libraryName)` in the Legend checkout, or unset LEGEND_RUNTIME")
        }
    }

    /// A digest of every source file the runtime is built from, plus the package manifest.
    static func sourceDigest(root: String) -> String {
        var hash = Hash()
        let manager = FileManager.default
        var files = [root + "/Package.swift"]
        for folder in runtimeSourceFolders {
            let path = root + "/" + folder
            let names = (manager.enumerator(atPath: path)?.allObjects as? [String]) ?? []
            files += names.filter { $0.hasSuffix(".swift") || $0.hasSuffix(".h") || $0.hasSuffix(".modulemap") }.map { path + "/" + $0 }
        }
        for file in files.sorted() {
            hash.combine(file.dropFirst(root.count))
            if let data = manager.contents(atPath: file) { hash.combine(data) }
        }
        return hash.hex
    }

    /// The Legend checkout: `LEGEND_HOME`, or the folder above the running `legend` binary's
    /// `.build`, or the current folder — whichever holds Legend's Package.swift.
    public static func packageRoot(executable: String = CommandLine.arguments[0]) -> String? {
        let manager = FileManager.default
        func isLegend(_ path: String) -> Bool {
            manager.fileExists(atPath: path + "/Package.swift") && manager.fileExists(atPath: path + "/Sources/TensorForge")
        }
        if let home = ProcessInfo.processInfo.environment["LEGEND_HOME"] { return isLegend(home) ? home : nil }
        var candidates: [URL] = []
        let binary = URL(fileURLWithPath: executable).resolvingSymlinksInPath()
        candidates.append(binary.deletingLastPathComponent())
        candidates.append(URL(fileURLWithPath: manager.currentDirectoryPath))
        for start in candidates {
            var url = start.standardizedFileURL
            while url.path != "/" {
                if isLegend(url.path) { return url.path }
                url = url.deletingLastPathComponent()
            }
        }
        return nil
    }
}

/// The Swift compiler that builds chapter programs.
public struct Compiler: Sendable {
    public let path: String
    /// Path, size and modification time of the binary: changes when the toolchain does.
    public let identity: String

    static func find() throws(Diagnostic) -> Compiler {
        let environment = ProcessInfo.processInfo.environment
        let candidates = (environment["LEGEND_SWIFTC"].map { [$0] } ?? [])
            + (environment["PATH"] ?? "/usr/bin").split(separator: ":").map { "\($0)/swiftc" }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            let real = URL(fileURLWithPath: candidate).resolvingSymlinksInPath().path
            let attributes = try? FileManager.default.attributesOfItem(atPath: real)
            let size = attributes?[.size] as? Int ?? 0
            let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return Compiler(path: candidate, identity: "\(real) \(size) \(Int(modified))")
        }
        throw .error("cannot find swiftc on PATH; install a Swift toolchain (6.0 or later) or set LEGEND_SWIFTC to its swiftc")
    }
}
