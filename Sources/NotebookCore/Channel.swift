import Foundation

/// The side channel between a running chapter program and the runner: one JSON object per line,
/// written to the file named by the environment variable `LEGEND_CHANNEL`.
///
/// Printed text is not sent here. The program's stdout and stderr go to files, and each `begin`
/// and `end` record carries their byte offsets at that moment, so the runner can cut the text of
/// each block out of them — even when a block dies before it can say anything.
public struct ChannelRecord: Codable, Sendable, Equatable {
    /// `claim` carries a `Claim` the current block made; it has no offsets, since a claim is
    /// shown after the block's outputs, not among them.
    public enum Event: String, Codable, Sendable { case begin, end, output, claim }

    public var event: Event
    /// The block's number in the chapter, from 1.
    public var block: Int
    public var stdoutOffset: Int?
    public var stderrOffset: Int?
    public var output: RichOutput?
    /// The claim of a `claim` record.
    public var claim: Claim?
    /// Seconds since the program started (monotonic), for per-block timings.
    public var time: Double?

    public init(event: Event, block: Int, stdoutOffset: Int? = nil, stderrOffset: Int? = nil,
                output: RichOutput? = nil, claim: Claim? = nil, time: Double? = nil) {
        self.event = event
        self.block = block
        self.stdoutOffset = stdoutOffset
        self.stderrOffset = stderrOffset
        self.output = output
        self.claim = claim
        self.time = time
    }

    /// JSON that survives NaN and infinities, which gradient experiments do produce.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }
}

/// The protocol between a tangled chapter program and the runner, named once: the environment
/// the runner gives the program, and the calls the tangler writes around its blocks (answered
/// by `LegendSession` in Notebook).
public enum SessionProtocol {
    /// Names the side-channel file.
    public static let channelVariable = "LEGEND_CHANNEL"
    /// Names the book's folder, where blocks read files from (the program changes into it).
    public static let bookDirectoryVariable = "LEGEND_BOOK_DIRECTORY"
    /// Tags every process of one run, so that those that leave its session are found.
    public static let runTokenVariable = "LEGEND_RUN"

    /// The call before the first block: seeds the generator, opens the channel.
    public static func start(seed: Int) -> String { "LegendSession.start(seed: \(seed))" }
    /// The call before block `number`: a `begin` record with the streams' offsets.
    public static func begin(_ number: Int) -> String { "LegendSession.begin(\(number))" }
    /// The call after block `number`: an `end` record with the streams' offsets.
    public static func end(_ number: Int) -> String { "LegendSession.end(\(number))" }
    /// Names the folder of a run's checkpoints: `restore/<block>/` holds those the program
    /// restores, `save/<block>/` receives those it computes, `restored/<block>` marks each it
    /// restored (DESIGN.md, "Checkpoints").
    public static let checkpointsVariable = "LEGEND_CHECKPOINTS"
    /// The exit status of a program that restored a checkpoint it then could not read: the
    /// runner runs the chapter again without checkpoints.
    public static let checkpointFailureStatus: Int32 = 75
    /// The calls around a checkpointed block: the first restores its checkpoint if the runner
    /// offers one; the second saves (or has restored) its kept values.
    public static func checkpointBegin(_ number: Int) -> String { "LegendSession.checkpointBegin(\(number))" }
    public static func checkpointEnd(_ number: Int) -> String { "LegendSession.checkpointEnd(\(number))" }
}
