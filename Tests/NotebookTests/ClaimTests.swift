import Foundation
import Testing
@testable import Notebook

/// A claim as the side channel carries it, and as its failure reads.
@Suite struct ClaimTests {
    let falseClaim = Claim(statement: "the first layer receives less than a billionth of the last layer's gradient", holds: false,
                           values: [.init(name: "ratio", value: 3.2e-7), .init(name: "layers", value: 100)],
                           file: "legend/03-rnn.md", line: 42)

    @Test func theRecordIsOneJSONLineThatReadsBack() throws {
        let record = ChannelRecord(event: .claim, block: 2, claim: falseClaim)
        let line = String(decoding: try ChannelRecord.makeEncoder().encode(record), as: UTF8.self)
        #expect(line == #"{"block":2,"claim":{"file":"legend/03-rnn.md","holds":false,"line":42,"statement":"the first layer receives less than a billionth of the last layer's gradient","values":[{"name":"ratio","value":3.2e-07},{"name":"layers","value":100}]},"event":"claim"}"#)
        #expect(try ChannelRecord.makeDecoder().decode(ChannelRecord.self, from: Data(line.utf8)) == record)
    }

    @Test func valuesThatAreNotNumbersSurviveTheChannel() throws {
        let claim = Claim(statement: "the loss diverged", holds: true, values: [.init(name: "loss", value: .nan), .init(name: "gradient", value: -.infinity)],
                          file: "a.md", line: 1)
        let data = try ChannelRecord.makeEncoder().encode(ChannelRecord(event: .claim, block: 1, claim: claim))
        let decoded = try ChannelRecord.makeDecoder().decode(ChannelRecord.self, from: data).claim
        #expect(decoded?.valuesText == "loss = NaN, gradient = -Inf")
    }

    @Test func aFailureNamesTheStatementAndItsValuesInTheBooksNumberFormat() {
        #expect(falseClaim.failureMessage == "claim not supported: 'the first layer receives less than a billionth of the last layer's gradient' — ratio = 3.2e-7, layers = 100")
        let bare = Claim(statement: "gradients\nvanish", holds: false, file: "a.md", line: 3)
        #expect(bare.failureMessage == "claim not supported: 'gradients vanish'")
    }
}
