import Yams

/// The YAML Legend reads — a chapter's front matter and `book.yml` — composed by Yams only once it
/// is known to hold no alias, at most `maximumNodes` nodes and no node nested deeper than
/// `maximumDepth`, and refused if it holds a number that Yams would trap making.
///
/// Why aliases are refused: Yams composes an alias (`*name`) as the very node its anchor names, so
/// a few lines of anchors that alias each other compose at once into a graph that expands
/// exponentially as soon as anything walks it as a tree: `Yams.load` making dictionaries, and
/// `Yams.compose` itself when such a node is a mapping key (it hashes every key to find
/// duplicates). A 9-line `book.yml` took 19 s and 2 GB. Front matter and `book.yml` have no use
/// for aliases, so none is accepted.
///
/// How they are found without composing them: the YAML is composed first with every `*` replaced
/// by a character the text does not hold. In that copy an alias reads as a plain scalar that begins
/// with the replacement (no plain scalar can begin with `*`), every other `*` (in text, quotes,
/// comments) is still just text, and there is no alias to expand, so the copy composes as a tree in
/// time linear in its length (libyaml refuses more than 1000 levels of nesting). Walking that tree
/// finds the aliases, counts the nodes and measures the depth, stopping at the first thing refused;
/// only then is the real text composed.
enum BoundedYAML {
    static let maximumNodes = 10_000
    static let maximumDepth = 64

    /// Where the YAML is, for diagnostics.
    struct Origin {
        /// How messages name it: "front matter", "book.yml".
        var name: String
        var file: String
        /// The file's line on which the YAML's first line is.
        var firstLine: Int
    }

    /// Composes `yaml`, or refuses it with a diagnostic at the offending node's line.
    /// - Parameter invalid: the diagnostic for YAML that Yams cannot compose.
    static func compose(_ yaml: String, from origin: Origin,
                        invalid: (any Error) -> Diagnostic) throws(Diagnostic) -> Node? {
        let stand = standIn(for: yaml)
        do {
            var census = Census(aliasMark: stand?.replacement)
            if let stand {
                // A failure here is the real text's, but reported in the stand-in's words.
                let tree: Node?
                do { tree = try Yams.compose(yaml: stand.yaml) } catch { throw restoring(error, in: yaml, from: stand) }
                try tree.map { node throws(Refusal) in try census.visit(node, depth: 0) }
                return try Yams.compose(yaml: yaml)
            }
            let tree = try Yams.compose(yaml: yaml)
            try tree.map { node throws(Refusal) in try census.visit(node, depth: 0) }
            return tree
        } catch let refusal as Refusal {
            throw refusal.diagnostic(origin)
        } catch {
            throw invalid(error)
        }
    }

    /// The copy of `yaml` with every `*` replaced, or nil when no alias can be in it: libyaml reads
    /// an alias only as `*` followed by a letter, a digit, `_` or `-`.
    static func standIn(for yaml: String) -> (yaml: String, replacement: Unicode.Scalar)? {
        let bytes = yaml.utf8
        var couldAlias = false
        var previous: UInt8 = 0
        for byte in bytes {
            if previous == UInt8(ascii: "*") && isAnchorCharacter(byte) { couldAlias = true; break }
            previous = byte
        }
        guard couldAlias else { return nil }
        // A character of the private use area that the text does not hold. A text that holds all
        // 6 400 gets the first, and a plain scalar of its own that begins with it is refused as an
        // alias: absurd text refused, never an alias expanded.
        var present = Set<UInt32>()
        for scalar in yaml.unicodeScalars where (0xE000...0xF8FF).contains(scalar.value) { present.insert(scalar.value) }
        let replacement = (0xE000...0xF8FF).first { !present.contains($0) }.flatMap(Unicode.Scalar.init) ?? "\u{E000}"
        var copy = String.UnicodeScalarView()
        for scalar in yaml.unicodeScalars { copy.append(scalar == "*" ? replacement : scalar) }
        return (String(copy), replacement)
    }

