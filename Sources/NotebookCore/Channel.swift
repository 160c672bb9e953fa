import Foundation

/// The side channel between a running chapter program and the runner: one JSON object per line,
/// written to the file named by the environment variable `LEGEND_CHANNEL`.
///
/// Printed text is not sent here. The program's stdout and stderr go to files, and each `begin`
/// and `end` record carries their byte offsets at that moment, so the runner can cut the text of
/// each block out of them — even when a block dies before it can say anything.
public struct ChannelRecord: Codable, Sendable, Equatable {
    public enum Event: String, Codable, Sendable { case begin, end, output }

    public var event: Event
    /// The block's number in the chapter, from 1.
    public var block: Int
    public var stdoutOffset: Int?
    public var stderrOffset: Int?
    public var output: RichOutput?
    /// Seconds since the program started (monotonic), for per-block timings.
    public var time: Double?

    public init(event: Event, block: Int, stdoutOffset: Int? = nil, stderrOffset: Int? = nil,
                output: RichOutput? = nil, time: Double? = nil) {
        self.event = event
        self.block = block
        self.stdoutOffset = stdoutOffset
        self.stderrOffset = stderrOffset
        self.output = output
        self.time = time
    }

    /// The environment variable naming the channel file.
    public static let environmentKey = "LEGEND_CHANNEL"
    /// The environment variable naming the book's folder, where blocks read files from.
    public static let bookDirectoryKey = "LEGEND_BOOK_DIRECTORY"

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
