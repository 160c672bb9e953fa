import Foundation
import NotebookCore

/// One chapter taken from its book, for `legend tangle` and `legend run`.
public struct SingleChapter: Sendable {
    public let book: Book
    public let chapter: ParsedChapter

    /// Loads the book that holds `path` (its folder) and parses the chapter.
    public static func load(_ path: String) throws(Diagnostic) -> SingleChapter {
        guard FileManager.default.fileExists(atPath: path) else {
            throw .error("no chapter at '\(path)'; pass the path of a chapter's .md file, such as legend/01-the-curse.md")
        }
        let folder = (path as NSString).deletingLastPathComponent
        let name = (path as NSString).lastPathComponent
        guard name.hasSuffix(".md") else {
            throw .error("'\(path)' is not a Markdown chapter; pass a .md file")
        }
        let book = try Book.load(from: folder.isEmpty ? "." : folder)
        if let problem = book.problems.first(where: { $0.file == book.file(name) }) { throw problem }
        guard let chapter = book.chapters.first(where: { $0.slug + ".md" == name }) else {
            throw .error("'\(path)' is not one of the book's chapters (names starting with '_' or '.' and README.md are not chapters)")
        }
        return SingleChapter(book: book, chapter: ParsedChapter(chapter, citations: book.bibliography != nil))
    }

    /// The chapter's program, as `legend build` compiles it.
    public func tangle() -> String { Tangler().tangle(chapter).source }

    /// Runs the chapter (or takes its results from the cache) and returns what a terminal shows.
    public func run(options: BuildOptions, log: @escaping @Sendable (String) -> Void) throws(Diagnostic) -> (ChapterReport, String) {
        let runtime = try Runtime.prepare(installation: options.installation, log: log)
        let report = Executor(options: options, log: log).execute([chapter], book: book, runtime: runtime)[0]
        return (report, TerminalWeaver(bookPlot: book.plot).weave(chapter, report.run?.result))
    }
}
