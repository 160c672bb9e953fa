#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Legend's cache folder (`.legend-cache/` in the book by default): `results/` (one entry per
/// chapter key, see `ResultCache`), `timings/` (each run's seconds, for `--shard`),
/// `locks/` (one lock per chapter key, so two commands never compute the same chapter at once)
/// and `work/` (a folder of its own for every run of a chapter program, deleted when the run
/// ends). It carries a standard cache directory tag, which backup tools honour and which is
/// Legend's mark: `legend clean` deletes only a folder that has it.
public struct CacheFolder: Sendable {
    public let path: String

    static let tagName = "CACHEDIR.TAG"
    static let tagText = """
        Signature: 8a477f597d28d172789f06886806bc55
        # This file is a cache directory tag created by Legend (legend build): the folder holds
        # results of chapter programs, and `legend clean` may delete it.
        # For information about cache directory tags, see https://bford.info/cachedir/

        """

    public init(path: String) {
        self.path = path
    }

    var results: String { path + "/results" }

    /// Creates the folder and its tag if they are missing.
    func prepare() throws(Diagnostic) {
        let manager = FileManager.default
        do {
            try manager.createDirectory(atPath: path + "/work", withIntermediateDirectories: true)
            try manager.createDirectory(atPath: path + "/locks", withIntermediateDirectories: true)
        } catch {
            throw .error("cannot create the cache folder '\(path)': \(error.localizedDescription); pass --cache a writable folder")
        }
        if !CacheFolder.isTagged(path) {
            try? Data(CacheFolder.tagText.utf8).write(to: URL(fileURLWithPath: path + "/" + CacheFolder.tagName), options: .atomic)
        }
    }

    /// Whether `folder` carries Legend's cache tag (a regular file, not a link).
    static func isTagged(_ folder: String) -> Bool {
        var status = stat()
        guard lstat(folder + "/" + tagName, &status) == 0, status.st_mode & S_IFMT == S_IFREG,
              let text = try? String(contentsOfFile: folder + "/" + tagName, encoding: .utf8) else { return false }
        return text.hasPrefix("Signature: 8a477f597d28d172789f06886806bc55") && text.contains("Legend")
    }

    // MARK: Locks

    /// An exclusive lock on one chapter key, held until `release` (or the process ends).
    final class ChapterLock: Sendable {
        private let descriptor: Int32

        fileprivate init(descriptor: Int32) { self.descriptor = descriptor }

        func release() {
            guard descriptor >= 0 else { return }
            flock(descriptor, LOCK_UN)
            close(descriptor)
        }
    }

    /// Waits until no other command computes the chapter with this key, then holds its lock.
    /// Without a usable lock file the chapter is computed anyway: its run folder is its own.
    func lock(key: String) -> ChapterLock {
        let file = path + "/locks/" + Hash.hex(key) + ".lock"
        let descriptor = open(file, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        if descriptor >= 0 {
            while flock(descriptor, LOCK_EX) != 0 && errno == EINTR {}
        }
        return ChapterLock(descriptor: descriptor)
    }

    // MARK: Run folders

    /// A new, empty folder for one run of a chapter program: `work/<pid>-<slug>-XXXXXX`. Folders
    /// left by runs whose process is gone (killed) are removed first.
    func makeRunFolder(slug: String) throws(Diagnostic) -> String {
        removeAbandonedRunFolders()
        let safeSlug = String(slug.map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "_" }.prefix(40))
        // Absolute: the program changes into the book's folder, and TMPDIR and HOME must hold.
        var template = Array("\(RealPath.of(path + "/work"))/\(getpid())-\(safeSlug)-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw .error("cannot create a work folder in '\(path)/work': \(String(cString: strerror(errno))); check that the cache folder is writable")
        }
        let folder = String(cString: made)
        try? FileManager.default.createDirectory(atPath: folder + "/tmp", withIntermediateDirectories: true)
        return folder
    }

    private func removeAbandonedRunFolders() {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: path + "/work") else { return }
        for name in names {
            guard let pid = pid_t(name.prefix(while: \.isNumber)), pid != getpid() else { continue }
            if kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(atPath: path + "/work/" + name)
            }
        }
    }

    // MARK: Clean

    /// `legend clean`: deletes the cache folder, only if it carries Legend's tag and is not a
    /// folder whose loss would cost more than a rebuild (`/`, the home folder, the current folder
    /// or one of its ancestors).
    public static func clean(_ path: String) throws(Diagnostic) {
        var status = stat()
        guard lstat(path, &status) == 0 else { return }
        guard status.st_mode & S_IFMT != S_IFLNK else {
            throw .error("'\(path)' is a symbolic link; pass the cache folder itself, not a link to it")
        }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            throw .error("'\(path)' is not a folder, so not a Legend cache; not removing it")
        }
        let real = RealPath.of(path)
        let current = RealPath.of(FileManager.default.currentDirectoryPath)
        if real == "/" || real == RealPath.home || RealPath.contains(real, current) {
            throw .error("refusing to remove '\(path)': it is \(real == "/" ? "the root folder" : real == RealPath.home ? "your home folder" : "the current folder or one of its ancestors"); pass --cache the cache folder itself")
        }
        guard isTagged(path) else {
            throw .error("'\(path)' has no \(tagName) written by Legend, so it may not be a Legend cache; not removing it (if an older Legend made it, delete it yourself)")
        }
        do {
            try FileManager.default.removeItem(atPath: path)
        } catch {
            throw .error("cannot remove '\(path)': \(error.localizedDescription)")
        }
    }
}
