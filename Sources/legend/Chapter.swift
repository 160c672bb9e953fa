import ArgumentParser
import Foundation
import Literate

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a book that builds at once, in a new or empty folder.",
        discussion: "Writes book.yml, a first chapter that trains a tiny network and shows a table and a plot, a .gitignore for the cache and the site, and .github/workflows/book.yml, which installs this Legend on GitHub Actions, builds and checks the book, and publishes it to GitHub Pages.")

    @Argument(help: "The book's folder (default: the current one).", completion: .directory)
    var folder: String = "."

    @Option(help: "The book's title (default: the folder's name).")
    var title: String?

    func run() throws {
        let written = try reporting {
            try NewBook.create(in: folder, title: title, legend: Installation.find()?.source ?? (nil, nil))
        }
        written.forEach { print($0) }
        let into = folder == "." ? "" : "cd \(folder) && "
        printLine("init: a new book; build it with `\(into)legend build`, or preview it with `\(into)legend serve`.")
    }
}

struct New: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a new chapter after the book's last one.",
        discussion: "Creates NN-title.md with front matter and a first block (and the book folder, if it does not exist yet).")

    @Argument(help: "The chapter's title.")
    var title: String

    @Option(help: "The book's folder (default: the nearest folder, from here upwards, with a book.yml; else legend).", completion: .directory)
    var book: String?

    func run() throws {
        let path = try reporting { try NewChapter.create(title: title, book: book ?? Book.defaultFolder()) }
        print(path)
    }
}

struct Tangle: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a chapter's Swift program, as the build compiles it.")

    @Argument(help: "The chapter's Markdown file.", completion: .file(extensions: ["md"]))
    var chapter: String

    func run() throws {
        let single = try reporting { try SingleChapter.load(chapter) }
        print(single.tangle(), terminator: "")
    }
}

struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run one chapter and print its outputs here, plots as text.",
        discussion: "Uses and fills the same cache as build. Exits with status 1 if a block failed.")

    @Argument(help: "The chapter's Markdown file.", completion: .file(extensions: ["md"]))
    var chapter: String

    @Flag(name: .customLong("no-cache"), help: "Run the chapter even if its results are cached.")
    var noCache = false

    @Option(help: "The cache folder (default: the book's, as build uses it).", completion: .directory)
    var cache: String?

    func run() throws {
        let (report, text) = try reporting {
            let single = try SingleChapter.load(chapter)
            var options = BuildOptions()
            options.bookPath = single.book.path
            options.cachePath = cache ?? Book.configuredCache(of: single.book.path)
            options.useCache = !noCache
            return try single.run(options: options, log: printLine)
        }
        print(text, terminator: "")
        if report.failed { throw ExitCode(1) }
    }
}
