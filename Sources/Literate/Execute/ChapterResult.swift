import NotebookCore

/// What one block produced.
public struct BlockResult: Codable, Sendable, Equatable {
    public enum Status: String, Codable, Sendable {
        /// Ran to its end.
        case ran
        /// Failed to compile, trapped, exited or timed out.
        case failed
        /// Failed, as its `//| error: true` said it would: shown, not a build failure.
        case expectedFailure
        /// Not run because an earlier block failed.
        case notRun
        /// Not meant to run: `//| eval: false`, or empty.
        case skipped
    }

    /// Printed text and rich outputs, in the order the block produced them.
    public enum Item: Codable, Sendable, Equatable {
        case text(String)
        case rich(RichOutput)
    }

    public var status: Status
    public var items: [Item] = []
    /// What the block wrote to stderr (trap reports excluded: they are in `failure`).
    public var stderr: String = ""
    /// Why the block failed: the compiler's or the runtime's diagnostics (with their notes),
    /// located in the chapter.
    public var failure: [Diagnostic] = []
    /// The claims the block made (`claim(_:_:_:)`), in the order it made them.
    public var claims: [Claim] = []

    /// The failure as the page shows it, or nil.
    public var error: String? { failure.isEmpty ? nil : failure.map(\.text).joined(separator: "\n") }

    public init(status: Status, items: [Item] = [], stderr: String = "", failure: [Diagnostic] = [], claims: [Claim] = []) {
        self.status = status
        self.items = items
        self.stderr = stderr
        self.failure = failure
        self.claims = claims
    }
}

/// What running a chapter produced, block by block.
public struct ChapterResult: Codable, Sendable, Equatable {
    /// One result per `swift-run` block, in order.
    public var blocks: [BlockResult]
    /// Everything to print on the console: compiler warnings and errors, traps, timeouts.
    public var diagnostics: [Diagnostic]

    public init(blocks: [BlockResult], diagnostics: [Diagnostic] = []) {
        self.blocks = blocks
        self.diagnostics = diagnostics
    }

    /// The result of block `number` (blocks are numbered from 1, as in messages).
    public subscript(block number: Int) -> BlockResult? {
        get { blocks.indices.contains(number - 1) ? blocks[number - 1] : nil }
        set { if let newValue, blocks.indices.contains(number - 1) { blocks[number - 1] = newValue } }
    }

    /// Whether any block failed that was not expected to.
    public var failed: Bool { blocks.contains { $0.status == .failed } }
    public var failureCount: Int { blocks.filter { $0.status == .failed }.count }
    /// Every claim the chapter's blocks made, in block order.
    public var claims: [Claim] { blocks.flatMap(\.claims) }
}

/// How many claims a build's results hold, and how many of them do not hold: the count
/// `legend build` and `legend check` print ("12 claims, all hold").
public struct ClaimTally: Sendable, Equatable, CustomStringConvertible {
    public var count: Int
    public var unsupported: Int

    public init(_ claims: [Claim]) {
        count = claims.count
        unsupported = claims.filter { !$0.holds }.count
    }

    public var description: String {
        "\(count) claim\(count == 1 ? "" : "s"), " + (unsupported == 0 ? (count == 1 ? "it holds" : "all hold")
            : "\(unsupported) \(unsupported == 1 ? "does" : "do") not hold")
    }
}
