import Foundation

/// What `legend --version` prints: Legend's version, where its theme and runtime are, the
/// runtime's fingerprint (part of every cache key) and the compiler that builds chapters.
public enum Version {
    /// Legend's release number.
    public static let number = "0.2.0"

    public static func report(installation: Installation? = Installation.find()) -> String {
        var lines = ["legend \(number)"]
        switch installation {
        case .checkout(let root)?:
            lines.append("installation: the checkout at \(root)")
        case .installed(let prefix)?:
            let source = installation!.source
            let from = [source.repository, source.revision].compactMap { $0 }.joined(separator: " at ")
            lines.append("installation: \(prefix)" + (from.isEmpty ? "" : " (built from \(from))"))
        case nil:
            lines.append("installation: none found (\(Installation.notFound))")
        }
        if let runtime = Runtime.describe(installation: installation) {
            lines.append("runtime: \(runtime.directory), fingerprint \(runtime.fingerprint)")
        }
        lines.append("compiler: " + (Compiler.versionLine() ?? "no swiftc on PATH (set LEGEND_SWIFTC to one)"))
        return lines.joined(separator: "\n")
    }
}
