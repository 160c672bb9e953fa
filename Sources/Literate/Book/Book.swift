#if canImport(Glibc)
import Glibc
#endif
import Foundation
import NotebookCore
import Yams

/// A book: a folder with an optional `book.yml` and its chapters, the Markdown files in
/// file-name order (`01-the-curse.md`, `02-mathematical-doom.md`, …).
public struct Book: Sendable {
    /// The folder as the user named it (used in diagnostics, so paths read `legend/01-x.md`).
    public let path: String
    public var title: String
    public var author: String?
    public var description: String?
    /// The default plot style of every chapter: braille, ascii or svg.
    public var plot: PlotStyle
    /// Whether pages show blocks' claims after their outputs, unless a block says otherwise.
    public var claims = ClaimDisplay.show
    public var chapters: [Chapter]
    public var warnings: [Diagnostic]
    /// Chapters that could not be read (not UTF-8, bad front matter): reported, and the build
    /// goes on with the others.
    public var problems: [Diagnostic] = []

    /// The folder the site is written to, relative to the book (book.yml `output:`), if named.
    public var output: String?
    /// The cache folder, relative to the book (book.yml `cache:`), if named.
    public var cache: String?
    /// The BibTeX file the chapters cite from (book.yml `bibliography:`), relative to the book.
    public var bibliographyFile: String?
    /// Its entries, read when the book is loaded.
    public var bibliography: Bibliography?
    /// Whether the sidebar numbers chapters (`3.2.`) as the table of contents does (book.yml
    /// `numbers: false` turns it off).
    public var numbered = true
    /// The book's `SUMMARY.md`, if it has one: the chapters' order, nesting, numbers and titles.
    public var tableOfContents: TableOfContents?
    /// book.yml's `chapters:` list, a table of contents for a book without SUMMARY.md.
    var listedContents: (TableOfContents, [Diagnostic])?
    /// An mdBook book's `book.toml` (then `path` is its `src/` folder).
    public var mdBook: MdBookConfiguration?

    public static let configurationKeys = ["title", "author", "description", "plot", "output", "cache", "bibliography", "numbers", "chapters", "claims"]

    /// The book the current folder belongs to, found as git finds a repository: the nearest
    /// folder, from `start` upwards, that holds a `book.yml` — as a path relative to `start`
    /// (`.`, `..`, `../..`), or nil when there is none up to `/`.
    public static func discover(from start: String = FileManager.default.currentDirectoryPath) -> String? {
        var folder = URL(fileURLWithPath: start).standardizedFileURL
        var relative: [String] = []
        while true {
            var isDirectory: ObjCBool = false
            if ["book.yml", "book.toml"].contains(where: { FileManager.default.fileExists(atPath: folder.path + "/" + $0, isDirectory: &isDirectory) && !isDirectory.boolValue }) {
                return relative.isEmpty ? "." : relative.joined(separator: "/")
            }
            let parent = folder.deletingLastPathComponent()
            guard parent.path != folder.path else { return nil }
            folder = parent
            relative.append("..")
        }
    }

    /// The book a command works on when none is named: the discovered one, else this
    /// repository's `legend/`. Throws, naming where it looked, when there is neither.
    public static func defaultFolder() throws(Diagnostic) -> String {
        if let found = discover() { return found }
        if FileManager.default.fileExists(atPath: "legend/book.yml") { return "legend" }
        let here = FileManager.default.currentDirectoryPath
        throw .error("no book.yml in '\(here)' or any folder above it; pass the book's folder, or start a book with `legend init`")
    }

    /// The output folder book.yml at `path` names, as a path (the book's folder joined with
    /// it), or nil when it names none or cannot be read.
    public static func configuredOutput(of path: String) -> String? {
        if let (_, configuration) = mdBookConfiguration(at: path) {
            let directory = configuration.buildDirectory
            return directory.hasPrefix("/") ? directory : lexicallyNormal((path == "." ? "" : path + "/") + directory)
        }
        var book = Book(path: path, title: "", plot: .braille, chapters: [], warnings: [])
        guard (try? book.readConfiguration()) != nil, let output = book.output else { return nil }
        return output.hasPrefix("/") ? output : Book.lexicallyNormal(book.file(output))
    }

