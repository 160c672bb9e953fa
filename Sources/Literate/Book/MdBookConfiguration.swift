import Foundation
import NotebookCore
import TOMLKit

/// An mdBook book's `book.toml`, so that such a book builds unchanged: its title, authors,
/// language and description (`[book]`), where its chapters are (`src`, default `src/`, with
/// `SUMMARY.md`), where it is built (`[build] build-dir`, default `book/`), and the redirect pages
/// of `[output.html.redirect]`. Preprocessors and renderers Legend does not run are named once,
/// as a warning.
public struct MdBookConfiguration: Sendable, Equatable {
    public var title: String?
    public var authors: [String] = []
    public var language: String?
    public var description: String?
    /// The folder of the chapters and SUMMARY.md, relative to book.toml's folder.
    public var source = "src"
    /// The folder the site is built into, relative to book.toml's folder.
    public var buildDirectory = "book"
    /// Old page → where it moved, from `[output.html.redirect]`.
    public var redirects: [Redirect] = []

    public struct Redirect: Sendable, Equatable {
        /// The old page's path in the site (`/old/page.html` as written, without the `/`).
        public let page: String
        /// Where it went: a URL, or a path relative to the old page.
        public let target: String
    }

    /// mdBook's own preprocessors that Legend does the work of (includes; README as index).
    static let builtIn: Set<String> = ["links", "index"]

    /// Reads `book.toml` at `path`: the configuration, and warnings for what Legend does not run.
    public static func read(_ path: String, inside root: String) throws(Diagnostic) -> (MdBookConfiguration, [Diagnostic]) {
        let data: Data
        switch ContainedFile.read(path, inside: root) {
        case .success(let contents): data = contents
        case .failure(let refusal): throw .error("book.toml \(refusal.reason); make it a regular file of the book", file: path)
        }
        guard let text = String(data: data, encoding: .utf8) else { throw .error("book.toml is not UTF-8 text; save it as UTF-8", file: path) }
        let table: TOMLTable
        do {
            table = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw .error("book.toml is not valid TOML: \(error.description)", file: path,
                         line: error.source.begin.line, column: error.source.begin.column)
        } catch {
            throw .error("book.toml is not valid TOML: \(error)", file: path)
        }
        var configuration = MdBookConfiguration()
        var warnings: [Diagnostic] = []
        if let book = table["book"]?.table {
            configuration.title = book["title"]?.string
            configuration.authors = book["authors"]?.array?.compactMap { $0.string } ?? []
            configuration.language = book["language"]?.string
            configuration.description = book["description"]?.string
            if let source = book["src"]?.string {
                guard !source.isEmpty, !source.hasPrefix("/"), !source.split(separator: "/").contains("..") else {
                    throw .error("book.toml's [book] src must be a folder inside the book, such as \"src\", not '\(source)'", file: path)
                }
                configuration.source = source
            }
        }
        if let build = table["build"]?.table, let directory = build["build-dir"]?.string, !directory.isEmpty {
            configuration.buildDirectory = directory
        }
        let output = table["output"]?.table
        if let redirect = output?["html"]?.table?["redirect"]?.table {
            for page in redirect.keys.sorted() {
                guard let target = redirect[page]?.string else { continue }
                let path = page.hasPrefix("/") ? String(page.dropFirst()) : page
                guard !path.isEmpty, !path.split(separator: "/").contains(".."), !path.hasSuffix("/") else {
                    warnings.append(.warning("the redirect from '\(page)' is not a page inside the site, so it is left out", file: path))
                    continue
                }
                configuration.redirects.append(Redirect(page: path, target: target))
            }
        }
        let preprocessors = (table["preprocessor"]?.table?.keys ?? []).filter { !builtIn.contains($0) }.sorted()
        let renderers = (output?.keys ?? []).filter { $0 != "html" }.sorted()
        if !preprocessors.isEmpty || !renderers.isEmpty {
            let named = [preprocessors.isEmpty ? nil : "preprocessors " + preprocessors.joined(separator: ", "),
                         renderers.isEmpty ? nil : "renderers " + renderers.joined(separator: ", ")].compactMap { $0 }
            warnings.append(.warning("Legend does not run mdBook's \(named.joined(separator: " and ")); the book is built without them",
                                     file: path))
        }
        return (configuration, warnings)
    }

    /// The page that sends a reader from a moved page to its new place.
    public func redirectPage(_ redirect: Redirect) -> String {
        let target = HTMLWriter.escape(redirect.target)
        return """
            <!DOCTYPE html>
            <html lang="\(HTMLWriter.escape(language ?? "en"))">
            <head>
            <meta charset="utf-8">
            <title>Moved</title>
            <meta http-equiv="refresh" content="0; url=\(target)">
            <link rel="canonical" href="\(target)">
            </head>
            <body>
            <p>This page has moved to <a href="\(target)">\(target)</a>.</p>
            </body>
            </html>

            """
    }
}
