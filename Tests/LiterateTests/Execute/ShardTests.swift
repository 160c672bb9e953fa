import Testing
@testable import Literate

@Suite struct ShardTests {
    @Test func readsKOfN() {
        #expect(Shard("2/4") == Shard(index: 2, count: 4))
        for bad in ["0/4", "5/4", "1/0", "1", "a/b", "1/2/3", "", "-1/2", "1/"] {
            #expect(Shard(bad) == nil, "\(bad)")
        }
    }

    @Test func everyChapterGoesToExactlyOneShard() {
        let chapters = (1...13).map { (name: "\($0).md", seconds: $0 % 3 == 0 ? nil : Double($0 * 7 % 11)) }
        for count in 1...6 {
            let shares = Shard.assign(chapters, count: count)
            #expect(shares.count == count)
            #expect(shares.flatMap { $0 }.sorted() == Array(chapters.indices))
            #expect(shares == Shard.assign(chapters, count: count), "the same input, the same answer")
        }
    }

    @Test func withoutTimingsChaptersAreDealtInTurn() {
        let chapters = ["a", "b", "c", "d", "e"].map { (name: $0 + ".md", seconds: Double?.none) }
        #expect(Shard.assign(chapters, count: 2) == [[0, 2, 4], [1, 3]])
    }

    @Test func longChaptersAreSpreadByTheirLastRunTimes() {
        // Dealt in turn, the two hour-long chapters would share a job.
        let chapters: [(name: String, seconds: Double?)] = [("a", 3600), ("b", 10), ("c", 3600), ("d", 10), ("e", 20)]
        let shares = Shard.assign(chapters, count: 2)
        #expect(shares == [[0, 4], [1, 2, 3]])
        let load = shares.map { $0.map { chapters[$0].seconds! }.reduce(0, +) }
        #expect(abs(load[0] - load[1]) <= 20)
    }
}
