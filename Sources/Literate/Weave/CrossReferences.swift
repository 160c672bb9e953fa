import NotebookCore

/// Numbered figures, tables, sections and equations, and the references to them — Quarto's
/// syntax. A block with `//| label: fig-depth` (or `tbl-…`) and a plot (a table) is Figure 2.3
/// (Table 2.1): chapter number, then its place among the chapter's figures (tables). A heading
/// ending in `{#sec-rnn}` is Section 2.1 (its place among the chapter's headings; a level-1
/// heading is Chapter 2); a display formula followed by `{#eq-chain}` on its line is (2.1).
/// `@fig-depth` anywhere in the book reads "Figure 2.3" and links there.
struct CrossReferences {
    struct Target: Equatable {
        enum Kind: Equatable { case figure, table, section, chapter, equation }
        let kind: Kind
        /// "2.3"
        let number: String
        /// The chapter's page name and the id on it.
        let slug: String
        let id: String
        /// The chapter's file in the book (`guide/README.md`): the Markdown output links to it.
        var markdownFile: String = ""

        /// "Figure 2.3", as the reference reads.
        var text: String {
            switch kind {
            case .figure: "Figure \(number)"
            case .table: "Table \(number)"
            case .section: "Section \(number)"
            case .chapter: "Chapter \(number)"
            case .equation: "Equation (\(number))"
            }
        }
    }

    private(set) var targets: [String: Target] = [:]
    /// Duplicate labels, and labels that number nothing.
    private(set) var problems: [Diagnostic] = []
    /// The file of the chapter being collected.
    private var currentFile = ""
    /// Where each label is defined, for the duplicate's message.
    private var definedAt: [String: (file: String, line: Int)] = [:]

    init(_ chapters: [ParsedChapter]) {
        for (index, chapter) in chapters.enumerated() {
            collect(chapter, number: index + 1)
        }
    }

    private mutating func define(_ label: String, _ target: Target, file: String, line: Int) {
        var target = target
        target.markdownFile = currentFile
        if let first = definedAt[label] {
            problems.append(.warning("the label '\(label)' is defined twice (first at \(first.file):\(first.line)); labels name one thing in the whole book, so rename one",
                                   file: file, line: line))
            return
        }
        definedAt[label] = (file, line)
        targets[label] = target
    }

    private mutating func collect(_ chapter: ParsedChapter, number: Int) {
        let slug = chapter.chapter.slug, file = chapter.chapter.path
        currentFile = chapter.chapter.fileName
        var figures = 0, tables = 0
        for block in chapter.blocks {
            guard let label = block.options.label else { continue }
            if label.hasPrefix("fig-") {
                figures += 1
                define(label, Target(kind: .figure, number: "\(number).\(figures)", slug: slug, id: label), file: file, line: block.startLine)
            } else if label.hasPrefix("tbl-") {
                tables += 1
                define(label, Target(kind: .table, number: "\(number).\(tables)", slug: slug, id: label), file: file, line: block.startLine)
            }
        }
        let tree = chapter.tree
        var sectionCounters: [Int] = []
        var equations = 0
        for index in tree.blocks {
            switch tree[index].kind {
            case .heading(let level, _):
                // Every heading counts, labelled or not, so a number says where the section is.
                let depth = Int(level) - 1
                if depth >= 1 {
                    if sectionCounters.count < depth { sectionCounters += Array(repeating: 0, count: depth - sectionCounters.count) }
                    sectionCounters = Array(sectionCounters.prefix(depth))
                    sectionCounters[depth - 1] += 1
                }
                guard let label = CrossReferences.label(endingHeading: index, in: tree) else { continue }
                let target = depth == 0
                    ? Target(kind: .chapter, number: "\(number)", slug: slug, id: label)
                    : Target(kind: .section, number: ([number] + sectionCounters).map(String.init).joined(separator: "."), slug: slug, id: label)
                define(label, target, file: file, line: Int(tree[index].line))
            case .paragraph:
                for (math, label) in CrossReferences.labelledEquations(in: index, of: tree) {
                    equations += 1
                    let name = tree.string(label)
                    define(name, Target(kind: .equation, number: "\(number).\(equations)", slug: slug, id: name),
                           file: file, line: Int(tree[math].line))
                }
            default:
                break
            }
        }
        // A label anywhere else numbers nothing.
        for index in tree.indices {
            guard case .label(let id) = tree[index].kind, !CrossReferences.isAttached(index, in: tree) else { continue }
            problems.append(.warning("'{#\(tree.string(id))}' ends neither a heading nor a display formula ($$ … $$), so it names nothing; move it to the end of one",
                                     file: file, line: Int(tree[index].line)))
        }
    }

    /// The `{#label}` a heading ends with.
    static func label(endingHeading heading: MarkdownTree.Index, in tree: MarkdownTree) -> String? {
        let children = (heading + 1)..<tree.end(of: heading)
        guard let last = children.last(where: { !isBlank($0, in: tree) }),
              case .label(let id) = tree[last].kind else { return nil }
        return tree.string(id)
    }

