/// GFM's inlines, and the blocks that cmark leaves as a paragraph's first text, made from
/// cmark's tree: strikethrough (`~~x~~`, `~x~`), extended autolinks (`www.`, `http(s)://`,
/// `ftp://`, e-mail addresses), footnote references (`[^label]`), task list items (`[ ]`,
/// `[x]`) and callouts (`> [!NOTE]`).
///
/// cmark cuts a paragraph's text at its own markup characters (`[`, `]`, `*`, `_`, …), so the
/// adjacent text nodes of a container are read as one run; a backslash escape is a node of
/// its own kind (`escapedText`) and never markup here. The rules are cmark-gfm's, applied to
/// the inlines of one container at a time: a strikethrough never crosses the emphasis or
/// link cmark found first, and a URL ends where the container's text is cut by other markup.
/// Every scan is linear in the text: a closer looks back for its opener over a list that
/// loses what it passes (as in cmark), and a domain is read for at most 255 bytes.
enum GFMInlines {
    /// Rewrites `tree`; `footnotes` are the keys of the chapter's footnote definitions, in the
    /// order of the definitions in its footnote section.
    static func rewrite(_ tree: inout MarkdownTree, footnotes: [String]) {
        var labels: [String: Int32] = [:]
        for (number, key) in footnotes.enumerated() where labels[key] == nil { labels[key] = Int32(number) }
        var replacements: [(index: MarkdownTree.Index, tokens: [MarkdownTree.Edits.Token])] = []
        var open: [MarkdownTree.Index] = []
        var linkDepth = 0
        var index = 0
        while index < tree.nodes.count {
            while let last = open.last, tree.end(of: last) <= index {
                open.removeLast()
                if isLink(tree[last].kind) { linkDepth -= 1 }
            }
            let node = tree[index]
            guard tree.end(of: index) > index + 1 else {
                index += 1
                continue
            }
            switch node.kind {
            case .paragraph, .heading, .tableCell, .emphasis, .strong, .link, .image:
                var container = Container(index: index, labels: labels, inLink: linkDepth > 0 || isLink(node.kind))
                if let parent = open.last, parent + 1 == index, node.kind == .paragraph {
                    switch tree[parent].kind {
                    case .item: container.opensItem = parent
                    case .blockQuote: container.opensBlockQuote = parent
                    default: break
                    }
                }
                container.rewrite(into: &tree, replacements: &replacements)
            default:
                break
            }
            open.append(index)
            if isLink(node.kind) { linkDepth += 1 }
            index += 1
        }
        if !replacements.isEmpty {
            replacements.sort { $0.index < $1.index }
            var edits = MarkdownTree.Edits()
            for replacement in replacements { edits.replace(subtree: replacement.index, by: replacement.tokens) }
            tree.apply(edits)
        }
        if !footnotes.isEmpty { numberFootnotes(&tree) }
    }

    private static func isLink(_ kind: MarkdownTree.Kind) -> Bool {
        switch kind {
        case .link, .image: true
        default: false
        }
    }

    /// Numbers the footnotes in order of first reference (the chapter's, then those of the
    /// footnotes it references, and so on), counts each one's references, and puts the
    /// referenced ones in the footnote section in that order; the others leave it.
    static func numberFootnotes(_ tree: inout MarkdownTree) {
        guard let section = tree.indices.last(where: { tree[$0].kind == .footnoteSection }) else { return }
        var definitions: [Int32: MarkdownTree.Index] = [:]
        var child = section + 1
        while child < tree.end(of: section) {
            if case .footnoteDefinition(let definition, _) = tree[child].kind { definitions[definition] = child }
            child = tree.end(of: child)
        }
        var order: [Int32] = [], numbers: [Int32: Int32] = [:], counts: [Int32: Int32] = [:]
        func visit(_ range: Range<Int>) {
            for index in range {
                guard case .footnoteReference(let definition, _) = tree[index].kind else { continue }
                if numbers[definition] == nil {
                    order.append(definition)
                    numbers[definition] = Int32(order.count)
                }
                counts[definition, default: 0] += 1
                tree[index].kind = .footnoteReference(number: numbers[definition]!, occurrence: counts[definition]!)
            }
        }
        visit(0..<section)
        var next = 0
        while next < order.count {
            if let index = definitions[order[next]] { visit(index..<tree.end(of: index)) }
            next += 1
        }
        var tokens: [MarkdownTree.Edits.Token] = []
        if !order.isEmpty {
            tokens.append(.open(tree[section]))
            for definition in order {
                guard let index = definitions[definition] else { continue }
                GFMBlocks.copy(subtree: index, of: tree, into: &tokens) { node in
                    var node = node
                    if case .footnoteDefinition(definition, _) = node.kind {
                        node.kind = .footnoteDefinition(number: numbers[definition]!, references: counts[definition]!)
                    }
                    return node
                }
            }
            tokens.append(.close)
        }
        var edits = MarkdownTree.Edits()
        edits.replace(subtree: section, by: tokens)
        tree.apply(edits)
    }
}

