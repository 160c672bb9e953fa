import Foundation
import NotebookCore
import Yams

/// The YAML block at the top of a chapter, between `---` lines.
public struct FrontMatter: Sendable, Equatable {
    public var title: String?
    public var summary: String?
    /// The chapter's random seed (default 0): the same seed gives byte-identical outputs.
    public var seed: Int = 0
    /// Seconds before the chapter's program is killed.
    public var timeout: Double = 300
    /// Other names a `[[wiki link]]` may use for this chapter.
    public var aliases: [String] = []
    /// Files the chapter reads; a change to one re-runs the chapter.
    public var inputs: [String] = []
    /// How plots are drawn: braille (default), ascii or svg.
    public var plot: PlotStyle?
    /// Names of environment variables the chapter's program sees, besides the fixed ones; their
    /// values are read when the book is built and are part of the chapter's cache key.
    public var env: [String] = []
    /// Bytes of memory the chapter's program may map; nil for the default (half the machine's).
    public var memory: Int?

    public static let keys = ["title", "summary", "seed", "timeout", "aliases", "inputs", "plot", "env", "memory"]

    public init() {}

    /// Splits `source` into its front matter and the line on which the Markdown body starts.
    /// A chapter without front matter starts at line 1.
    /// - Returns: the front matter and the number of lines it occupies (including both `---`).
    static func parse(_ source: SourceText, warnings: inout [Diagnostic]) throws(Diagnostic) -> (FrontMatter, Int) {
        guard source.lines.first == "---" else { return (FrontMatter(), 0) }
        guard let close = source.lines.indices.dropFirst().first(where: { source.lines[$0] == "---" || source.lines[$0] == "..." }) else {
            throw .error("front matter starts with '---' but is never closed; end it with a line of '---'",
                         file: source.path, line: 1)
        }
        let yaml = source.lines[1..<close].joined(separator: "\n")
        let node = try BoundedYAML.compose(yaml, from: .init(name: "front matter", file: source.path, firstLine: 2)) { error in
            guard let error = error as? YamlError else {
                return .error("front matter is not valid YAML: \(error)", file: source.path, line: 2)
            }
            return FrontMatter.diagnostic(for: error, path: source.path)
        }
        if let complexKey = node.flatMap(FrontMatter.complexKey(in:)) {
            throw .error("front matter keys must be names, such as 'title:'; a list or mapping cannot be a key",
                         file: source.path, line: (complexKey.mark?.line ?? 1) + 1)
        }
        var matter = FrontMatter()
        // What `Yams.load` returns: the composed node made into dictionaries, arrays and values.
        guard let value = node?.any else { return (matter, close + 1) }
        guard let fields = value as? [String: Any] else {
            throw .error("front matter must be a mapping of keys to values (such as 'title: …')", file: source.path, line: 2)
        }
        func line(of key: String) -> Int {
            let index = source.lines[1..<close].firstIndex { $0.hasPrefix(key + ":") } ?? 1
            return index + 1
        }
        func bad(_ key: String, _ expected: String) -> Diagnostic {
            .error("front matter '\(key)' must be \(expected)", file: source.path, line: line(of: key))
        }
        for key in fields.keys.sorted() {
            let field = fields[key]!
            switch key {
            case "title":
                guard let title = FrontMatter.text(field) else { throw bad(key, "text") }
                matter.title = title
            case "summary":
                guard let summary = FrontMatter.text(field) else { throw bad(key, "text") }
                matter.summary = summary
            case "seed":
                guard let seed = field as? Int else { throw bad(key, "a whole number, such as 'seed: 42'") }
                matter.seed = seed
            case "timeout":
                let seconds = (field as? Double) ?? (field as? Int).map(Double.init)
                guard let seconds, seconds > 0 else { throw bad(key, "a positive number of seconds, such as 'timeout: 120'") }
                matter.timeout = seconds
            case "aliases", "inputs":
                let list = (field as? [Any])?.compactMap(FrontMatter.text) ?? FrontMatter.text(field).map { [$0] }
                guard let list, list.count == ((field as? [Any])?.count ?? 1) else { throw bad(key, "a list of text, such as '\(key): [a, b]'") }
                if key == "aliases" { matter.aliases = list } else { matter.inputs = list }
            case "plot":
                guard let plot = (field as? String).flatMap(PlotStyle.init(rawValue:)) else {
                    throw bad(key, "one of \(PlotStyle.names)")
                }
                matter.plot = plot
            case "env":
                let list = (field as? [Any])?.compactMap { $0 as? String } ?? (field as? String).map { [$0] }
                guard let list, list.count == ((field as? [Any])?.count ?? 1) else {
                    throw bad(key, "a list of environment variable names, such as 'env: [DATA_DIR]'")
                }
                for name in list {
                    if let problem = ChapterEnvironment.problem(withName: name) { throw bad(key, problem) }
                }
                matter.env = list
            case "memory":
                guard let bytes = FrontMatter.bytes(field) else {
                    throw bad(key, "an amount of memory of at least 64 MB, such as 'memory: 2 GB' or 'memory: 512 MB'")
                }
                matter.memory = bytes
            default:
                warnings.append(.warning(
                    "unknown front matter key '\(key)' is ignored (known: \(FrontMatter.keys.joined(separator: ", ")))",
                    file: source.path, line: line(of: key)))
            }
        }
        return (matter, close + 1)
    }

