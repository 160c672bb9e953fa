/// A sentence of the book's prose that a block checks: the statement, whether the condition
/// behind it held, the numbers it rests on, and where it is written. A block makes one with
/// `claim(_:_:_:)` (Notebook); it travels to the runner as a side-channel record and is kept
/// with the block's result, so a page, the claims page and `legend check` show the same thing.
public struct Claim: Codable, Sendable, Equatable {
    /// A named number the statement rests on, such as `ratio = 3.2e-7`.
    public struct Value: Codable, Sendable, Equatable {
        public var name: String
        public var value: Double

        public init(name: String, value: Double) {
            self.name = name
            self.value = value
        }
    }

    /// The claim in the author's words.
    public var statement: String
    /// Whether the condition held when the block ran.
    public var holds: Bool
    /// The numbers behind it, in the order the author gave them.
    public var values: [Value]
    /// Where the claim is written: the Markdown file and line (`#filePath` and `#line` under the
    /// tangled program's `#sourceLocation`).
    public var file: String
    public var line: Int

    public init(statement: String, holds: Bool, values: [Value] = [], file: String, line: Int) {
        self.statement = statement
        self.holds = holds
        self.values = values
        self.file = file
        self.line = line
    }

    /// The values as a reader sees them, in the book's number format: `ratio = 3.2e-7, layers = 100`.
    /// Empty when the claim has none.
    public var valuesText: String {
        values.map { "\($0.name) = \(NumberFormat.automatic.string($0.value))" }.joined(separator: ", ")
    }

    /// The statement on one line: a claim is shown as a compact line, and a line break in it
    /// would end a Markdown quote or a diagnostic.
    public var statementLine: String {
        statement.split(whereSeparator: \.isNewline).joined(separator: " ")
    }

    /// Why a block fails on this claim: `claim not supported: 'statement' — ratio = 3.2e-7`.
    public var failureMessage: String {
        "claim not supported: '\(statementLine)'" + (values.isEmpty ? "" : " — " + valuesText)
    }
}