/// The inlines of one container: its adjacent text nodes as runs, between the other nodes.
private struct Container {
    let index: MarkdownTree.Index
    let labels: [String: Int32]
    let inLink: Bool
    /// The list item or block quote this paragraph opens, if any: it may be a task or a callout.
    var opensItem: MarkdownTree.Index?
    var opensBlockQuote: MarkdownTree.Index?

    init(index: MarkdownTree.Index, labels: [String: Int32], inLink: Bool) {
        self.index = index
        self.labels = labels
        self.inLink = inLink
    }

    /// What a node next to a run is to the rules of flanking: a line end is whitespace, other
    /// markup (`*`, `` ` ``, `[`, `<`, `$`) punctuation.
    enum Neighbour { case space, punctuation, emphasis }

    struct Run {
        var nodes: [MarkdownTree.Index] = []
        /// Where each node's text starts in `bytes`.
        var starts: [Int] = []
        var bytes: [UInt8] = []
        var before = Neighbour.space
        var after = Neighbour.space
        /// What replaces the run's bytes, in order: kept text, removed text, nodes.
        var pieces: [Piece] = []
    }

    enum Piece {
        case text(Range<Int>)
        case node(MarkdownTree.Node)
        case open(MarkdownTree.Node)
        case close
    }

    mutating func rewrite(into tree: inout MarkdownTree, replacements: inout [(index: MarkdownTree.Index, tokens: [MarkdownTree.Edits.Token])]) {
        let children = self.children(tree)
        let mayOpenBlock = (opensItem != nil || opensBlockQuote != nil)
            && tree[index + 1].kind == .text && tree.bytes(tree[index + 1].literal).first == UInt8(ascii: "[")
        guard mayOpenBlock || children.contains(where: { tree[$0].kind == .text && hasTrigger(tree.bytes(tree[$0].literal)) }) else { return }
        let boundary = self.boundary(tree)
        var runs: [Run] = []
        /// Per child: its run, or nil for another node.
        var runOf: [Int?] = []
        for (position, child) in children.enumerated() {
            guard tree[child].kind == .text else {
                runOf.append(nil)
                continue
            }
            if position > 0, runOf[position - 1] != nil {
                runs[runs.count - 1].starts.append(runs[runs.count - 1].bytes.count)
                runs[runs.count - 1].nodes.append(child)
                runs[runs.count - 1].bytes += tree.bytes(tree[child].literal)
            } else {
                var run = Run()
                run.nodes = [child]
                run.starts = [0]
                run.bytes = Array(tree.bytes(tree[child].literal))
                run.before = position > 0 ? neighbour(children[position - 1], tree) : boundary
                runs.append(run)
            }
            runOf.append(runs.count - 1)
        }
        for (position, run) in runOf.enumerated() {
            guard let run, position + 1 == children.count || runOf[position + 1] == nil else { continue }
            runs[run].after = position + 1 < children.count ? neighbour(children[position + 1], tree) : boundary
        }
        // Removed: the break after a task's box or a callout's marker, or the whole paragraph.
        var removed: [MarkdownTree.Index] = []
        // Bytes of each run that are markup, not text.
        var consumed = runs.map { _ in [Range<Int>]() }
        var inserted = runs.map { _ in [(at: Int, pieces: [Piece])]() }

        if mayOpenBlock, runOf.first == 0 {
            // The child after the first run: a line break, if the first line is all the run.
            let after = runs[0].nodes.count
            let lineEnds = after == children.count || isBreak(children[after], tree)
            if let item = opensItem, let marker = taskMarker(runs[0].bytes) {
                tree[item].kind = .taskItem(checked: marker.checked)
                consumed[0].append(0..<marker.length)
                if marker.length == runs[0].bytes.count, after < children.count, isBreak(children[after], tree) {
                    removed.append(children[after])
                }
            } else if let quote = opensBlockQuote, let callout = calloutMarker(runs[0].bytes), lineEnds {
                tree[quote].kind = .callout(callout)
                if after + 1 >= children.count {
                    // The marker was the whole paragraph.
                    replacements.append((index, []))
                    return
                }
                consumed[0].append(0..<runs[0].bytes.count)
                removed.append(children[after])
            }
        }
        if !labels.isEmpty {
            for run in runs.indices {
                for (range, definition) in footnoteReferences(runs[run].bytes) {
                    consumed[run].append(range)
                    inserted[run].append((range.lowerBound, [.node(.leaf(.footnoteReference(number: definition, occurrence: 0)))]))
                }
            }
        }
        strikethrough(runs, consumed: &consumed, inserted: &inserted)
        if !inLink {
            for run in runs.indices {
                for link in autolinks(runs[run], consumed: consumed[run]) {
                    let url = tree.store(link.url)
                    consumed[run].append(link.range)
                    inserted[run].append((link.range.lowerBound, [.open(.container(.link(url: url, title: nil))), .text(link.range), .close]))
                }
            }
        }
        for run in runs.indices where !consumed[run].isEmpty || !inserted[run].isEmpty {
            runs[run].pieces = pieces(length: runs[run].bytes.count, consumed: consumed[run], inserted: inserted[run])
            replace(runs[run], tree, replacements: &replacements)
        }
        for node in removed { replacements.append((node, [])) }
    }

