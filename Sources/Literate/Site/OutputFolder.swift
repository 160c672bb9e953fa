#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// The folder a site is written to, once Legend has made sure that writing it can cost the user
/// nothing. A build replaces its output folder whole, so the folder must be one that Legend may
/// replace: missing, empty, or marked by an earlier build (`.legend-site`) — and never the book,
/// the cache, the theme, the current folder or one of its ancestors, the home folder or `/`.
/// Inside the book only the book's own output folder (book.yml `output:`) is allowed.
public struct OutputFolder: Sendable {
    /// The file every built site holds, saying that Legend wrote the folder and may replace it.
    public static let marker = ".legend-site"
    static let markerText = """
        This folder is a site built by Legend (legend build). Each build replaces the whole folder,
        so keep nothing else in it; delete this file and the folder when you no longer need them.

        """

    /// The path as the user gave it, for messages.
    public let path: String
    /// Where it really is, symbolic links resolved: what the site writer replaces.
    public let realPath: String

    /// What the folder must stay clear of.
    public struct Surroundings: Sendable {
        public var book: String
        public var cache: String
        public var themeFolders: [String]
        /// The folder book.yml names as its output, if it names one.
        public var bookOutput: String?
    }

    /// Checks that a site may be written into `path`, before any work is done.
    public static func claim(_ path: String, surroundings: Surroundings) throws(Diagnostic) -> OutputFolder {
        let real = RealPath.of(path)
        func refuse(_ why: String, _ advice: String = "pass --output a new or empty folder, such as 'site'") -> Diagnostic {
            .error("refusing to write the site into '\(path)': \(why); \(advice)")
        }
        let book = RealPath.of(surroundings.book)
        if real == "/" { throw refuse("it is the root folder") }
        if let home = RealPath.home, real == home { throw refuse("it is your home folder") }
        let current = RealPath.of(FileManager.default.currentDirectoryPath)
        if RealPath.contains(real, current) {
            throw refuse(real == current ? "it is the current folder" : "it contains the current folder",
                         "a build replaces its output folder whole; pass --output a new or empty folder, such as 'site'")
        }
        if RealPath.contains(real, book) { throw refuse(real == book ? "it is the book folder" : "it contains the book '\(surroundings.book)'") }
        if RealPath.contains(real, RealPath.of(surroundings.cache)) { throw refuse("it contains the cache '\(surroundings.cache)'") }
        for theme in surroundings.themeFolders where FileManager.default.fileExists(atPath: theme) {
            if RealPath.contains(real, RealPath.of(theme)) { throw refuse("it contains the theme '\(theme)'") }
        }
        if RealPath.contains(book, real), surroundings.bookOutput.map(RealPath.of) != real {
            throw refuse("it is inside the book '\(surroundings.book)', whose files the build reads",
                         "write the site outside the book, or name this folder as the book's output with 'output:' in book.yml")
        }
        let folder = OutputFolder(path: path, realPath: real)
        try folder.checkReplaceable()
        return folder
    }

    /// Throws unless the folder is missing, empty, or carries Legend's marker. Called again just
    /// before the new site takes its place.
    func checkReplaceable() throws(Diagnostic) {
        var status = stat()
        guard lstat(realPath, &status) == 0 else { return }
        guard status.st_mode & S_IFMT == S_IFDIR else {
            throw .error("refusing to write the site into '\(path)': it is a file, not a folder; pass --output a folder, or remove the file yourself")
        }
        var markerStatus = stat()
        if lstat(realPath + "/" + OutputFolder.marker, &markerStatus) == 0, markerStatus.st_mode & S_IFMT == S_IFREG { return }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: realPath)
        } catch {
            throw .error("refusing to write the site into '\(path)': its contents cannot be listed (\(error.localizedDescription)); pass --output another folder")
        }
        guard names.isEmpty else {
            let shown = names.sorted().prefix(3).map { "'\($0)'" }.joined(separator: ", ") + (names.count > 3 ? ", …" : "")
            throw .error("refusing to write the site into '\(path)': it holds files that Legend did not write (\(shown)) and no \(OutputFolder.marker) marker, and a build replaces the folder whole; pass --output a new or empty folder, or delete '\(path)' yourself if nothing in it is needed")
        }
    }

    /// Whether a folder inside the book is a site Legend built (so never read as book content).
    static func isSite(_ folder: String) -> Bool {
        var status = stat()
        return lstat(folder + "/" + marker, &status) == 0 && status.st_mode & S_IFMT == S_IFREG
    }
}