    /// The cache folder of the book at `path`: as book.yml names it, else `.legend-cache` in the
    /// book's folder — wherever the command was typed, the book keeps one cache.
    public static func configuredCache(of path: String) -> String {
        var book = Book(path: path, title: "", plot: .braille, chapters: [], warnings: [])
        guard (try? book.readConfiguration()) != nil, let cache = book.cache else { return book.file(".legend-cache") }
        return cache.hasPrefix("/") ? cache : Book.lexicallyNormal(book.file(cache))
    }

    /// `legend/../output` as `output`: for messages. Only `a/..` pairs whose `a` is a plain name
    /// are dropped (a relative path's leading `..` stay).
    static func lexicallyNormal(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: false) {
            if part == "..", let last = parts.last, last != "..", last != ".", !last.isEmpty {
                parts.removeLast()
            } else if part != "." || parts.isEmpty {
                parts.append(part)
            }
        }
        let joined = parts.joined(separator: "/")
        return joined.isEmpty ? "." : joined
    }

    /// The `book.toml` of an mdBook book at `path` (one without a book.yml), or nil.
    static func mdBookConfiguration(at path: String) -> ([Diagnostic], MdBookConfiguration)? {
        (try? mdBookConfigurationOrError(at: path)) ?? nil
    }

    static func mdBookConfigurationOrError(at path: String) throws(Diagnostic) -> ([Diagnostic], MdBookConfiguration)? {
        let folder = path == "." ? "" : path + "/"
        guard !FileManager.default.fileExists(atPath: folder + "book.yml"),
              FileManager.default.fileExists(atPath: folder + "book.toml") else { return nil }
        let (configuration, warnings) = try MdBookConfiguration.read(folder + "book.toml", inside: RealPath.of(path))
        return (warnings, configuration)
    }

    /// Loads the book at `path`: configuration, then every chapter's text and front matter.
    public static func load(from path: String) throws(Diagnostic) -> Book {
        var path = path.count > 1 && path.hasSuffix("/") ? String(path.dropLast()) : path
        while path.hasPrefix("./") && path.count > 2 { path.removeFirst(2) }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .error("no book folder at '\(path)'; create it with `legend new \"Title\" --book \(path)` or pass the folder of your book")
        }
        guard isDirectory.boolValue else {
            throw .error("'\(path)' is a file, not a book folder; pass the folder that holds the chapters")
        }
        var book: Book
        if let (warnings, configuration) = try mdBookConfigurationOrError(at: path) {
            // An mdBook book: its chapters and SUMMARY.md are in its `src` folder.
            let source = (path == "." ? "" : path + "/") + configuration.source
            guard FileManager.default.fileExists(atPath: source + "/SUMMARY.md") else {
                throw .error("an mdBook book lists its chapters in \(configuration.source)/SUMMARY.md, and there is none; add it (see mdBook's documentation)",
                             file: (path == "." ? "" : path + "/") + "book.toml")
            }
            book = Book(path: source, title: configuration.title ?? URL(fileURLWithPath: path).standardizedFileURL.lastPathComponent,
                        plot: .braille, chapters: [], warnings: warnings)
            book.author = configuration.authors.isEmpty ? nil : configuration.authors.joined(separator: ", ")
            book.description = configuration.description
            book.mdBook = configuration
        } else {
            book = Book(path: path, title: URL(fileURLWithPath: path).lastPathComponent, plot: .braille, chapters: [], warnings: [])
            try book.readConfiguration()
            try book.readBibliography()
        }

        let root = RealPath.of(path)
        if let contents = try book.readTableOfContents(root: root) {
            for entry in contents.chapters {
                guard let file = entry.file else { continue }
                guard FileManager.default.fileExists(atPath: book.file(file)) else {
                    book.problems.append(.error("the table of contents lists '\(file)', which does not exist; create it, fix the link, or make it a draft with '[\(entry.title)]()'",
                                                file: book.file("SUMMARY.md"), line: entry.line))
                    continue
                }
                do throws(Diagnostic) {
                    var chapter = try Chapter.load(file: book.file(file), slug: TableOfContents.page(of: file), inside: root)
                    chapter.fileName = file
                    chapter.tocTitle = entry.title.isEmpty ? nil : entry.title
                    chapter.number = entry.number
                    book.chapters.append(chapter)
                } catch {
                    book.problems.append(error)
                }
            }
            return book
        }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw .error("cannot read the book folder: \(error.localizedDescription)", file: path)
        }
        let chapterNames = names.filter { $0.hasSuffix(".md") && !$0.hasPrefix(".") && !$0.hasPrefix("_") && $0 != "README.md" && $0 != "SUMMARY.md" }.sorted()
        guard !chapterNames.isEmpty else {
            throw .error("the book has no chapters: add Markdown files such as '01-introduction.md', or run `legend new \"Title\" --book \(path)`",
                         file: path)
        }
        for name in chapterNames {
            do throws(Diagnostic) {
                book.chapters.append(try Chapter.load(file: book.file(name), slug: String(name.dropLast(3)), inside: root))
            } catch {
                book.problems.append(error)
            }
        }
        return book
    }

    /// Files the site needs besides the chapters — images, data — with their paths in the book:
    /// everything but chapters, `book.yml`, `templates/`, hidden or `_` files, and folders that
    /// are a site Legend built or its cache. `excluding` names folders to leave out (the output
    /// folder and the cache, when they lie inside the book). Only regular files inside the book
    /// are published: a link leading out of it, a FIFO, a device or a socket is a problem
    /// (returned, never read), and a link to a folder is not followed.
    public func assets(excluding excluded: [String] = []) -> (files: [String: Data], problems: [Diagnostic]) {
        var assets: [String: Data] = [:]
        var problems: [Diagnostic] = []
        let manager = FileManager.default
        let root = RealPath.of(path)
        let skipped = Set(excluded.map(RealPath.of))
        func walk(_ folder: String) {
            guard let names = try? manager.contentsOfDirectory(atPath: folder.isEmpty ? path : file(folder)) else { return }
            for name in names.sorted() where !name.hasPrefix(".") && !name.hasPrefix("_") {
                let relative = folder.isEmpty ? name : folder + "/" + name
                if folder.isEmpty && (name == "templates" || name == "book.yml" || name.hasSuffix(".md")) { continue }
                let full = file(relative)
                var status = stat()
                guard lstat(full, &status) == 0 else { continue }
                if status.st_mode & S_IFMT == S_IFDIR {
                    if skipped.contains(RealPath.of(full)) || OutputFolder.isSite(full) || CacheFolder.isTagged(full) { continue }
                    walk(relative)
                    continue
                }
                switch ContainedFile.read(full, inside: root) {
                case .success(let data): assets[relative] = data
                case .failure(.notRegular("a folder")) where status.st_mode & S_IFMT == S_IFLNK: continue
                case .failure(.missing): continue
                case .failure(let refusal): problems.append(.error("'\(full)' \(refusal.reason)", file: full))
                }
            }
        }
        walk("")
        return (assets, problems)
    }

    /// The path of a file in the book, as diagnostics print it.
    public func file(_ name: String) -> String {
        path == "." ? name : path + "/" + name
    }

    /// Reads `SUMMARY.md`, if the book has one. Entries that are not Markdown files in the book,
    /// or are listed twice, are errors at their line (and left out).
    private mutating func readTableOfContents(root: String) throws(Diagnostic) -> TableOfContents? {
        let summary = file("SUMMARY.md")
        guard FileManager.default.fileExists(atPath: summary) else {
            guard var (contents, problems) = listedContents else { return nil }
            validate(&contents, file: file("book.yml"), problems: &problems)
            self.problems += problems
            tableOfContents = contents
            return contents
        }
        if listedContents != nil {
            warnings.append(.warning("book.yml's 'chapters:' is ignored: the book has a SUMMARY.md, which orders its chapters; keep one of the two",
                                     file: file("book.yml")))
        }
        let data: Data
        switch ContainedFile.read(summary, inside: root) {
        case .success(let contents): data = contents
        case .failure(let refusal): throw .error("SUMMARY.md \(refusal.reason); make it a regular file of the book", file: summary)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .error("SUMMARY.md is not UTF-8 text; save it as UTF-8", file: summary) }
        var (contents, problems) = TableOfContents.parse(text, file: summary)
        validate(&contents, file: summary, problems: &problems)
        problems.forEach { problem in self.problems.append(problem) }
        tableOfContents = contents
        return contents
    }

    /// Leaves out (as errors) entries that are not Markdown files of the book, or come twice.
    private func validate(_ contents: inout TableOfContents, file summary: String, problems: inout [Diagnostic]) {
        var seen = Set<String>()
        func check(_ entry: inout TableOfContents.Entry) {
            if let target = entry.file {
                if !target.hasSuffix(".md") || target.hasPrefix("/") || target.hasPrefix("../") || target.contains("://") {
                    problems.append(.error("'\(target)' is not a Markdown file of the book; a chapter names a .md file inside the book, relative to the book's folder",
                                           file: summary, line: entry.line))
                    entry.file = nil
                } else if !seen.insert(target).inserted {
                    problems.append(.error("'\(target)' is listed twice; a chapter has one place in the book", file: summary, line: entry.line))
                    entry.file = nil
                }
            }
            for index in entry.children.indices { check(&entry.children[index]) }
        }
        for index in contents.items.indices {
            if case .chapter(var entry) = contents.items[index] {
                check(&entry)
                contents.items[index] = .chapter(entry)
            }
        }
    }

    /// Reads book.yml's `bibliography:` file: a regular file inside the book. Its problems are
    /// the book's warnings (errors among them fail `check`).
    private mutating func readBibliography() throws(Diagnostic) {
        guard let name = bibliographyFile else { return }
        let path = file(name)
        switch ContainedFile.read(path, inside: RealPath.of(self.path)) {
        case .success(let data):
            guard let text = String(data: data, encoding: .utf8) else {
                throw .error("the bibliography is not UTF-8 text; save it as UTF-8", file: path)
            }
            let (bibliography, problems) = Bibliography.parse(text, file: path)
            self.bibliography = bibliography
            warnings += problems
        case .failure(let refusal):
            throw .error("the bibliography '\(name)' named in book.yml \(refusal.reason); fix 'bibliography:' or add the file", file: file("book.yml"))
        }
    }

    private mutating func readConfiguration() throws(Diagnostic) {
        let configuration = file("book.yml")
        var status = stat()
        guard lstat(configuration, &status) == 0 else { return }
        let data = try ContainedFile.readOrDiagnose(configuration, inside: RealPath.of(path), name: configuration)
        try configure(from: SourceText(path: configuration, bytes: data))
    }

    /// Reads the book's configuration from the text of its `book.yml`.
    mutating func configure(from source: SourceText) throws(Diagnostic) {
        let configuration = source.path
        let node = try BoundedYAML.compose(source.text, from: .init(name: "book.yml", file: configuration, firstLine: 1)) { error in
            switch error {
            case let YamlError.scanner(_, problem, mark, _), let YamlError.parser(_, problem, mark, _):
                return .error("not valid YAML: \(problem)", file: configuration, line: mark.line, column: mark.column)
            default:
                return .error("not valid YAML: \(error)", file: configuration)
            }
        }
        if let complexKey = node.flatMap(FrontMatter.complexKey(in:)) {
            throw .error("book.yml keys must be names, such as 'title:'; a list or mapping cannot be a key",
                         file: configuration, line: complexKey.mark?.line)
        }
        // What `Yams.load` returns: the composed node made into dictionaries, arrays and values.
        guard let value = node?.any else { return }
        guard let fields = value as? [String: Any] else {
            throw .error("book.yml must be a mapping of keys to values (such as 'title: …')", file: configuration, line: 1)
        }
        func line(of key: String) -> Int { (source.lines.firstIndex { $0.hasPrefix(key + ":") } ?? 0) + 1 }
        for key in fields.keys.sorted() {
            let text = fields[key].map { value -> String? in
                if let string = value as? String { return string }
                if value is Int || value is Double { return "\(value)" }
                return nil
            } ?? nil
            switch key {
            case "title", "author", "description":
                guard let text else { throw .error("'\(key)' must be text", file: configuration, line: line(of: key)) }
                if key == "title" { title = text } else if key == "author" { author = text } else { description = text }
            case "chapters":
                guard let list = fields[key] as? [Any] else {
                    throw .error("'chapters' must be a list of chapter files (such as '- intro.md'), parts ('- part: Title') and chapters with their own ('- file: guide.md' with 'chapters:')",
                                 file: configuration, line: line(of: key))
                }
                listedContents = TableOfContents.fromList(list, file: configuration, line: line(of: key))
            case "numbers":
                guard let flag = fields[key] as? Bool else {
                    throw .error("'numbers' must be true or false", file: configuration, line: line(of: key))
                }
                numbered = flag
            case "bibliography":
                guard let text, text.hasSuffix(".bib") else {
                    throw .error("'bibliography' must name a BibTeX file in the book, such as 'bibliography: references.bib'", file: configuration, line: line(of: key))
                }
                bibliographyFile = text
            case "output", "cache":
                guard let text, !text.isEmpty else {
                    let example = key == "output" ? "output: ../site" : "cache: ../.legend-cache"
                    throw .error("'\(key)' must be a folder, relative to the book (such as '\(example)')", file: configuration, line: line(of: key))
                }
                if key == "output" { output = text } else { cache = text }
            case "plot":
                guard let text, let style = PlotStyle(rawValue: text) else {
                    throw .error("'plot' must be one of \(PlotStyle.names)", file: configuration, line: line(of: key))
                }
                plot = style
            case "claims":
                guard let text, let display = ClaimDisplay(rawValue: text) else {
                    throw .error("'claims' must be \(ClaimDisplay.names): whether pages show blocks' claims after their outputs", file: configuration, line: line(of: key))
                }
                claims = display
            default:
                warnings.append(.warning("unknown key '\(key)' is ignored (known: \(Book.configurationKeys.joined(separator: ", ")))",
                                         file: configuration, line: line(of: key)))
            }
        }
    }
}

