#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Writes a built site so that readers only ever see a whole one: every file goes into a fresh
/// sibling folder, which then takes the place of the old folder in one atomic exchange. It
/// writes only into a folder that `OutputFolder.claim` accepted, and marks the site it writes so
/// that the next build may replace it.
public struct SiteWriter: Sendable {
    public let folder: OutputFolder
    var destination: String { folder.path }

    public init(folder: OutputFolder) {
        self.folder = folder
    }

    /// Replaces the output folder with exactly `files` (relative path → contents) and the marker,
    /// and what `completing` adds to them: it is given the folder the site is written into, whole,
    /// before the exchange (`build --pdf` prints the book there).
    public func write(_ files: [String: Data], completing: ((String) throws -> Void)? = nil) throws(Diagnostic) {
        var files = files
        files[OutputFolder.marker] = Data(OutputFolder.markerText.utf8)
        let target = URL(fileURLWithPath: folder.realPath)
        let parent = target.deletingLastPathComponent().path
        let stagingPrefix = ".\(target.lastPathComponent).legend-staging-"
        // Unique per build, also between builds in one process: `pid-random`.
        let staging = parent + "/" + stagingPrefix + "\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        let manager = FileManager.default
        SiteWriter.removeAbandonedStaging(in: parent, prefix: stagingPrefix)
        do {
            try? manager.removeItem(atPath: staging)
            try manager.createDirectory(atPath: staging, withIntermediateDirectories: true)
            for (path, data) in files.sorted(by: { $0.key < $1.key }) {
                let file = staging + "/" + path
                try manager.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                guard manager.createFile(atPath: file, contents: data) else {
                    throw Diagnostic.error("cannot write \(file); check that the disk has room and the folder is writable")
                }
            }
            try completing?(staging)
            try SiteWriter.syncTree(staging)
        } catch let error as Diagnostic {
            try? manager.removeItem(atPath: staging)
            throw error
        } catch {
            try? manager.removeItem(atPath: staging)
            throw .error("cannot write the site into \(staging): \(error.localizedDescription)")
        }
        // The folder may have changed while the book was built: judge it again, just before.
        do throws(Diagnostic) {
            try folder.checkReplaceable()
        } catch {
            try? manager.removeItem(atPath: staging)
            throw error
        }
        if manager.fileExists(atPath: target.path) {
            guard SiteWriter.exchange(staging, target.path) else {
                let reason = String(cString: strerror(errno))
                try? manager.removeItem(atPath: staging)
                throw .error("cannot replace '\(destination)' with the new build: \(reason)")
            }
            // `staging` now holds the previous site.
            try? manager.removeItem(atPath: staging)
        } else if rename(staging, target.path) != 0 {
            let reason = String(cString: strerror(errno))
            try? manager.removeItem(atPath: staging)
            throw .error("cannot move the new build into '\(destination)': \(reason)")
        }
    }

    /// Removes staging folders of builds that were killed (their process is gone).
    static func removeAbandonedStaging(in parent: String, prefix: String) {
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: parent) else { return }
        for name in names where name.hasPrefix(prefix) {
            guard let pid = pid_t(name.dropFirst(prefix.count).prefix(while: \.isNumber)) else { continue }
            if pid != getpid() && kill(pid, 0) != 0 && errno == ESRCH {
                try? FileManager.default.removeItem(atPath: parent + "/" + name)
            }
        }
    }

    /// Flushes the files to disk before they become visible, so a power cut cannot expose an
    /// empty file under a complete-looking folder. The flushes wait on the disk, not the CPU, so
    /// several are in flight at once.
    private static func syncTree(_ folder: String) throws {
        let enumerator = FileManager.default.enumerator(atPath: folder)
        var files: [String] = []
        while let relative = enumerator?.nextObject() as? String { files.append(folder + "/" + relative) }
        let paths = files
        DispatchQueue.concurrentPerform(iterations: min(8, paths.count)) { lane in
            for index in stride(from: lane, to: paths.count, by: 8) {
                let descriptor = open(paths[index], O_RDONLY)
                if descriptor >= 0 {
                    fdatasync(descriptor)
                    close(descriptor)
                }
            }
        }
    }

    private typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32

    /// Swaps two paths atomically with Linux's renameat2(RENAME_EXCHANGE); where that is not
    /// available, falls back to two renames (a moment in which the old folder is absent).
    static func exchange(_ first: String, _ second: String) -> Bool {
        #if os(Linux)
        if let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") {
            let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
            let exchangeFlag: UInt32 = 1 << 1
            if renameat2(AT_FDCWD, first, AT_FDCWD, second, exchangeFlag) == 0 { return true }
        }
        #endif
        let aside = second + ".legend-old-\(getpid())"
        guard rename(second, aside) == 0 else { return false }
        guard rename(first, second) == 0 else {
            rename(aside, second)
            return false
        }
        return rename(aside, first) == 0
    }
}
