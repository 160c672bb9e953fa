import NotebookCore

/// The `//|` lines at the top of a block, Quarto style: `//| echo: false`. Split by what they
/// change: the run (part of the chapter's cache key) or only how its results are shown (not
/// part of it, so hiding a block's code or captioning its plot runs nothing again).
public struct BlockOptions: Codable, Sendable, Equatable, Hashable {
    /// What changes the run.
    public struct Run: Codable, Sendable, Equatable, Hashable {
        /// Run the block.
        public var eval = true
        /// The block is expected to fail; its error is shown and is not a build failure.
        public var error = false
        /// `//| cache: model, history`: the names whose values the block's checkpoint keeps
        /// (see `Checkpoints`), each with its column on the option line.
        public var cache: [CachedName] = []
    }

    /// A name of `//| cache:`, where it is written (for messages and compiler errors).
    public struct CachedName: Codable, Sendable, Equatable, Hashable {
        public let name: String
        /// The option's line in the chapter's text (includes expanded), and the name's column.
        public let line: Int
        public let column: Int
    }

    /// What changes only the presentation of the results.
    public struct Presentation: Codable, Sendable, Equatable, Hashable {
        /// Show the block's code.
        public var echo = true
        /// Show what the block printed and emitted.
        public var output = true
        public var caption: String?
        /// Quarto's per-output captions: of the block's plots (`fig-cap:`) and of its tables
        /// (`tbl-cap:`). Each wins over `caption:` for its kind of output.
        public var figureCaption: String?
        public var tableCaption: String?
        /// An anchor for the block (`id` in HTML).
        public var label: String?
        /// How this block's plots are drawn: braille, ascii or svg.
        public var plot: PlotStyle?
        /// Whether the block's claims are shown after its outputs; nil: as book.yml's `claims:` says.
        public var claims: ClaimDisplay?
    }

    public var run = Run()
    public var presentation = Presentation()

    public var eval: Bool { get { run.eval } set { run.eval = newValue } }
    public var error: Bool { get { run.error } set { run.error = newValue } }
    public var echo: Bool { get { presentation.echo } set { presentation.echo = newValue } }
    public var output: Bool { get { presentation.output } set { presentation.output = newValue } }
    public var caption: String? { get { presentation.caption } set { presentation.caption = newValue } }
    public var label: String? { get { presentation.label } set { presentation.label = newValue } }
    public var plot: PlotStyle? { get { presentation.plot } set { presentation.plot = newValue } }
    public var claims: ClaimDisplay? { get { presentation.claims } set { presentation.claims = newValue } }

    /// The options as the cache key sees them: the run's only.
    var runKey: String {
        "eval=\(run.eval) error=\(run.error)" + (run.cache.isEmpty ? "" : " cache=" + run.cache.map(\.name).joined(separator: ","))
    }

    public static let keys = ["echo", "eval", "output", "error", "caption", "fig-cap", "tbl-cap", "label", "plot", "claims", "cache"]
    /// The keys that caption a block's outputs.
    static let captionKeys = ["caption", "fig-cap", "tbl-cap"]

    public init() {}