/// One Markdown file of a book: its text and its front matter.
public struct Chapter: Sendable {
    /// The chapter's text with its includes expanded (see `IncludeExpansion`).
    public let source: SourceText
    /// Where each line of `source` is written in the chapter's file.
    public let lineMap: LineMap
    /// The file name without `.md`; the name of the chapter's pages in `output/`.
    public let slug: String
    public let frontMatter: FrontMatter
    /// Lines taken by the front matter; the Markdown body starts on the line after.
    public let frontMatterLines: Int
    public let warnings: [Diagnostic]

    public var path: String { source.path }
    /// The title the table of contents gives the chapter, which comes first.
    public var tocTitle: String?
    /// Its number in the table of contents ("3.2."), if numbered.
    public var number: String?
    /// From the chapter's page to the site's root: `../` for each folder of its path
    /// (`guide/intro.md` → `../`), since pages mirror the chapters' paths.
    public var pathToRoot: String { String(repeating: "../", count: slug.utf8.reduce(0) { $0 + ($1 == UInt8(ascii: "/") ? 1 : 0) }) }
    /// The folder of the chapter's file in the book, with a trailing `/` (empty at the top).
    public var folder: String { slug.contains("/") ? String(slug[...slug.lastIndex(of: "/")!]) : "" }
    /// The chapter's file as the book names it (`02-rnn.md`, `guide/README.md`), whatever
    /// folder a command was typed in: what cache keys and run times are filed under, and the
    /// woven Markdown's name.
    public var fileName: String

