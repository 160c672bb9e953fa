import Foundation

/// A book's table of contents: the order, nesting, numbers and titles of its chapters, from
/// `SUMMARY.md` in mdBook's format. Without one, the chapters are the top-level Markdown files in
/// file-name order, unnumbered and flat, as before.
///
/// mdBook's format: an optional `# Summary` title; prefix chapters (links before the first
/// list, unnumbered); numbered chapters (nested list items, numbered 1., 1.1., …, across
/// parts); `# Part` titles between lists; `---` separators; suffix chapters (links after the
/// last list); draft chapters `[Title]()`, listed without a page.
public struct TableOfContents: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var title: String
        /// The chapter's file, relative to the book; nil for a draft.
        public var file: String?
        /// "3.2." for a numbered chapter, nil for prefix and suffix chapters.
        public var number: String?
        public var children: [Entry] = []
        /// The SUMMARY.md line it is on.
        public var line: Int
    }

    public enum Item: Sendable, Equatable {
        case part(String)
        case separator
        case chapter(Entry)
    }

    public var items: [Item]

    /// Every entry with a page, in reading order (depth first).
    public var chapters: [Entry] {
        var found: [Entry] = []
        func walk(_ entry: Entry) {
            if entry.file != nil { found.append(entry) }
            entry.children.forEach(walk)
        }
        for case .chapter(let entry) in items { walk(entry) }
        return found
    }

    /// The entry of `file` and its ancestors, outermost first.
    public func path(to file: String) -> [Entry] {
        func search(_ entries: [Entry]) -> [Entry]? {
            for entry in entries {
                if entry.file == file { return [entry] }
                if let below = search(entry.children) { return [entry] + below }
            }
            return nil
        }
        return search(items.compactMap { if case .chapter(let entry) = $0 { entry } else { nil } }) ?? []
    }

    /// The page of a chapter's file, without `.html`: its path, except that a `README.md` is its
    /// folder's `index`, as mdBook has it.
    public static func page(of file: String) -> String {
        let stem = String(file.dropLast(3))
        if stem == "README" { return "index" }
        if stem.hasSuffix("/README") { return stem.dropLast("README".count) + "index" }
        return stem
    }

    /// Reads book.yml's `chapters:` list: a file (`- guide/intro.md`), a chapter with a title or
    /// chapters of its own (`- file: guide.md`, `title: …`, `chapters: [...]`), a part
    /// (`- part: Reference`), a separator (`- "---"`). Every chapter is numbered.
    static func fromList(_ list: [Any], file: String, line: Int) -> (TableOfContents, [Diagnostic]) {
        var problems: [Diagnostic] = []
        func entries(_ list: [Any], prefix: [Int]) -> [Item] {
            var items: [Item] = []
            var counter = 0
            for value in list {
                if let text = value as? String, text == "---" { items.append(.separator); continue }
                if let fields = value as? [String: Any], let part = fields["part"] as? String, prefix.isEmpty {
                    items.append(.part(part))
                    continue
                }
                let fields = value as? [String: Any]
                guard let target = (value as? String) ?? (fields?["file"] as? String) else {
                    problems.append(.error("an entry of 'chapters:' is a file ('- intro.md'), a chapter ('- file: intro.md', with 'title:' or 'chapters:'), a part ('- part: Title') or '---'",
                                           file: file, line: line))
                    continue
                }
                counter += 1
                let numbers = prefix + [counter]
                var entry = Entry(title: (fields?["title"] as? String) ?? "", file: Book.lexicallyNormal(target),
                                  number: numbers.map(String.init).joined(separator: ".") + ".", line: line)
                if let children = fields?["chapters"] as? [Any] {
                    entry.children = entries(children, prefix: numbers).compactMap { if case .chapter(let child) = $0 { child } else { nil } }
                }
                items.append(.chapter(entry))
            }
            return items
        }
        return (TableOfContents(items: entries(list, prefix: [])), problems)
    }

    /// Reads SUMMARY.md's text (`file` names it in messages). Problems are errors at their line;
    /// what could be read is kept.
    public static func parse(_ text: String, file: String) -> (TableOfContents, [Diagnostic]) {
        let tree = CmarkDocument.tree(markdown: text)
        var items: [Item] = []
        var problems: [Diagnostic] = []
        var sawTitle = false, sawList = false
        var counter = 0
        for index in tree.children(of: 0) {
            let node = tree[index]
            switch node.kind {
            case .heading(let level, _):
                let title = tree.plainText(of: index).trimmingCharacters(in: .whitespaces)
                if !sawTitle && items.isEmpty && level == 1 { sawTitle = true; continue }
                items.append(.part(title))
            case .thematicBreak:
                items.append(.separator)
            case .paragraph:
                // Prefix or suffix chapters: one link a line.
                for (title, url, line) in links(in: index, of: tree) {
                    items.append(.chapter(Entry(title: title, file: url, number: nil, line: line)))
                }
                if links(in: index, of: tree).isEmpty {
                    problems.append(.error("SUMMARY.md holds text that is not a chapter link, a list of them, a '# Part' title or '---'; write each chapter as '[Title](file.md)'",
                                           file: file, line: Int(node.line)))
                }
            case .list:
                if sawList == false { sawList = true }
                for item in tree.children(of: index) {
                    if let entry = numberedEntry(item, in: tree, prefix: [], counter: &counter, file: file, problems: &problems) {
                        items.append(.chapter(entry))
                    }
                }
            case .htmlBlock:
                continue // a comment
            default:
                problems.append(.error("SUMMARY.md holds something that is not a chapter link, a list of them, a '# Part' title or '---'",
                                       file: file, line: Int(node.line)))
            }
        }
        return (TableOfContents(items: items), problems)
    }

    private static func numberedEntry(_ item: MarkdownTree.Index, in tree: MarkdownTree, prefix: [Int], counter: inout Int,
                                      file: String, problems: inout [Diagnostic]) -> Entry? {
        counter += 1
        let numbers = prefix + [counter]
        var entry: Entry?
        var childCounter = 0
        for child in tree.children(of: item) {
            switch tree[child].kind {
            case .paragraph:
                guard let (title, url, line) = links(in: child, of: tree).first else {
                    problems.append(.error("a list item of SUMMARY.md must be a chapter link, '[Title](file.md)' (or '[Title]()' for a draft)",
                                           file: file, line: Int(tree[child].line)))
                    continue
                }
                entry = Entry(title: title, file: url, number: numbers.map(String.init).joined(separator: ".") + ".", line: line)
            case .list:
                for grandchild in tree.children(of: child) {
                    if let nested = numberedEntry(grandchild, in: tree, prefix: numbers, counter: &childCounter, file: file, problems: &problems) {
                        entry?.children.append(nested)
                    }
                }
            default:
                continue
            }
        }
        if entry == nil { counter -= 1 }
        return entry
    }

    /// The links of a paragraph: title, target (nil for an empty one, a draft), line.
    private static func links(in paragraph: MarkdownTree.Index, of tree: MarkdownTree) -> [(String, String?, Int)] {
        var found: [(String, String?, Int)] = []
        for index in tree.children(of: paragraph) {
            guard case .link(let url, _) = tree[index].kind else { continue }
            let target = tree.string(url).removingPercentEncoding ?? tree.string(url)
            let title = tree.plainText(of: index).trimmingCharacters(in: .whitespaces)
            let line = Int(tree[paragraph].line)
            found.append((title, target.isEmpty ? nil : Book.lexicallyNormal(target.hasPrefix("./") ? String(target.dropFirst(2)) : target), line))
        }
        return found
    }
}

extension MarkdownTree {
    /// The direct children of a node.
    func children(of index: Index) -> [Index] {
        var found: [Index] = []
        var child = index + 1
        while child < end(of: index) {
            found.append(child)
            child = end(of: child)
        }
        return found
    }
}
