import Foundation
import Testing
@testable import Literate

/// End to end: checkpointed blocks (`//| cache:`) restored instead of run, never giving a
/// different page from a run that computes everything.
@Suite struct CheckpointBuildTests {
    static let chapter = """
        # Training

        ```swift-run
        struct Summary: Codable { var best: Double; var steps: [Int]; var odd: [Double] }
        let data = Tensor.randn(32, 2)
        let target = data.sum(dim: 1, keepDim: true)
        ```

        ```swift-run
        //| cache: model, summary, probe, history
        let model = Sequential(Linear(2, 4), Tanh(), Linear(4, 1))
        var summary = Summary(best: .infinity, steps: [], odd: [.nan, -0.0, 1e-310, .infinity])
        let optimizer = Adam(model.parameters, lr: 0.01)
        var history: [Double] = []
        for step in 1...300 {
            let loss = mseLoss(model(data), target)
            optimizer.zeroGrad()
            loss.backward()
            optimizer.step()
            history.append(loss.item)
            if loss.item < summary.best { summary.best = loss.item; summary.steps.append(step) }
        }
        model.eval()
        let probe = Tensor.randn(3, 2)
        print("trained \\(history.count) steps")
        lineplot(["loss": history], title: "Loss")
        ```

        ```swift-run
        let bits = model.parameters.flatMap(\\.scalars).map { String($0.bitPattern, radix: 16) }
        print("parameters", bits.joined(separator: " "))
        print("summary", summary.best.bitPattern, summary.steps.count, summary.odd.map { String($0.bitPattern, radix: 16) })
        print("probe", probe.scalars.map(\\.bitPattern), "history", history.last!.bitPattern, model.isTraining)
        print("next", Tensor.randn(2).scalars.map(\\.bitPattern))
        ```

        """

    @Test func anEditBelowRestoresTheCheckpointAndThePageIsTheSameAsAFullRun() throws {
        let book = try TemporaryBook(["01-train.md": Self.chapter])
        defer { book.remove() }
        let (first, _) = try book.build()
        #expect(!first.failed)
        #expect(first.chapters[0].run?.restoredBlocks == [])
        // An edit below the checkpointed block: it is restored, not run.
        let edited = Self.chapter.replacingOccurrences(of: "print(\"next\"", with: "print(\"edited\")\nprint(\"next\"")
        try book.write("01-train.md", edited)
        let (second, lines) = try book.build()
        #expect(!second.failed)
        #expect(second.chapters[0].run?.restoredBlocks == [2])
        #expect(lines.contains { $0.contains("restored block 2 from its checkpoint") })
        let restored = try book.read("01-train.md")
        #expect(restored.contains("edited"))
        #expect(restored.contains("trained 300 steps"))
        // The same chapter computed from scratch gives the same page, byte for byte.
        let (full, _) = try book.build { $0.useCache = false; $0.outputPath = book.folder + "/full" }
        #expect(full.chapters[0].run?.restoredBlocks == [])
        #expect(try String(contentsOfFile: book.folder + "/full/01-train.md", encoding: .utf8) == restored)
        #expect(try String(contentsOfFile: book.folder + "/full/01-train.html", encoding: .utf8) == book.read("01-train.html"))
    }

    @Test func anEditOfTheBlockOrAboveItRunsItAgain() throws {
        let book = try TemporaryBook(["01-train.md": Self.chapter])
        defer { book.remove() }
        _ = try book.build()
        try book.write("01-train.md", Self.chapter.replacingOccurrences(of: "lr: 0.01", with: "lr: 0.02"))
        #expect(try book.build().0.chapters[0].run?.restoredBlocks == [])
        try book.write("01-train.md", Self.chapter.replacingOccurrences(of: "Tensor.randn(32, 2)", with: "Tensor.randn(16, 2)"))
        #expect(try book.build().0.chapters[0].run?.restoredBlocks == [])
        // Prose moving the blocks, and a caption, change nothing that runs.
        try book.write("01-train.md", "Some prose.\n\n" + Self.chapter.replacingOccurrences(of: "Tensor.randn(32, 2)", with: "Tensor.randn(16, 2)")
            .replacingOccurrences(of: "print(\"next\"", with: "print(\"more\")\nprint(\"next\""))
        #expect(try book.build().0.chapters[0].run?.restoredBlocks == [2])
    }

