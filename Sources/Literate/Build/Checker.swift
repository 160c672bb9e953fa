import Foundation

/// `legend check`: the gate before publishing. Builds the book without touching the output
/// folder, and lists every problem as `file:line: …`: failed blocks, wiki links that name no
/// chapter, math the renderer rejects, relative links and images that point nowhere,
/// mis-encoded text, and an output folder that differs from a fresh build.
public struct Checker: Sendable {
    public let options: BuildOptions
    public let log: @Sendable (String) -> Void

    public init(options: BuildOptions, log: @escaping @Sendable (String) -> Void) {
        self.options = options
        self.log = log
    }

    /// What a check found: every problem, in book order (none means the book may be
    /// published), and the book's claims counted.
    public struct Findings: Sendable {
        public var problems: [Diagnostic]
        public var claims: ClaimTally
    }

    /// Every problem found, in book order; empty means the book may be published.
    public func check() throws(Diagnostic) -> [Diagnostic] {
        try findings().problems
    }

    /// Every problem found, and the count of the book's claims. A claim that does not hold is a
    /// problem already: it failed its block.
    public func findings() throws(Diagnostic) -> Findings {
        let (report, files) = try Builder(options: options, log: { _ in }).weave()
        var problems: [Diagnostic] = []
        problems += report.book.warnings.filter { $0.severity == .error }
        problems += report.fileProblems
        for chapter in report.chapters {
            problems += chapter.problems.filter { $0.severity == .error }
            if let run = chapter.run {
                problems += run.result.diagnostics.filter { $0.severity == .error }
                if run.result.failed && !run.result.diagnostics.contains(where: { $0.severity == .error }) {
                    problems.append(.error("a block failed", file: chapter.path))
                }
            }
        }
        problems += report.weaveProblems.map { Diagnostic(.error, $0.message, file: $0.file, line: $0.line, column: $0.column) }
        for chapter in report.parsedChapters {
            problems += MisEncoding.diagnostics(for: chapter.chapter.source).map(chapter.chapter.located)
        }
        problems += brokenLinks(in: files, report: report)
        problems += staleOutput(files)
        return Findings(problems: problems, claims: report.claims)
    }