    /// Reads the options at the top of `code`, whose first line is line `firstLine` of `path`.
    /// - Returns: the options and the number of option lines.
    static func parse(_ code: String, path: String, firstLine: Int) -> (BlockOptions, Int, [Diagnostic]) {
        var options = BlockOptions()
        var problems: [Diagnostic] = []
        var count = 0
        for (offset, rawLine) in code.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = rawLine.drop(while: { $0 == " " || $0 == "\t" })
            guard line.hasPrefix("//|") else { break }
            count += 1
            let lineNumber = firstLine + offset
            let entry = line.dropFirst(3)
            guard let colon = entry.firstIndex(of: ":") else {
                problems.append(.error("a block option reads '//| key: value'; found '\(line)'", file: path, line: lineNumber))
                continue
            }
            let key = entry[..<colon].trimmingSpaces
            let value = entry[entry.index(after: colon)...].trimmingSpaces
            func flag() -> Bool? {
                switch value.lowercased() {
                case "true", "yes": return true
                case "false", "no": return false
                default:
                    problems.append(.error("block option '\(key)' must be true or false, not '\(value)'", file: path, line: lineNumber))
                    return nil
                }
            }
            switch key {
            case "echo": options.echo = flag() ?? options.echo
            case "eval": options.eval = flag() ?? options.eval
            case "output": options.output = flag() ?? options.output
            case "error": options.error = flag() ?? options.error
            case "caption": options.caption = value.unquoted
            case "fig-cap": options.presentation.figureCaption = value.unquoted
            case "tbl-cap": options.presentation.tableCaption = value.unquoted
            case "label":
                let label = value.unquoted
                if label.isEmpty || !label.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }) {
                    problems.append(.error("block option 'label' must be letters, digits, '-' or '_', not '\(value)'", file: path, line: lineNumber))
                } else {
                    options.label = label
                }
            case "plot":
                if let style = PlotStyle(rawValue: value) { options.plot = style } else {
                    problems.append(.error("block option 'plot' must be one of \(PlotStyle.names), not '\(value)'", file: path, line: lineNumber))
                }
            case "claims":
                if let display = ClaimDisplay(rawValue: value) { options.claims = display } else {
                    problems.append(.error("block option 'claims' must be \(ClaimDisplay.names), not '\(value)'", file: path, line: lineNumber))
                }
            case "cache":
                // `a, b` or YAML's `[a, b]`; columns count from 1 in the line as written.
                var names: [CachedName] = []
                let problemsBefore = problems.count
                let bytes = Array(rawLine.utf8)
                // Where the value starts on the line: past the first colon and its spaces.
                var start = (bytes.firstIndex(of: UInt8(ascii: ":")) ?? 0) + 1
                while start < bytes.count && (bytes[start] == 32 || bytes[start] == 9) { start += 1 }
                let bracketed = value.hasPrefix("[") && value.hasSuffix("]")
                let body = bracketed ? String(value.dropFirst().dropLast()) : value
                let index = start + (bracketed ? 1 : 0)
                var offset = 0
                for part in body.split(separator: ",", omittingEmptySubsequences: false) {
                    let leading = part.prefix(while: { $0 == " " || $0 == "\t" }).utf8.count
                    let name = part.trimmingSpaces
                    let column = index + offset + leading + 1
                    offset += part.utf8.count + 1
                    guard !name.isEmpty else { continue }
                    guard let first = name.first, first == "_" || first.isLetter,
                          name.allSatisfy({ $0 == "_" || $0.isLetter || $0.isNumber }) else {
                        problems.append(.error("block option 'cache' lists names of values ('//| cache: model, history'); '\(name)' is not a Swift name",
                                               file: path, line: lineNumber))
                        continue
                    }
                    if names.contains(where: { $0.name == name }) { continue }
                    names.append(CachedName(name: name, line: lineNumber, column: column))
                }
                if names.isEmpty && problems.count == problemsBefore {
                    problems.append(.error("block option 'cache' needs the names of the values to keep ('//| cache: model, history')", file: path, line: lineNumber))
                }
                options.run.cache = names
            default:
                problems.append(.error("unknown block option '\(key)' (known: \(keys.joined(separator: ", ")))", file: path, line: lineNumber))
            }
        }
        return (options, count, problems)
    }
}

/// Whether a page shows a block's claims after its outputs (book.yml's `claims:`, a block's
/// `//| claims:`). Hidden claims are still checked, and listed on the claims page.
public enum ClaimDisplay: String, Codable, Sendable, Hashable, CaseIterable {
    case show, hide

    /// `show or hide`, for messages.
    static var names: String { allCases.map(\.rawValue).joined(separator: " or ") }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" || $0 == "\r" }).reversed())
    }

    /// The text without one pair of surrounding quotes.
    var unquoted: String {
        let text = String(self)
        if text.count >= 2, let first = text.first, first == "\"" || first == "'", text.last == first {
            return String(text.dropFirst().dropLast())
        }
        return text
    }
}
