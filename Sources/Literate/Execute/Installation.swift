#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Where Legend's own files are: the default theme and the chapter runtime (TensorForge +
/// Notebook). Either a checkout of Legend's sources, where the runtime is built on first use,
/// or an install made by `scripts/install`:
///
///     PREFIX/bin/legend
///     PREFIX/lib/legend/libLegendRuntime.so, Modules/, include/, fingerprint
///     PREFIX/share/legend/templates/, version
///
/// Found from `LEGEND_HOME` if set (a checkout or a prefix), else from the running executable:
/// an install beside it (`../lib/legend`), or a checkout above it (`.build/…/legend`). Never
/// from the current folder, so a command behaves the same wherever it is typed.
public enum Installation: Sendable, Equatable {
    /// A checkout: `Package.swift`, `Sources/`, `templates/`.
    case checkout(root: String)
    /// An install under `prefix`.
    case installed(prefix: String)

    /// The folder of the default theme.
    public var themeFolder: String {
        switch self {
        case .checkout(let root): root + "/templates"
        case .installed(let prefix): prefix + "/share/legend/templates"
        }
    }

    /// Where the installed runtime is (nil for a checkout, which builds its own).
    var runtimeFolder: String? {
        switch self {
        case .checkout: nil
        case .installed(let prefix): prefix + "/lib/legend"
        }
    }

    /// The running `legend`'s installation, or nil when there is none to be found.
    public static func find(environment: [String: String] = ProcessInfo.processInfo.environment,
                            executable: String? = Installation.executablePath()) -> Installation? {
        if let home = environment["LEGEND_HOME"], !home.isEmpty {
            return at(home)
        }
        guard let executable else { return nil }
        var folder = URL(fileURLWithPath: executable).deletingLastPathComponent().standardizedFileURL
        // An install puts the binary in PREFIX/bin; a checkout's build puts it a few folders
        // below the checkout (.build/debug, .build/x86_64-unknown-linux-gnu/release, …).
        while folder.path != "/" {
            if let found = at(folder.path) { return found }
            if folder.lastPathComponent == "bin", let found = at(folder.deletingLastPathComponent().path) { return found }
            folder = folder.deletingLastPathComponent()
        }
        return nil
    }

    /// The installation at exactly `path`, if it is one.
    static func at(_ path: String) -> Installation? {
        let manager = FileManager.default
        let path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        if manager.fileExists(atPath: path + "/Package.swift") && manager.fileExists(atPath: path + "/Sources/TensorForge") {
            return .checkout(root: path)
        }
        if manager.fileExists(atPath: path + "/lib/legend/lib\(Runtime.libraryName).so")
            && manager.fileExists(atPath: path + "/share/legend/templates") {
            return .installed(prefix: path)
        }
        return nil
    }

    /// The running program's own file, links resolved (`/proc/self/exe`): `argv[0]` may be a
    /// bare name found on `PATH`.
    public static func executablePath() -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink("/proc/self/exe", &buffer, buffer.count - 1)
        guard count > 0 else { return CommandLine.arguments.first.map { URL(fileURLWithPath: $0).resolvingSymlinksInPath().path } }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Where this Legend came from — the git repository and revision it was built from — for
    /// the CI workflow of `legend init`, which installs the same Legend. An install knows it
    /// from `share/legend/source`, which `scripts/install` writes; a checkout asks git.
    public var source: (repository: String?, revision: String?) {
        switch self {
        case .installed(let prefix):
            let text = (try? String(contentsOfFile: prefix + "/share/legend/source", encoding: .utf8)) ?? ""
            func field(_ name: String) -> String? {
                text.split(separator: "\n").first { $0.hasPrefix(name + ": ") }
                    .map { String($0.dropFirst(name.count + 2)).trimmingCharacters(in: .whitespaces) }
                    .flatMap { $0.isEmpty ? nil : $0 }
            }
            return (field("repository"), field("revision"))
        case .checkout(let root):
            return (Installation.git(["remote", "get-url", "origin"], in: root), Installation.git(["rev-parse", "HEAD"], in: root))
        }
    }

    /// The first line git prints, or nil.
    private static func git(_ arguments: [String], in folder: String) -> String? {
        let environment = ProcessInfo.processInfo.environment
        guard let git = (environment["PATH"] ?? "/usr/bin").split(separator: ":").map({ "\($0)/git" })
            .first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else { return nil }
        let scratch = NSTemporaryDirectory() + "legend-git-\(getpid())-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        guard (try? FileManager.default.createDirectory(atPath: scratch, withIntermediateDirectories: true)) != nil,
              let outcome = try? ChildProcess(executable: git, arguments: ["-C", folder] + arguments,
                                              stdoutPath: scratch + "/out", stderrPath: scratch + "/err", timeout: 10).run(),
              outcome.termination == .exited(0),
              let line = (try? String(contentsOfFile: scratch + "/out", encoding: .utf8))?.split(separator: "\n").first
        else { return nil }
        return String(line)
    }

    /// What `legend` says when it finds no installation.
    static let notFound = "cannot find Legend's theme and chapter runtime: this legend is neither installed (PREFIX/bin/legend beside PREFIX/lib/legend and PREFIX/share/legend) nor inside a checkout; install it with `scripts/install PREFIX` from the checkout, or set LEGEND_HOME to the checkout or to the install's PREFIX"
}
