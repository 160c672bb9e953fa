/// One of N jobs that share a book's chapters (`legend build --shard K/N`): each job runs its
/// share into its own cache folder; the folders, merged by copying, let `legend build --frozen`
/// weave the whole site on one machine without running anything.
public struct Shard: Sendable, Equatable, CustomStringConvertible {
    /// From 1 to `count`.
    public let index: Int
    public let count: Int

    public init(index: Int, count: Int) {
        precondition((1...max(1, count)).contains(index), "shard \(index) of \(count)")
        self.index = index
        self.count = count
    }

    /// Reads `K/N`, such as `2/4`; nil when it is not that, or K is not between 1 and N.
    public init?(_ text: String) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let index = Int(parts[0]), let count = Int(parts[1]),
              count >= 1, count <= 10_000, (1...count).contains(index) else { return nil }
        self.init(index: index, count: count)
    }

    public var description: String { "\(index)/\(count)" }

    /// Which job runs each chapter: a list per shard of indices into `chapters`. Every job
    /// computes the same answer from the same input, so the shards of one CI run must start
    /// from the same cache (an empty one, or the merged cache of an earlier run) — `--frozen`
    /// then names any chapter no shard ran.
    ///
    /// Longest first, each to the job with the least work so far (ties to the lowest-numbered
    /// job); a chapter never timed counts as the mean of those that were (one second if none
    /// were), and equal estimates go in the order of their names. With no timings at all this
    /// deals the chapters out in turn.
    public static func assign(_ chapters: [(name: String, seconds: Double?)], count: Int) -> [[Int]] {
        let measured = chapters.compactMap(\.seconds)
        let typical = measured.isEmpty ? 1 : measured.reduce(0, +) / Double(measured.count)
        let order = chapters.indices.sorted { a, b in
            let (x, y) = (chapters[a].seconds ?? typical, chapters[b].seconds ?? typical)
            return x != y ? x > y : chapters[a].name < chapters[b].name
        }
        var shares = [[Int]](repeating: [], count: count)
        var load = [Double](repeating: 0, count: count)
        for chapter in order {
            let lightest = load.indices.min { load[$0] != load[$1] ? load[$0] < load[$1] : $0 < $1 }!
            shares[lightest].append(chapter)
            load[lightest] += chapters[chapter].seconds ?? typical
        }
        return shares.map { $0.sorted() }
    }
}
