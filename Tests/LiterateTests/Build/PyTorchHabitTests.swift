import Foundation
import Testing
@testable import Literate

/// A chapter written from PyTorch habit — the spellings users type without thinking, a
/// LeNet-style network and a Pre-LN Transformer block — compiles and runs, and shows its values
/// without a single `print`.
@Suite struct PyTorchHabitTests {
    static let chapter = """
        # From PyTorch habit

        ```swift-run
        let x = Tensor.randn([8, 16])
        let t = Tensor.zeros([8, 1])
        var layers: [any Module] = []
        layers.append(Linear(16, 32))
        layers.append(ReLU())
        layers.append(Linear(32, 1))
        let model = Sequential(layers)
        mseLoss(model(x), t, reduction: .sum).backward()
        gradientReport(model)
        ```

        ```swift-run
        let grid = Tensor.linspace(-1, 1, 5)
        let v = Tensor.arange(12).view(12).view(3, 4)
        (grid.numel, v.size(0), v.size(-1), v.argmax().item, v.max(dim: 1).indices.scalars, v[.all, -1].scalars)
        ```

        ```swift-run
        let lenet = Sequential(Conv2d(1, 6, kernelSize: 5, padding: 2), ReLU(), MaxPool2d(2),
                               Conv2d(6, 16, kernelSize: 5), ReLU(), MaxPool2d(2),
                               Flatten(), Linear(16 * 5 * 5, 10))
        let images = Tensor.randn([4, 1, 28, 28])
        let labels = Tensor.tensor([3, 1, 4, 1])
        let optimizer = Adam(lenet.parameters, lr: 1e-3)
        let scheduler = CosineAnnealingLR(optimizer, tMax: 10)
        let loss = crossEntropy(lenet(images), labels)
        optimizer.zeroGrad()
        loss.backward()
        optimizer.step()
        scheduler.step()
        lenet(images).shape
        ```

        ```swift-run
        let block = TransformerEncoderLayer(dModel: 64, nhead: 4, dimFeedforward: 256, dropout: 0, batchFirst: true, normFirst: true)
        let tokens = block(Tensor.randn(2, 32, 64))
        tokens.shape
        ```

        """

    @Test func aChapterWrittenFromPyTorchHabitRunsAndShowsItsValues() throws {
        let book = try TemporaryBook(["01-habit.md": Self.chapter])
        defer { book.remove() }
        let (report, lines) = try book.build()
        #expect(!report.failed, "\(lines)")
        let page = try book.read("01-habit.md")
        #expect(page.contains("| 0.weight  | 32×16 |"), "the report's table")
        #expect(page.contains("(5, 3, 4, 11.0, [3.0, 3.0, 3.0], [3.0, 7.0, 11.0])"))
        #expect(page.contains("[4, 10]"))
        #expect(page.contains("[2, 32, 64]"))
        #expect(!page.contains("print("))
    }
}