    /// Relative `href` and `src` targets (and `#fragment`s of pages) that the site does not have.
    func brokenLinks(in files: [String: Data], report: BuildReport) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        var ids: [String: Set<String>] = [:]
        func anchors(_ page: String) -> Set<String> {
            if let known = ids[page] { return known }
            let html = files[page].map { String(decoding: $0, as: UTF8.self) } ?? ""
            let found = Set(Checker.attributeValues("id", in: html))
            ids[page] = found
            return found
        }
        for chapter in report.parsedChapters {
            let page = chapter.chapter.slug + ".html"
            guard let data = files[page] else { continue }
            // Links in the chapter's own text: after the theme's `<article>`.
            let opening = Array("<article>".utf8)
            let start = data.withUnsafeBytes { raw in
                HTMLText.occurrences(of: opening, in: raw.bindMemory(to: UInt8.self), limit: 1).first.map { $0 + opening.count }
            } ?? 0
            let article = String(decoding: data[(data.startIndex + start)...], as: UTF8.self)
            for link in Checker.brokenLinks(in: article, of: page, files: files, anchors: anchors) {
                // The line is looked for only when there is a problem to report.
                let written = link.path.isEmpty ? "#" + (link.fragment ?? "") : link.path
                let line = chapter.chapter.source.lines.firstIndex { $0.contains(written) }.map { chapter.chapter.lineMap.written($0 + 1) }
                problems.append(.error(link.problem, file: chapter.chapter.path, line: line))
            }
        }
        // The print page holds the chapters' links rewritten to its own sections, so a chapter's
        // broken link is broken there too: it is reported once, from the chapter. With the
        // chapters sound, a broken link there is the print page's own (its template, or an id
        // the rewriting missed).
        if problems.isEmpty, let data = files[SiteWeaver.printPageName] {
            let html = String(decoding: data, as: UTF8.self)
            for link in Checker.brokenLinks(in: html, of: SiteWeaver.printPageName, files: files, anchors: anchors) {
                problems.append(.error(link.problem, file: SiteWeaver.printPageName))
            }
        }
        return problems
    }

    /// The relative links and images of `html`, on `page`, that point to nothing the site has:
    /// each with its path and fragment, and the problem.
    static func brokenLinks(in html: String, of page: String, files: [String: Data],
                            anchors: (String) -> Set<String>) -> [(path: String, fragment: String?, problem: String)] {
        var broken: [(String, String?, String)] = []
        for target in attributeValues("href", in: html) + attributeValues("src", in: html) {
            guard !target.isEmpty, !target.contains(":"), !target.hasPrefix("//") else { continue }
            let parts = target.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
            let path = parts[0].removingPercentEncoding ?? String(parts[0])
            let fragment = parts.count > 1 ? String(parts[1]) : nil
            // Relative to the page's folder: pages mirror the chapters' paths.
            let folder = page.contains("/") ? String(page[...page.lastIndex(of: "/")!]) : ""
            let resolved = path.isEmpty ? page : normalize(folder + path)
            if files[resolved] == nil {
                broken.append((path, fragment, "the link '\(target)' points to nothing the site has; fix the path, or add the file to the book folder"))
            } else if let fragment, !fragment.isEmpty, resolved.hasSuffix(".html"), !anchors(resolved).contains(fragment) {
                broken.append((path, fragment, "the link '\(target)' names an anchor that \(resolved) does not have"))
            }
        }
        return broken
    }

    /// Files of the published output that a fresh build would write differently.
    func staleOutput(_ files: [String: Data]) -> [Diagnostic] {
        let manager = FileManager.default
        let output = options.outputPath
        var existing: Set<String> = []
        if let enumerator = manager.enumerator(atPath: output) {
            while let relative = enumerator.nextObject() as? String {
                var isDirectory: ObjCBool = false
                // `build --pdf`'s PDF is no part of the woven site (and records when it was made).
                if relative != OutputFolder.marker, relative != BookPrinter.pdfName,
                   manager.fileExists(atPath: output + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue {
                    existing.insert(relative)
                }
            }
        }
        var stale: [String] = []
        for (path, data) in files where manager.contents(atPath: output + "/" + path) != data { stale.append(path) }
        stale += existing.subtracting(files.keys)
        guard !stale.isEmpty else { return [] }
        let listed = stale.sorted().prefix(8).joined(separator: ", ") + (stale.count > 8 ? ", …" : "")
        return [.error("\(stale.count) file\(stale.count == 1 ? "" : "s") differ from a fresh build (\(listed)); run `legend build` to bring it up to date",
                       file: output)]
    }

    /// The values of every ` name="…"` (or `'…'`) attribute in `html`, searched as bytes (a page
    /// can be tens of megabytes).
    static func attributeValues(_ name: String, in html: String) -> [String] {
        var html = html
        return html.withUTF8 { bytes in
            let needle = Array(" \(name)=".utf8)
            var values: [String] = []
            var next = 0
            for hit in HTMLText.occurrences(of: needle, in: bytes) where hit >= next {
                let open = hit + needle.count
                guard open < bytes.count, bytes[open] == UInt8(ascii: "\"") || bytes[open] == UInt8(ascii: "'") else { continue }
                guard let end = bytes[(open + 1)...].firstIndex(of: bytes[open]) else { break }
                let value = String(decoding: UnsafeBufferPointer(rebasing: bytes[(open + 1)..<end]), as: UTF8.self)
                values.append(value.contains("&amp;") ? HTMLText.replacing("&amp;", with: "&", in: value) : value)
                next = end + 1
            }
            return values
        }
    }

    /// `a/./b/../c` → `a/c`.
    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return parts.joined(separator: "/")
    }
}