    private func children(_ tree: MarkdownTree) -> [MarkdownTree.Index] {
        var children: [MarkdownTree.Index] = []
        var child = index + 1
        while child < tree.end(of: index) {
            children.append(child)
            child = tree.end(of: child)
        }
        return children
    }

    /// Bytes that may start GFM markup: `~`, `^`, `:` (a URL), `@` (an e-mail address), `www.`.
    private func hasTrigger(_ bytes: ArraySlice<UInt8>) -> Bool {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            switch bytes[index] {
            case UInt8(ascii: "~"), UInt8(ascii: "^"), UInt8(ascii: ":"), UInt8(ascii: "@"): return true
            case UInt8(ascii: "w"):
                if index + 3 < bytes.endIndex && bytes[index + 1] == UInt8(ascii: "w") && bytes[index + 2] == UInt8(ascii: "w")
                    && bytes[index + 3] == UInt8(ascii: ".") { return true }
            default: break
            }
            index += 1
        }
        return false
    }

    /// The character before the container's first inline or after its last.
    private func boundary(_ tree: MarkdownTree) -> Neighbour {
        switch tree[index].kind {
        case .emphasis, .strong: .emphasis
        case .link, .image: .punctuation
        default: .space
        }
    }

    private func neighbour(_ node: MarkdownTree.Index, _ tree: MarkdownTree) -> Neighbour {
        switch tree[node].kind {
        case .softBreak, .lineBreak: .space
        case .emphasis, .strong: .emphasis
        default: .punctuation
        }
    }

    private func isBreak(_ node: MarkdownTree.Index, _ tree: MarkdownTree) -> Bool {
        tree[node].kind == .softBreak || tree[node].kind == .lineBreak
    }

    // MARK: Tasks and callouts

    /// `[ ]`, `[x]` or `[X]` and the spaces after it, at the start of an item's paragraph.
    private func taskMarker(_ bytes: [UInt8]) -> (checked: Bool, length: Int)? {
        guard bytes.count >= 3, bytes[0] == UInt8(ascii: "["), bytes[2] == UInt8(ascii: "]") else { return nil }
        let checked: Bool
        switch bytes[1] {
        case UInt8(ascii: " "): checked = false
        case UInt8(ascii: "x"), UInt8(ascii: "X"): checked = true
        default: return nil
        }
        var length = 3
        guard length == bytes.count || bytes[length] == 32 || bytes[length] == 9 else { return nil }
        while length < bytes.count && (bytes[length] == 32 || bytes[length] == 9) { length += 1 }
        return (checked, length)
    }

    /// `[!NOTE]` (any case) as a block quote's whole first line.
    private func calloutMarker(_ bytes: [UInt8]) -> MarkdownTree.Callout? {
        guard bytes.count > 4, bytes[0] == UInt8(ascii: "["), bytes[1] == UInt8(ascii: "!"), bytes.last == UInt8(ascii: "]") else { return nil }
        let word = String(decoding: bytes[2..<(bytes.count - 1)], as: UTF8.self).lowercased()
        return MarkdownTree.Callout.allCases.first { $0.name == word }
    }

    // MARK: Footnote references

    /// `[^label]` where a definition has the label.
    private func footnoteReferences(_ bytes: [UInt8]) -> [(Range<Int>, Int32)] {
        var found: [(Range<Int>, Int32)] = []
        var index = 0
        while index + 3 < bytes.count {
            guard bytes[index] == UInt8(ascii: "["), bytes[index + 1] == UInt8(ascii: "^") else {
                index += 1
                continue
            }
            var end = index + 2
            while end < bytes.count, !FootnoteDefinition.isLabelStop(bytes[end]), bytes[end] != UInt8(ascii: "[") { end += 1 }
            if end > index + 2, end < bytes.count, bytes[end] == UInt8(ascii: "]"),
               let definition = labels[String(decoding: bytes[(index + 2)..<end], as: UTF8.self).lowercased()] {
                found.append((index..<(end + 1), definition))
                index = end + 1
            } else {
                index += 2
            }
        }
        return found
    }

    // MARK: Strikethrough

    private struct Delimiter {
        let run: Int
        let range: Range<Int>
        let canOpen: Bool
        let canClose: Bool
    }

    /// cmark-gfm's rule: a run of one or two `~` that is left-flanking opens, right-flanking
    /// closes; a closer takes the nearest opener that may pair with it (emphasis's rule of
    /// three, for lengths one and two), and makes a strikethrough when their lengths agree.
    private func strikethrough(_ runs: [Run], consumed: inout [[Range<Int>]], inserted: inout [[(at: Int, pieces: [Piece])]]) {
        var delimiters: [Delimiter] = []
        for (number, run) in runs.enumerated() {
            let bytes = run.bytes
            // What is consumed so far (footnote references, a task's box) is in order.
            let taken = consumed[number].sorted { $0.lowerBound < $1.lowerBound }
            var nextTaken = 0
            var index = 0
            while let tilde = bytes[index...].firstIndex(of: UInt8(ascii: "~")) {
                var end = tilde
                while end < bytes.count && bytes[end] == UInt8(ascii: "~") { end += 1 }
                index = end
                while nextTaken < taken.count && taken[nextTaken].upperBound <= tilde { nextTaken += 1 }
                guard end - tilde <= 2, !(nextTaken < taken.count && taken[nextTaken].overlaps(tilde..<end)) else { continue }
                let before = tilde > 0 ? Flanking.character(before: tilde, in: bytes) : Flanking.Character(run.before)
                let after = end < bytes.count ? Flanking.character(at: end, in: bytes) : Flanking.Character(run.after)
                let left = Flanking.isLeft(before: before, after: after), right = Flanking.isLeft(before: after, after: before)
                guard left || right else { continue }
                delimiters.append(Delimiter(run: number, range: tilde..<end, canOpen: left, canClose: right))
            }
        }
        guard delimiters.count >= 2 else { return }
        // A doubly linked list of the delimiters still in play.
        var previous = Array(-1..<(delimiters.count - 1)), next = Array(1...delimiters.count)
        func remove(_ delimiter: Int) {
            if previous[delimiter] >= 0 { next[previous[delimiter]] = next[delimiter] }
            if next[delimiter] < delimiters.count { previous[next[delimiter]] = previous[delimiter] }
        }
        // Per length, the lowest place an opener may be, once a search for one has failed.
        var bottom = [-1, -1, -1]
        var closer = 0
        while closer < delimiters.count {
            let following = next[closer]
            let current = delimiters[closer]
            guard current.canClose else {
                closer = following
                continue
            }
            var opener = previous[closer]
            let length = current.range.count
            while opener > bottom[length] {
                let candidate = delimiters[opener]
                if candidate.canOpen && (candidate.range.count == length || (!current.canOpen && !candidate.canClose)) { break }
                opener = previous[opener]
            }
            if opener > bottom[length] {
                if delimiters[opener].range.count == length {
                    let start = delimiters[opener], end = current
                    consumed[start.run].append(start.range)
                    inserted[start.run].append((start.range.upperBound, [.open(.container(.strikethrough))]))
                    consumed[end.run].append(end.range)
                    inserted[end.run].append((end.range.lowerBound, [.close]))
                    // The opener, the closer and everything between are done.
                    var inner = closer
                    while inner != opener {
                        let before = previous[inner]
                        remove(inner)
                        inner = before
                    }
                    remove(opener)
                } else if !current.canOpen {
                    remove(closer)
                }
            } else {
                bottom[length] = previous[closer]
                if !current.canOpen { remove(closer) }
            }
            closer = following
        }
    }

    // MARK: Autolinks

    /// The extended autolinks of a run, outside its `consumed` bytes and not across them.
    private func autolinks(_ run: Run, consumed: [Range<Int>]) -> [(range: Range<Int>, url: String)] {
        let bytes = run.bytes
        // Stretches of text between the consumed bytes (a URL cannot run into a delimiter).
        var stretches: [Range<Int>] = []
        var start = 0
        for range in consumed.sorted(by: { $0.lowerBound < $1.lowerBound }) {
            if range.lowerBound > start { stretches.append(start..<range.lowerBound) }
            start = max(start, range.upperBound)
        }
        if start < bytes.count { stretches.append(start..<bytes.count) }
        var links: [(range: Range<Int>, url: String)] = []
        // cmark-gfm does not link inside an open `[`: it could still become a link's text.
        var brackets = 0
        var bracketScan = 0
        for stretch in stretches {
            var index = stretch.lowerBound
            // Where the text not yet linked starts, for e-mail addresses.
            var plain = stretch.lowerBound
            var found: [(range: Range<Int>, url: String)] = []
            while index < stretch.upperBound {
                while bracketScan < index {
                    if bytes[bracketScan] == UInt8(ascii: "[") { brackets += 1 }
                    if bytes[bracketScan] == UInt8(ascii: "]") { brackets = max(0, brackets - 1) }
                    bracketScan += 1
                }
                let byte = bytes[index]
                if brackets == 0, byte == UInt8(ascii: ":"), let link = url(at: index, in: bytes, stretch: stretch, from: plain) {
                    found.append(link)
                    index = link.range.upperBound
                    plain = index
                    continue
                }
                if brackets == 0, byte == UInt8(ascii: "w"), let link = www(at: index, in: bytes, stretch: stretch, before: run.before) {
                    found.append(link)
                    index = link.range.upperBound
                    plain = index
                    continue
                }
                index += 1
            }
            // E-mail addresses come last, in the text the other links left.
            var gaps: [Range<Int>] = []
            var gapStart = stretch.lowerBound
            for link in found {
                gaps.append(gapStart..<link.range.lowerBound)
                gapStart = link.range.upperBound
            }
            gaps.append(gapStart..<stretch.upperBound)
            for gap in gaps { found += emails(in: bytes, gap) }
            links += found
        }
        return links
    }

    /// `http://`, `https://` or `ftp://` and what follows, the `:` at `colon`.
    private func url(at colon: Int, in bytes: [UInt8], stretch: Range<Int>, from plain: Int) -> (range: Range<Int>, url: String)? {
        guard colon + 3 < stretch.upperBound, bytes[colon + 1] == UInt8(ascii: "/"), bytes[colon + 2] == UInt8(ascii: "/") else { return nil }
        var start = colon
        while start > max(plain, stretch.lowerBound) && Flanking.isLetter(bytes[start - 1]) { start -= 1 }
        let scheme = String(decoding: bytes[start..<colon], as: UTF8.self).lowercased()
        guard ["http", "https", "ftp"].contains(scheme), Autolink.isHostCharacter(bytes, at: colon + 3, end: stretch.upperBound) else { return nil }
        guard let domain = Autolink.domainLength(bytes, from: colon + 3, end: stretch.upperBound, allowShort: true) else { return nil }
        var end = colon + 3 + domain
        while end < stretch.upperBound && !Flanking.isASCIISpace(bytes[end]) { end += 1 }
        end = Autolink.trimmedEnd(bytes, start: colon, end: end)
        guard end > colon else { return nil }
        return (start..<end, String(decoding: bytes[start..<end], as: UTF8.self))
    }

    /// `www.` and what follows, after whitespace, `*`, `_`, `~`, `(` or nothing.
    private func www(at start: Int, in bytes: [UInt8], stretch: Range<Int>, before: Neighbour) -> (range: Range<Int>, url: String)? {
        guard start + 4 <= stretch.upperBound, bytes[start..<(start + 4)].elementsEqual("www.".utf8) else { return nil }
        if start > 0 {
            let previous = bytes[start - 1]
            guard Flanking.isASCIISpace(previous) || "*_~(".utf8.contains(previous) else { return nil }
        } else if before == .punctuation {
            return nil
        }
        guard let domain = Autolink.domainLength(bytes, from: start, end: stretch.upperBound, allowShort: false) else { return nil }
        var end = start + domain
        while end < stretch.upperBound && !Flanking.isASCIISpace(bytes[end]) { end += 1 }
        end = Autolink.trimmedEnd(bytes, start: start, end: end)
        guard end > start else { return nil }
        return (start..<end, "http://" + String(decoding: bytes[start..<end], as: UTF8.self))
    }

    /// E-mail addresses in `gap`: letters, digits and `.+-_` before an `@`; after it, a domain
    /// with a dot, ending in a letter (or a dot, which is then trimmed).
    private func emails(in bytes: [UInt8], _ gap: Range<Int>) -> [(range: Range<Int>, url: String)] {
        var found: [(range: Range<Int>, url: String)] = []
        var floor = gap.lowerBound
        var index = gap.lowerBound
        while let at = bytes[index..<gap.upperBound].firstIndex(of: UInt8(ascii: "@")) {
            index = at + 1
            var start = at
            while start > floor && (Flanking.isAlphanumeric(bytes[start - 1]) || ".+-_".utf8.contains(bytes[start - 1])) { start -= 1 }
            floor = at + 1
            guard start < at, !(start > gap.lowerBound && bytes[start - 1] == UInt8(ascii: "/")) else { continue }
            var end = at + 1, dots = 0
            var valid = true
            while end < gap.upperBound {
                let byte = bytes[end]
                if Flanking.isAlphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") {
                    end += 1
                } else if byte == UInt8(ascii: "."), end + 1 < gap.upperBound, Flanking.isAlphanumeric(bytes[end + 1]) {
                    dots += 1
                    end += 1
                } else {
                    // A second `@` makes it no address (and starts the next try).
                    if byte == UInt8(ascii: "@") { valid = false }
                    break
                }
            }
            guard valid, end - at >= 2, dots > 0, Flanking.isLetter(bytes[end - 1]) || bytes[end - 1] == UInt8(ascii: ".") else { continue }
            end = Autolink.trimmedEnd(bytes, start: at, end: end)
            guard end > at + 1 else { continue }
            found.append((start..<end, "mailto:" + String(decoding: bytes[start..<end], as: UTF8.self)))
            index = end
            floor = end
        }
        return found
    }

    // MARK: Writing the runs back

    /// The run's bytes less `consumed`, with `inserted` at their places, in order. At one place,
    /// a strikethrough's end comes first, then what is removed, then what is inserted.
    private func pieces(length: Int, consumed: [Range<Int>], inserted: [(at: Int, pieces: [Piece])]) -> [Piece] {
        enum Event {
            case skip(Range<Int>)
            case insert([Piece])
        }
        var events: [(at: Int, order: Int, sequence: Int, event: Event)] = []
        for range in consumed { events.append((range.lowerBound, 1, events.count, .skip(range))) }
        for insertion in inserted {
            let closes = if case .close = insertion.pieces.first { true } else { false }
            events.append((insertion.at, closes ? 0 : 2, events.count, .insert(insertion.pieces)))
        }
        events.sort { ($0.at, $0.order, $0.sequence) < ($1.at, $1.order, $1.sequence) }
        var result: [Piece] = []
        var position = 0
        func keep(upTo end: Int) {
            if end > position { result.append(.text(position..<end)) }
            position = max(position, end)
        }
        for event in events {
            keep(upTo: event.at)
            switch event.event {
            case .skip(let range): position = max(position, range.upperBound)
            case .insert(let pieces): result += pieces
            }
        }
        keep(upTo: length)
        return result
    }

    /// The run's nodes replaced by its pieces: text pieces cut at the nodes' borders, other
    /// pieces in the node where they stand.
    private func replace(_ run: Run, _ tree: MarkdownTree, replacements: inout [(index: MarkdownTree.Index, tokens: [MarkdownTree.Edits.Token])]) {
        var tokens = run.nodes.map { _ in [MarkdownTree.Edits.Token]() }
        func node(containing offset: Int) -> Int {
            var low = 0, high = run.starts.count - 1
            while low < high {
                let middle = (low + high + 1) / 2
                if run.starts[middle] <= offset { low = middle } else { high = middle - 1 }
            }
            return low
        }
        var position = 0
        for piece in run.pieces {
            switch piece {
            case .text(let range):
                var start = range.lowerBound
                while start < range.upperBound {
                    let owner = node(containing: start)
                    let ownerEnd = owner + 1 < run.starts.count ? run.starts[owner + 1] : run.bytes.count
                    let end = min(range.upperBound, ownerEnd)
                    let literal = tree[run.nodes[owner]].literal
                    tokens[owner].append(.leaf(.leaf(.text, literal: literal.part((start - run.starts[owner])..<(end - run.starts[owner])))))
                    start = end
                }
                position = range.upperBound
            case .node(let leaf):
                tokens[node(containing: min(position, run.bytes.count - 1))].append(.leaf(leaf))
            case .open(let container):
                tokens[node(containing: min(position, run.bytes.count - 1))].append(.open(container))
            case .close:
                tokens[node(containing: min(position, run.bytes.count - 1))].append(.close)
            }
        }
        for (number, index) in run.nodes.enumerated() { replacements.append((index, tokens[number])) }
    }
}

