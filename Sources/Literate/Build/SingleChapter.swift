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
        return SingleChapter(book: book, chapter: ParsedChapter(chapter))
    }

    /// The chapter's program, as `legend build` compiles it.
    public func tangle() -> String { Tangler().tangle(chapter).source }

    /// Runs the chapter (or takes its results from the cache) and returns what a terminal shows.
    public func run(options: BuildOptions, log: @escaping @Sendable (String) -> Void) throws(Diagnostic) -> (ChapterReport, String) {
        let runtime = try Runtime.prepare(packageRoot: options.packageRoot, log: log)
        let report = Executor(options: options, log: log).execute([chapter], book: book, runtime: runtime)[0]
        return (report, TerminalWeaver(bookPlot: book.plot).weave(chapter, report.run?.result))
    }
}

/// A chapter's outputs for a terminal: each block's outputs under a rule naming it, plots as
/// braille (or ASCII) text.
public struct TerminalWeaver: Sendable {
    public let bookPlot: String

    public func weave(_ chapter: ParsedChapter, _ result: ChapterResult?) -> String {
        var text = ""
        for block in chapter.blocks {
            let header = "── block \(block.number) · \(chapter.chapter.path):\(block.startLine) "
            text += header + String(repeating: "─", count: max(3, 78 - header.count)) + "\n"
            guard let blockResult = result?.blocks[safe: block.number - 1] else {
                text += "(not run)\n"
                continue
            }
            var options = writerOptions(for: block, in: chapter, bookPlot: bookPlot)
            if options.plotStyle == .svg { options.plotStyle = .braille }
            for item in blockResult.items {
                switch item {
                case .text(let printed): text += printed.hasSuffix("\n") ? printed : printed + "\n"
                case .rich(let output):
                    let shown = TerminalWriter.text(output, options: options)
                    text += shown.hasSuffix("\n") ? shown : shown + "\n"
                }
            }
            if !blockResult.stderr.isEmpty { text += blockResult.stderr.hasSuffix("\n") ? blockResult.stderr : blockResult.stderr + "\n" }
            if let error = blockResult.error { text += error + "\n" }
            switch blockResult.status {
            case .notRun: text += "(not run: an earlier block failed)\n"
            case .skipped: text += "(not run: eval: false or empty)\n"
            default: break
            }
        }
        return text
    }
}

/// `legend new`: the next chapter of a book, with front matter and a block to start from.
public enum NewChapter {
    /// Creates `NN-slug.md` after the book's last chapter (and the book folder with a
    /// `book.yml` if there is none yet). Returns the new file's path.
    public static func create(title: String, book path: String) throws(Diagnostic) -> String {
        let title = title.trimmingSpaces
        guard !title.isEmpty else { throw .error("a chapter needs a title, such as `legend new \"The ReLU Sword\"`") }
        let manager = FileManager.default
        var isDirectory: ObjCBool = false
        if !manager.fileExists(atPath: path, isDirectory: &isDirectory) {
            do {
                try manager.createDirectory(atPath: path, withIntermediateDirectories: true)
                let bookTitle = URL(fileURLWithPath: path).lastPathComponent
                try "title: \(bookTitle)\n".write(toFile: path + "/book.yml", atomically: true, encoding: .utf8)
            } catch {
                throw .error("cannot create the book folder '\(path)': \(error.localizedDescription)")
            }
        } else if !isDirectory.boolValue {
            throw .error("'\(path)' is a file, not a book folder")
        }
        let names = (try? manager.contentsOfDirectory(atPath: path)) ?? []
        let numbers = names.filter { $0.hasSuffix(".md") }.compactMap { Int($0.prefix(while: \.isNumber)) }
        let number = (numbers.max() ?? 0) + 1
        let width = max(2, String(number).count)
        let prefix = String(repeating: "0", count: width - String(number).count) + String(number)
        var slug = ""
        for character in title.lowercased() {
            if character.isLetter || character.isNumber { slug.append(character) } else if !slug.hasSuffix("-") { slug.append("-") }
        }
        while slug.hasSuffix("-") { slug.removeLast() }
        let file = "\(prefix)-\(slug.isEmpty ? "chapter" : slug).md"
        let full = (path == "." ? "" : path + "/") + file
        guard !manager.fileExists(atPath: full) else { throw .error("'\(full)' already exists; choose another title") }
        let yamlTitle = title.contains(":") || title.contains("#") || title.hasPrefix("\"") ? "\"\(title.replacingOccurrences(of: "\"", with: "\\\""))\"" : title
        let text = """
            ---
            title: \(yamlTitle)
            seed: 0
            ---
            # \(title)

            Write the chapter here. Blocks marked `swift-run` run when the book is built; what they
            print or show appears below them.

            ```swift-run
            let x = Tensor([[1, 2], [3, 4]], requiresGrad: true)
            let y = (x * x).sum()
            y.backward()
            print(x.grad!)
            ```

            """
        do {
            try text.write(toFile: full, atomically: true, encoding: .utf8)
        } catch {
            throw .error("cannot write '\(full)': \(error.localizedDescription)")
        }
        return full
    }
}
