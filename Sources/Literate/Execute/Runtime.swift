#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The release build of TensorForge + Notebook that chapter programs link against:
/// `libLegendRuntime.so` and the `.swiftmodule`s beside it.
///
/// Where it is found: the folder named by `LEGEND_RUNTIME` if set; else the install's
/// `PREFIX/lib/legend/`; else, in a checkout, `.build-runtime/release/`, built there on first
/// use (and again whenever the engine's or the notebook's sources or the compiler change) with
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
    /// The file of an install's runtime folder that holds the digest of the sources it was
    /// built from (`sourceDigest`), written by `scripts/install`.
    static let fingerprintFile = "fingerprint"

    /// Finds the runtime, building it first if it is missing or out of date.
    /// - Parameter log: receives one line when a (slow) runtime build starts.
    public static func prepare(installation: Installation?, log: (String) -> Void) throws(Diagnostic) -> Runtime {
        let compiler = try Compiler.find()
        if let directory = ProcessInfo.processInfo.environment["LEGEND_RUNTIME"] {
            try check(directory, hint: "LEGEND_RUNTIME names '\(directory)', which")
            let library = directory + "/lib\(libraryName).so"
            let attributes = try? FileManager.default.attributesOfItem(atPath: library)
            let stamp = "\(attributes?[.size] ?? 0)-\((attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)"
            return Runtime(directory: directory, includeDirectories: [directory + "/include"],
                           fingerprint: Hash.hex("\(stamp)\n\(compiler.identity)"), compiler: compiler)
        }
        guard let installation else { throw .error(Installation.notFound) }
        switch installation {
        case .installed:
            return try installed(installation, compiler: compiler)
        case .checkout(let root):
            let scratch = root + "/.build-runtime"
            let directory = scratch + "/release"
            let fingerprint = fingerprint(sourceDigest: sourceDigest(root: root), compiler: compiler)
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
    }

    /// An install's runtime, as `scripts/install` laid it out. Its fingerprint is made the way a
    /// checkout's is, from the digest of the sources it was built from, so an install and the
    /// checkout it came from share cached results.
    private static func installed(_ installation: Installation, compiler: Compiler) throws(Diagnostic) -> Runtime {
        let directory = installation.runtimeFolder!
        try check(directory, hint: "the installed runtime '\(directory)'")
        guard let digest = try? String(contentsOfFile: directory + "/" + fingerprintFile, encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines), !digest.isEmpty else {
            throw .error("the installed runtime '\(directory)' has no \(fingerprintFile) file; install Legend again with `scripts/install` from its checkout")
        }
        return Runtime(directory: directory, includeDirectories: [directory + "/include"],
                       fingerprint: fingerprint(sourceDigest: digest, compiler: compiler), compiler: compiler)
    }

    /// The runtime's part of every cache key: its sources and the compiler that builds chapters.
    static func fingerprint(sourceDigest: String, compiler: Compiler) -> String {
        Hash.hex(sourceDigest + "\n" + compiler.identity)
    }

    /// The runtime's fingerprint, without building anything (for `legend --version`).
    public static func describe(installation: Installation?) -> (directory: String, fingerprint: String)? {
        guard let installation, let compiler = try? Compiler.find() else { return nil }
        switch installation {
        case .checkout(let root):
            return (root + "/.build-runtime/release", fingerprint(sourceDigest: sourceDigest(root: root), compiler: compiler))
        case .installed:
            return (try? installed(installation, compiler: compiler)).map { ($0.directory, $0.fingerprint) }
        }
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
            throw .error("\(hint) has no \(file); install Legend again with `scripts/install` from its checkout (or, for LEGEND_RUNTIME, build `swift build -c release --product \(libraryName)` there)")
        }
    }

    /// A digest of every source file the runtime is built from, plus the package manifest.
    public static func sourceDigest(root: String) -> String {
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

    /// Whether the toolchain holds lld beside swiftc (Swift's Linux toolchains do).
    var hasLLD: Bool {
        let folder = URL(fileURLWithPath: path).resolvingSymlinksInPath().deletingLastPathComponent().path
        return FileManager.default.isExecutableFile(atPath: folder + "/ld.lld")
    }

    /// The first line of `swiftc --version` (for `legend --version`), or nil if it says nothing.
    public static func versionLine() -> String? {
        guard let compiler = try? find() else { return nil }
        let folder = NSTemporaryDirectory() + "legend-swiftc-version-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        guard (try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)) != nil,
              let outcome = try? ChildProcess(executable: compiler.path, arguments: ["--version"],
                                              stdoutPath: folder + "/out", stderrPath: folder + "/err", timeout: 30).run(),
              outcome.termination == .exited(0),
              let text = try? String(contentsOfFile: folder + "/out", encoding: .utf8) else { return nil }
        return text.split(separator: "\n").first.map { "\(compiler.path): \($0)" }
    }
}
