import Foundation

/// Maps request paths to files of the built site, and never to anything outside it: `..`
/// segments, percent-encoded or not, absolute paths and symlinks that lead out of the folder
/// all find nothing.
public struct SiteFiles: Sendable {
    /// The site folder, symlinks resolved.
    public let root: String

    public init(root: String) {
        self.root = URL(fileURLWithPath: root).resolvingSymlinksInPath().standardizedFileURL.path
    }

    /// The file a raw (percent-encoded) request path names, or nil.
    public func file(forRequestPath raw: String) -> String? {
        guard raw.hasPrefix("/"), !raw.hasPrefix("//") else { return nil }
        guard let decoded = raw.removingPercentEncoding, !decoded.contains("\0"), !decoded.contains("\\") else { return nil }
        let segments = decoded.split(separator: "/", omittingEmptySubsequences: true)
        guard !segments.contains(where: { $0 == ".." || $0 == "." || $0.hasPrefix("~") }) else { return nil }
        var path = root + "/" + segments.joined(separator: "/")
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return nil }
        if isDirectory.boolValue {
            path += "/index.html"
            guard FileManager.default.fileExists(atPath: path) else { return nil }
        }
        // A symlink inside the site may point anywhere: judge where it lands.
        let real = URL(fileURLWithPath: path).resolvingSymlinksInPath().standardizedFileURL.path
        guard real.hasPrefix(root + "/") else { return nil }
        return real
    }

    static let contentTypes: [String: String] = [
        "html": "text/html; charset=utf-8", "css": "text/css; charset=utf-8", "js": "text/javascript; charset=utf-8",
        "json": "application/json", "md": "text/markdown; charset=utf-8", "svg": "image/svg+xml", "png": "image/png",
        "jpg": "image/jpeg", "jpeg": "image/jpeg", "gif": "image/gif", "txt": "text/plain; charset=utf-8",
        "csv": "text/csv; charset=utf-8", "woff2": "font/woff2", "ico": "image/x-icon",
    ]

    static func contentType(of path: String) -> String {
        contentTypes[(path as NSString).pathExtension.lowercased()] ?? "application/octet-stream"
    }
}