/// The characters around a delimiter run, as CommonMark's flanking rules see them.
enum Flanking {
    enum Character { case space, punctuation, other }

    static func isLeft(before: Character, after: Character) -> Bool {
        after != .space && (after != .punctuation || before == .space || before == .punctuation)
    }

    static func character(at index: Int, in bytes: [UInt8]) -> Character {
        classify(decode(bytes, from: index))
    }

    static func character(before index: Int, in bytes: [UInt8]) -> Character {
        var start = index - 1
        while start > 0 && start > index - 4 && bytes[start] & 0xC0 == 0x80 { start -= 1 }
        return classify(decode(bytes, from: start))
    }

    private static func decode(_ bytes: [UInt8], from index: Int) -> Unicode.Scalar? {
        var iterator = bytes[index...].makeIterator()
        var decoder = UTF8()
        if case .scalarValue(let scalar) = decoder.decode(&iterator) { return scalar }
        return nil
    }

    private static func classify(_ scalar: Unicode.Scalar?) -> Character {
        guard let scalar else { return .other }
        if scalar.isASCII {
            let byte = UInt8(scalar.value)
            if isASCIISpace(byte) { return .space }
            return (33...47).contains(byte) || (58...64).contains(byte) || (91...96).contains(byte) || (123...126).contains(byte)
                ? .punctuation : .other
        }
        switch scalar.properties.generalCategory {
        case .spaceSeparator: return .space
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation, .initialPunctuation,
             .finalPunctuation, .otherPunctuation: return .punctuation
        default: return .other
        }
    }

