#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Paths as the file system resolves them, so that a check about where a path leads cannot be
/// fooled by `..`, a symbolic link or a relative spelling.
enum RealPath {
    /// The absolute path of `path` with every symbolic link resolved. A path that does not exist
    /// yet resolves its deepest existing ancestor and appends the rest (`..` taken lexically).
    static func of(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : FileManager.default.currentDirectoryPath + "/" + path
        var components = absolute.split(separator: "/").map(String.init)
        var missing: [String] = []
        while true {
            let candidate = "/" + components.joined(separator: "/")
            if let resolved = realpath(candidate, nil) {
                defer { free(resolved) }
                var result = String(cString: resolved).split(separator: "/").map(String.init)
                for part in missing.reversed() {
                    if part == ".." { if !result.isEmpty { result.removeLast() } } else if part != "." { result.append(part) }
                }
                return "/" + result.joined(separator: "/")
            }
            guard let last = components.popLast() else { return "/" }
            missing.append(last)
        }
    }

    /// Whether `path` is `folder` or lies inside it (both real paths).
    static func contains(_ folder: String, _ path: String) -> Bool {
        folder == "/" || path == folder || path.hasPrefix(folder + "/")
    }

    /// The user's home folder, resolved, if known.
    static var home: String? {
        guard let home = ProcessInfo.processInfo.environment["HOME"], !home.isEmpty else { return nil }
        return of(home)
    }
}

/// A file read on the condition that it stays where it claims to be: a regular file (not a FIFO,
/// a device, a socket or a folder) whose real path lies inside `root`. A symbolic link is
/// followed only when it lands inside `root`; one that leads out is refused, never read — so a
/// book cannot publish `/etc/passwd` through `img/x.png -> /etc/passwd`, and a FIFO cannot make
/// the build wait forever.
enum ContainedFile {
    enum Refusal: Error, Equatable {
        case missing
        case outside(String)
        case notRegular(String)
        case unreadable(String)
        case tooLarge(Int)

        /// Says what the file is and what to do, for a diagnostic about `name`.
        var reason: String {
            switch self {
            case .missing: return "does not exist"
            case .outside(let target):
                return "is a symbolic link to '\(target)', outside the book; Legend never follows a link out of the book — copy the file in instead"
            case .notRegular(let kind):
                return "is \(kind), not a regular file; only regular files can be read from a book"
            case .unreadable(let why): return "cannot be read: \(why)"
            case .tooLarge(let limit): return "is larger than \(limit >> 20) MB, more than Legend reads from one file; split it"
            }
        }
    }

    /// What kind of file `path` is, without following a final symbolic link.
    static func kind(of mode: mode_t) -> String? {
        switch mode & S_IFMT {
        case S_IFREG: return nil
        case S_IFDIR: return "a folder"
        case S_IFIFO: return "a FIFO (named pipe)"
        case S_IFCHR, S_IFBLK: return "a device"
        case S_IFSOCK: return "a socket"
        default: return "a special file"
        }
    }

    /// The bytes of `path`, which must be a regular file inside `root` (a real path) of at
    /// most `byteLimit` bytes.
    static func read(_ path: String, inside root: String, byteLimit: Int = .max) -> Result<Data, Refusal> {
        var status = stat()
        guard lstat(path, &status) == 0 else { return .failure(errno == ENOENT ? .missing : .unreadable(String(cString: strerror(errno)))) }
        let real = RealPath.of(path)
        if status.st_mode & S_IFMT == S_IFLNK {
            // Where the link leads: nowhere (dangling), round in a loop, or somewhere.
            var target = stat()
            if stat(path, &target) != 0 {
                return .failure(errno == ELOOP ? .notRegular("a symbolic link that leads round in a loop") : .missing)
            }
            if !RealPath.contains(root, real) { return .failure(.outside(real)) }
        }
        // Opened without blocking (a FIFO would wait for a writer), then judged by what was opened.
        let descriptor = open(real, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOFOLLOW)
        guard descriptor >= 0 else {
            if errno == ENOENT { return .failure(.missing) }
            return .failure(.unreadable(String(cString: strerror(errno))))
        }
        defer { close(descriptor) }
        guard fstat(descriptor, &status) == 0 else { return .failure(.unreadable(String(cString: strerror(errno)))) }
        if let kind = kind(of: status.st_mode) { return .failure(.notRegular(kind)) }
        guard RealPath.contains(root, real) else { return .failure(.outside(real)) }
        guard status.st_size <= byteLimit else { return .failure(.tooLarge(byteLimit)) }
        var data = Data(count: Int(status.st_size))
        var filled = 0
        let ok = data.withUnsafeMutableBytes { buffer -> Bool in
            while filled < buffer.count {
                let count = Glibc.read(descriptor, buffer.baseAddress! + filled, buffer.count - filled)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { return count == 0 }
                filled += count
            }
            return true
        }
        guard ok else { return .failure(.unreadable(String(cString: strerror(errno)))) }
        if filled < data.count { data.removeSubrange(filled...) }
        return .success(data)
    }

    /// Like `read`, with a refusal turned into an error diagnostic at `name` (and `line`).
    static func readOrDiagnose(_ path: String, inside root: String, name: String, line: Int? = nil) throws(Diagnostic) -> Data {
        switch read(path, inside: root) {
        case .success(let data): return data
        case .failure(let refusal): throw .error("'\(name)' \(refusal.reason)", file: name, line: line)
        }
    }
}