    @Test func aBlockAddedBelowKeepsTheCheckpointThoughInlineValuesAboveAreRenumbered() throws {
        let chapter = Self.chapter.replacingOccurrences(of: "```swift-run\n//| cache:", with: "There are `{swift} data.shape[0]` points.\n\n```swift-run\n//| cache:")
        let book = try TemporaryBook(["01-train.md": chapter])
        defer { book.remove() }
        #expect(try book.build().0.chapters[0].run?.restoredBlocks == [])
        try book.write("01-train.md", chapter + "\n```swift-run\nprint(summary.steps.count)\n```\n")
        let (report, _) = try book.build()
        #expect(!report.failed)
        #expect(report.chapters[0].run?.restoredBlocks == [2])
        #expect(try book.read("01-train.md").contains("There are 32 points."))
    }

    @Test func namesDeclaredInATupleAreKeptToo() throws {
        let chapter = """
            # XOR

            ```swift-run
            //| cache: x, y, net, pair
            let (x, y) = ToyData.xor()
            let net = Sequential(Linear(2, 8), Tanh(), Linear(8, 1))
            let (pair, _) = ([1.5, 2.5], 0)
            let optimizer = SGD(net.parameters, lr: 0.5)
            for _ in 0..<50 { let loss = mseLoss(net(x), y); optimizer.zeroGrad(); loss.backward(); optimizer.step() }
            ```

            ```swift-run
            (mseLoss(net(x), y).item.bitPattern, y.scalars, pair)
            ```

            """
        let book = try TemporaryBook(["01-xor.md": chapter])
        defer { book.remove() }
        #expect(!(try book.build().0.failed))
        try book.write("01-xor.md", chapter.replacingOccurrences(of: "pair)\n", with: "pair, 1)\n"))
        let (report, lines) = try book.build()
        #expect(!report.failed, "\(lines)")
        #expect(report.chapters[0].run?.restoredBlocks == [1])
        let (full, _) = try book.build { $0.useCache = false; $0.outputPath = book.folder + "/full" }
        #expect(full.chapters[0].run?.restoredBlocks == [])
        #expect(try String(contentsOfFile: book.folder + "/full/01-xor.md", encoding: .utf8) == book.read("01-xor.md"))
    }

    @Test func aDamagedCheckpointIsComputedAgainNeverLoaded() throws {
        let book = try TemporaryBook(["01-train.md": Self.chapter])
        defer { book.remove() }
        _ = try book.build()
        let page = try book.read("01-train.md")
        let checkpoints = book.folder + "/cache/checkpoints"
        let entries = try FileManager.default.contentsOfDirectory(atPath: checkpoints).filter { !$0.hasPrefix(".") }
        #expect(entries.count == 1)
        let values = checkpoints + "/" + entries[0] + "/values.json"
        var text = try String(contentsOfFile: values, encoding: .utf8)
        text = text.replacingOccurrences(of: "best", with: "bust")
        try text.write(toFile: values, atomically: true, encoding: .utf8)
        try FileManager.default.removeItem(atPath: book.folder + "/cache/results")
        let (report, _) = try book.build()
        #expect(!report.failed)
        #expect(report.chapters[0].run?.restoredBlocks == [])
        #expect(try book.read("01-train.md") == page)
        // The run replaced the damaged entry with a whole one, which the next run restores.
        try FileManager.default.removeItem(atPath: book.folder + "/cache/results")
        #expect(try book.build().0.chapters[0].run?.restoredBlocks == [2])
        #expect(try book.read("01-train.md") == page)
    }

    @Test func aValueThatCannotBeKeptIsAnErrorAtItsNameOnTheOptionLine() throws {
        let book = try TemporaryBook(["01-train.md": """
            # Training

            ```swift-run
            //| cache: history, forward
            let model = Linear(2, 1)
            let forward = { (x: Tensor) in model(x) }
            var history: [Double] = []
            ```

            """])
        defer { book.remove() }
        let (report, lines) = try book.build()
        #expect(report.failed)
        let path = book.book + "/01-train.md"
        #expect(lines.contains { $0.hasPrefix("\(path):4:21: error: `forward` cannot be kept: a checkpoint keeps Tensors, Modules and Codable values") })
    }
}