    /// A mapping key that is a list or a mapping (`[a]: b`), anywhere in `node`. Yams traps on
    /// one when it makes a dictionary (found by fuzz-weave), so it is looked for first. `node` comes
    /// from `BoundedYAML`, so it is a tree (no alias shares a node) and the walk is linear.
    static func complexKey(in node: Node) -> Node? {
        switch node {
        case .mapping(let mapping):
            for (key, value) in mapping {
                guard case .scalar = key else { return key }
                if let found = complexKey(in: value) { return found }
            }
        case .sequence(let sequence):
            for element in sequence {
                if let found = complexKey(in: element) { return found }
            }
        case .scalar, .alias:
            break
        }
        return nil
    }

    /// `512 MB`, `2 GB`, `1.5G`, `4096 MiB`: binary units, as memory limits are usually meant.
    /// At least 64 MB, below which the Swift runtime cannot start.
    static func bytes(_ value: Any) -> Int? {
        guard let text = (value as? String)?.trimmingCharacters(in: .whitespaces).uppercased() else { return nil }
        let number = text.prefix { $0.isNumber || $0 == "." }
        var unit = text.dropFirst(number.count).trimmingCharacters(in: .whitespaces)
        if unit.hasSuffix("IB") { unit = String(unit.dropLast(2)) } else if unit.hasSuffix("B") { unit = String(unit.dropLast()) }
        let scale: Double
        switch unit {
        case "K": scale = 1024
        case "M": scale = 1_048_576
        case "G": scale = 1_073_741_824
        case "T": scale = 1_099_511_627_776
        default: return nil
        }
        guard let amount = Double(number), amount.isFinite else { return nil }
        let bytes = amount * scale
        guard bytes >= Double(64 << 20), bytes < Double(Int.max / 2) else { return nil }
        return Int(bytes)
    }

    private static func text(_ value: Any) -> String? {
        switch value {
        case let text as String: return text
        case let number as Int: return String(number)
        case let number as Double: return String(number)
        default: return nil
        }
    }

    /// Maps a YAML error to the chapter line (the YAML starts on line 2).
    private static func diagnostic(for error: YamlError, path: String) -> Diagnostic {
        switch error {
        case let .scanner(_, problem, mark, _), let .parser(_, problem, mark, _), let .composer(_, problem, mark, _):
            return .error("front matter is not valid YAML: \(problem)", file: path, line: mark.line + 1, column: mark.column)
        case let .duplicatedKeysInMapping(duplicates, context):
            return .error("front matter repeats the key '\(duplicates.joined(separator: "', '"))'",
                          file: path, line: context.mark.line + 1)
        default:
            return .error("front matter is not valid YAML: \(error)", file: path, line: 2)
        }
    }
}