    /// Display formulas of a paragraph followed (across blanks) by a `{#label}`.
    static func labelledEquations(in paragraph: MarkdownTree.Index, of tree: MarkdownTree) -> [(MarkdownTree.Index, MarkdownTree.TextRange)] {
        var found: [(MarkdownTree.Index, MarkdownTree.TextRange)] = []
        var lastMath: MarkdownTree.Index?
        for index in (paragraph + 1)..<tree.end(of: paragraph) {
            switch tree[index].kind {
            case .math(display: true): lastMath = index
            case .label(let id):
                if let math = lastMath { found.append((math, id)) }
                lastMath = nil
            default:
                if !isBlank(index, in: tree) { lastMath = nil }
            }
        }
        return found
    }

    /// Whether the label node at `index` ends a heading or follows a display formula.
    static func isAttached(_ index: MarkdownTree.Index, in tree: MarkdownTree) -> Bool {
        var previous = index - 1
        while previous >= 0 && isBlank(previous, in: tree) { previous -= 1 }
        guard previous >= 0 else { return false }
        if case .math(display: true) = tree[previous].kind { return true }
        // The heading holding it, if it is the heading's last non-blank child.
        var parent = index - 1
        while parent >= 0 && tree.end(of: parent) <= index { parent -= 1 }
        guard parent >= 0, case .heading = tree[parent].kind else { return false }
        return label(endingHeading: parent, in: tree) != nil
            && ((index + 1)..<tree.end(of: parent)).allSatisfy { isBlank($0, in: tree) }
    }

    /// A text node of spaces, or a line break: nothing between a formula and its label.
    static func isBlank(_ index: MarkdownTree.Index, in tree: MarkdownTree) -> Bool {
        switch tree[index].kind {
        case .text: tree.bytes(tree[index].literal).allSatisfy { $0 == 32 || $0 == 9 }
        case .softBreak: true
        default: false
        }
    }

    /// The caption of a block's plots (`kind` .figure) or tables (.table): "Figure 2.3: Gradient
    /// norms" when the block is labelled `fig-`/`tbl-` and the caption is of that kind, else the
    /// caption as written.
    func caption(of block: SwiftRunBlock, kind: Target.Kind, written: String?) -> String? {
        guard let label = block.options.label, let target = targets[label], target.kind == kind,
              kind == .figure || kind == .table else { return written }
        let name = target.kind == .figure ? "Figure" : "Table"
        return written.map { "\(name) \(target.number): \($0)" } ?? "\(name) \(target.number)"
    }

    /// The message for a reference to a label that names nothing.
    static func unknown(_ label: String, file: String, line: Int) -> Diagnostic {
        .warning("'@\(label)' refers to no label; label a block with '//| label: \(label)', or end a heading or a display formula with '{#\(label)}'",
               file: file, line: line)
    }
}

/// Writes the references of a chapter's page: each `@label` as a link reading "Figure 2.3", each
/// heading's `{#label}` as its id, each labelled display formula's number beside it.
struct CrossReferenceRenderer {
    let chapter: ParsedChapter
    let references: CrossReferences

    func rewrite(_ tree: inout MarkdownTree, diagnostics: inout [Diagnostic]) {
        var edits = MarkdownTree.Edits()
        for index in tree.indices {
            switch tree[index].kind {
            case .crossReference(let labelRange):
                let label = tree.string(labelRange)
                var node = tree[index]
                if let target = references.targets[label] {
                    let href = (target.slug == chapter.chapter.slug ? "" : chapter.chapter.pathToRoot + target.slug + ".html") + "#" + target.id
                    node.literal = tree.store("<a class=\"cross-reference\" href=\"\(HTMLWriter.escape(href))\">\(HTMLWriter.escape(target.text))</a>")
                } else {
                    diagnostics.append(CrossReferences.unknown(label, file: chapter.chapter.path, line: Int(node.line)))
                    node.literal = tree.store("<span class=\"cross-reference unresolved\">\(HTMLWriter.escape("@" + label))</span>")
                }
                node.kind = .wovenInline
                tree[index] = node
            case .heading(let level, _):
                guard let label = CrossReferences.label(endingHeading: index, in: tree) else { continue }
                tree[index].kind = .heading(level: level, id: tree.store(label))
                // The label and the spaces before it are not part of the heading's text.
                let children = (index + 1)..<tree.end(of: index)
                guard let labelNode = children.last(where: { !CrossReferences.isBlank($0, in: tree) }) else { continue }
                var cut = labelNode
                while cut - 1 > index && CrossReferences.isBlank(cut - 1, in: tree) { cut -= 1 }
                if cut - 1 > index, case .text = tree[cut - 1].kind {
                    var text = tree[cut - 1]
                    let bytes = tree.bytes(text.literal)
                    let kept = bytes.count - bytes.reversed().prefix { $0 == 32 || $0 == 9 }.count
                    text.literal = text.literal.part(0..<kept)
                    tree[cut - 1] = text
                }
                for blank in cut..<labelNode { edits.replace(blank, by: []) }
                edits.replace(labelNode, by: [])
            case .label(let id):
                let label = tree.string(id)
                guard let target = references.targets[label], target.kind == .equation else { continue }
                var node = tree[index]
                node.kind = .wovenInline
                node.literal = tree.store("<span class=\"equation-number\" id=\"\(HTMLWriter.escape(label))\">(\(target.number))</span>")
                tree[index] = node
            default:
                continue
            }
        }
        tree.apply(edits)
    }
}