    private static func isAnchorCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "_"), UInt8(ascii: "-"):
            return true
        default:
            return false
        }
    }

    /// The stand-in's error as the real text's: the same problem at the same place (columns count
    /// characters, and the replacement is one), with the real text and key names.
    private static func restoring(_ error: any Error, in yaml: String, from stand: (yaml: String, replacement: Unicode.Scalar)) -> any Error {
        guard let error = error as? YamlError else { return error }
        switch error {
        case let .reader(problem, offset, value, _):
            return YamlError.reader(problem: problem, offset: offset, value: value, yaml: yaml)
        case let .scanner(context, problem, mark, _):
            return YamlError.scanner(context: context, problem: problem, mark, yaml: yaml)
        case let .parser(context, problem, mark, _):
            return YamlError.parser(context: context, problem: problem, mark, yaml: yaml)
        case let .composer(context, problem, mark, _):
            return YamlError.composer(context: context, problem: problem, mark, yaml: yaml)
        case let .duplicatedKeysInMapping(duplicates, context):
            let restored = duplicates.map { String(String.UnicodeScalarView($0.unicodeScalars.map { $0 == stand.replacement ? "*" : $0 })) }
            return YamlError.duplicatedKeysInMapping(duplicates: restored, context: context)
        default:
            return error
        }
    }

    /// Whether Yams, making an integer of `text` in YAML 1.1's base 60 (`1:30` is 90), overflows
    /// `Int`: it traps (found by fuzz-yaml). The same steps as its `String.sexagesimal()`, checked.
    static func overflowsAsBase60(_ text: String) -> Bool {
        var unsigned = Substring(text)
        let negative = unsigned.hasPrefix("-")
        if negative || unsigned.hasPrefix("+") { unsigned = unsigned.dropFirst() }
        // Yams reads `0x…`, `0b…`, `0o…` and `0…` in their radix, never in base 60.
        guard !unsigned.hasPrefix("0"), unsigned.contains(":") else { return false }
        let digits = unsigned.components(separatedBy: ":").map { Int($0, radix: 10) }
        // A part that is not a number makes the whole text, which Yams keeps as a string.
        guard digits.allSatisfy({ $0 != nil }) else { return false }
        var value = 0
        var base = 1
        for digit in digits.reversed().compactMap({ $0 }) {
            let (product, productOverflows) = digit.multipliedReportingOverflow(by: base)
            let (sum, sumOverflows) = value.addingReportingOverflow(product)
            let (next, baseOverflows) = base.multipliedReportingOverflow(by: 60)
            if productOverflows || sumOverflows || baseOverflows { return true }
            (value, base) = (sum, next)
        }
        return negative && value == .min
    }

    private enum Refusal: Error {
        case alias(line: Int)
        case tooManyNodes(line: Int)
        case tooDeep(line: Int)
        case base60Overflow(line: Int, text: String)

        func diagnostic(_ origin: Origin) -> Diagnostic {
            let name = origin.name
            switch self {
            case .alias(let line):
                return .error("YAML aliases (*name) are not supported in \(name); write the value out (and quote text that begins with '*')",
                              file: origin.file, line: origin.firstLine - 1 + line)
            case .tooManyNodes(let line):
                return .error("\(name) has more than \(BoundedYAML.maximumNodes) YAML keys, values and list items; it holds a few settings, so shorten it",
                              file: origin.file, line: origin.firstLine - 1 + line)
            case .tooDeep(let line):
                return .error("\(name) nests lists and mappings more than \(BoundedYAML.maximumDepth) deep; it holds a few settings, so flatten it",
                              file: origin.file, line: origin.firstLine - 1 + line)
            case .base60Overflow(let line, let text):
                let shown = text.count > 40 ? text.prefix(40) + "…" : Substring(text)
                return .error("\(name) value '\(shown)' is a base-60 number to YAML (as 1:30 is 90), too large for an integer; quote it to keep it as text",
                              file: origin.file, line: origin.firstLine - 1 + line)
            }
        }
    }

    /// A walk of a composed tree, in document order, that stops at the first node refused. It
    /// visits at most `maximumNodes + 1` nodes and recurses at most `maximumDepth + 1` deep.
    private struct Census {
        /// The stand-in for `*`: a plain scalar that begins with it was an alias.
        let aliasMark: Unicode.Scalar?
        var nodes = 0

        mutating func visit(_ node: Node, depth: Int) throws(Refusal) {
            nodes += 1
            let line = node.mark?.line ?? 1
            if nodes > BoundedYAML.maximumNodes { throw .tooManyNodes(line: line) }
            if depth > BoundedYAML.maximumDepth { throw .tooDeep(line: line) }
            switch node {
            case .scalar(let scalar):
                if let aliasMark, scalar.style == .plain, scalar.string.unicodeScalars.first == aliasMark {
                    throw .alias(line: line)
                }
                if scalar.string.contains(":"), node.tag.rawValue == Tag.Name.int.rawValue,
                   BoundedYAML.overflowsAsBase60(scalar.string) {
                    throw .base60Overflow(line: line, text: scalar.string)
                }
            case .mapping(let mapping):
                for (key, value) in mapping {
                    try visit(key, depth: depth + 1)
                    try visit(value, depth: depth + 1)
                }
            case .sequence(let sequence):
                for element in sequence { try visit(element, depth: depth + 1) }
            case .alias:
                // Yams composes an alias as its anchor's node; were it ever kept, it is refused too.
                throw .alias(line: line)
            }
        }
    }
}