    static func isASCIISpace(_ byte: UInt8) -> Bool { byte == 32 || (9...13).contains(byte) }
    static func isLetter(_ byte: UInt8) -> Bool { (65...90).contains(byte) || (97...122).contains(byte) }
    static func isAlphanumeric(_ byte: UInt8) -> Bool { isLetter(byte) || (48...57).contains(byte) }
}

extension Flanking.Character {
    /// A node beside a run: a line end is whitespace; emphasis (`*`, `_`) and other markup are
    /// punctuation.
    fileprivate init(_ neighbour: Container.Neighbour) {
        self = neighbour == .space ? .space : .punctuation
    }
}

/// cmark-gfm's rules for where an extended autolink's domain and URL end.
enum Autolink {
    /// Whether the character at `index` may be in a host name: anything but whitespace and
    /// punctuation (a byte inside a multi-byte character is not, as in cmark-gfm).
    static func isHostCharacter(_ bytes: [UInt8], at index: Int, end: Int) -> Bool {
        guard index < end else { return false }
        let byte = bytes[index]
        if byte < 0x80 { return Flanking.isAlphanumeric(byte) }
        if byte & 0xC0 == 0x80 { return false }
        return Flanking.character(at: index, in: bytes) == .other
    }

    /// The length of the domain at `start` (its first character is not checked), or nil when
    /// an underscore is in one of its last two labels or (unless `allowShort`) it has no dot.
    /// Read for at most 255 bytes, which no domain exceeds, so that trying every `www.` of a
    /// line stays linear.
    static func domainLength(_ bytes: [UInt8], from start: Int, end: Int, allowShort: Bool) -> Int? {
        let limit = min(end, start + 255)
        var index = start + 1, dots = 0, underscoresBefore = 0, underscores = 0
        while index < limit - 1 || (index < limit && limit < end) {
            let byte = bytes[index]
            if byte == UInt8(ascii: "_") {
                underscores += 1
            } else if byte == UInt8(ascii: ".") {
                underscoresBefore = underscores
                underscores = 0
                dots += 1
            } else if byte != UInt8(ascii: "-") && !isHostCharacter(bytes, at: index, end: limit) {
                break
            }
            index += 1
        }
        guard underscoresBefore == 0 && underscores == 0, allowShort || dots > 0 else { return nil }
        return index - start
    }

    /// The end of a link found from `start` to `end`, less a `<` and what follows it, trailing
    /// punctuation (`?!.,:*_~'"`), an entity-like `&name;`, and closing parentheses that are not
    /// balanced by opening ones in the link.
    static func trimmedEnd(_ bytes: [UInt8], start: Int, end: Int) -> Int {
        var end = bytes[start..<end].firstIndex(of: UInt8(ascii: "<")) ?? end
        var opening = 0, closing = 0
        for byte in bytes[start..<end] {
            if byte == UInt8(ascii: "(") { opening += 1 } else if byte == UInt8(ascii: ")") { closing += 1 }
        }
        while end > start {
            let last = bytes[end - 1]
            if "?!.,:*_~'\"".utf8.contains(last) {
                end -= 1
            } else if last == UInt8(ascii: ";") {
                var name = end - 2
                while name > start && Flanking.isLetter(bytes[name]) { name -= 1 }
                if name < end - 2 && name >= start && bytes[name] == UInt8(ascii: "&") { end = name } else { end -= 1 }
            } else if last == UInt8(ascii: ")") && closing > opening {
                closing -= 1
                end -= 1
            } else {
                break
            }
        }
        return end
    }
}