    /// Reads the chapter at `file`, a regular file inside `root` (the book's real path).
    public static func load(file: String, slug: String, inside root: String) throws(Diagnostic) -> Chapter {
        let data: Data
        switch ContainedFile.read(file, inside: root) {
        case .success(let contents): data = contents
        case .failure(.unreadable(let why)):
            throw .error("cannot read the chapter (\(why)); check that the file is readable", file: file)
        case .failure(let refusal):
            throw .error("the chapter '\(file)' \(refusal.reason)", file: file)
        }
        return try Chapter(source: SourceText(path: file, bytes: data), slug: slug, includes: .inside(root))
    }

    /// The chapter written as `source`; its includes read from `includes` (none: each include
    /// is reported missing).
    public init(source: SourceText, slug: String, includes: IncludedFiles = .none) throws(Diagnostic) {
        fileName = slug + ".md"
        var warnings: [Diagnostic] = []
        (frontMatter, frontMatterLines) = try FrontMatter.parse(source, warnings: &warnings)
        let expansion = IncludeExpansion(source, skipping: frontMatterLines, files: includes)
        self.source = expansion.source
        lineMap = expansion.lines
        self.slug = slug
        self.warnings = warnings + expansion.problems
    }

    /// `diagnostic` with its line in the chapter's text as the line written in its file.
    public func located(_ diagnostic: Diagnostic) -> Diagnostic {
        lineMap.located(diagnostic, in: path)
    }

    /// The Markdown body with the front matter blanked out, so cmark's line numbers are the file's.
    var markdownBody: String {
        guard frontMatterLines > 0 else { return source.text }
        var text = String(repeating: "\n", count: frontMatterLines)
        let lines = source.text.splitLines(maxSplits: frontMatterLines)
        if lines.count > frontMatterLines { text += lines[frontMatterLines] }
        return text
    }
}
