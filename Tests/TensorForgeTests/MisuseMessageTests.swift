import Testing
@testable import TensorForge

/// A misuse stops the program with a message naming the operation and the shapes involved. Each
/// case runs in a child process (an exit test), whose standard error is checked.
extension EngineTests { @Suite struct MisuseMessageTests {
    @Test func creationAndShapeMisuse() async {
        expectMessage("full: negative dimension in shape [-1, 3].",
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.zeros(-1, 3) })
        expectMessage("reshape: cannot reshape [2, 3] (6 elements) into [4, 2].",
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.zeros(2, 3).reshape(4, 2) })
        expectMessage("view: only one dimension can be -1, got [-1, -1].",
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.zeros(2, 3).view(-1, -1) })
        expectMessage("flatten: startDim 1 comes after endDim 0 for shape [2, 3].",
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.zeros(2, 3).flatten(startDim: 1, endDim: 0) })
    }

    @Test func shapeMisuse() async {
        expectMessage("expand: shape [2, 3] cannot be expanded to [4, 3]; only dimensions of size 1 can grow.",
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.zeros(2, 3).expand(4, 3) })
        expectMessage("repeat: 1 repeat counts [2] are fewer than the 2 dimensions of shape [2, 3].",
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.zeros(2, 3).repeat(2) })
        expectMessage("split: sizes [2, 2] must be non-negative and add up to 5, the size of dimension 0 of shape [5].",
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.arange(5).split([2, 2]) })
        expectMessage("cat: zero-dimensional tensors cannot be concatenated; use stack, or unsqueeze(0) them first.",
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.cat([Tensor(1), Tensor(2)]) })
    }

    @Test func indexingMisuse() async {
        expectMessage("subscript: index 5 is out of range for dimension 1 of size 3 in shape [2, 3].",
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.zeros(2, 3)[0, 5] })
        expectMessage("subscript: 2 indices are too many for a tensor of shape [2].",
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.zeros(2)[0, 0] })
        expectMessage("x[mask]: the mask's shape [3] must equal the tensor's shape [2, 3] or its leading dimensions.",
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.zeros(2, 3)[Tensor([1, 0, 1])] })
        expectMessage("x[mask]: a mask holds 0s and 1s (as comparisons return them), found 2.0 at element 1. To pick by integer positions, use indexSelect(dim:index:).",
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.zeros(3)[Tensor([0, 2, 1])] })
        expectMessage("gather: index 3.0 is not a whole number in 0..<3, the size of dimension 1.",
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.zeros(2, 3).gather(dim: 1, index: Tensor([[3]])) })
        expectMessage("gather: index of shape [2] must have as many dimensions as the tensor of shape [2, 3].",
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.zeros(2, 3).gather(dim: 1, index: Tensor([0, 1])) })
        expectMessage("indexSelect: index must be one-dimensional, got shape [1, 1].",
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.zeros(2, 3).indexSelect(dim: 0, index: Tensor([[0]])) })
        expectMessage("where: condition [2], input [3] and other [] cannot be broadcast together.",
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.where(Tensor([1, 0]), Tensor.zeros(3), 0) })
        expectMessage("maskedFill: mask of shape [2, 3] cannot be broadcast to the tensor's shape [3].",
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.zeros(3).maskedFill(Tensor.ones(2, 3), 0) })
    }

    @Test func broadcastingMisuse() async {
        expectMessage("maximum: shapes [2] and [3] cannot be broadcast together.",
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.zeros(2).maximum(Tensor.zeros(3)) })
        expectMessage("lt: shapes [2] and [3] cannot be broadcast together.",
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.zeros(2) < Tensor.zeros(3) })
    }

    @Test func reductionMisuse() async {
        expectMessage("var: dimension listed twice in [0, -2].",
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.zeros(2, 3).var(dims: [0, -2]) })
        expectMessage("max: dimension 0 of shape [0, 3] is empty, so it has no largest value.",
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.zeros(0, 3).max(dim: 0) })
        expectMessage("argmax: dimension 2 is out of range for a tensor of rank 2.",
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.zeros(2, 3).argmax(dim: 2) })
        expectMessage("size: a zero-dimensional tensor has no dimension 0.",
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor(1).size(0) })
    }

    @Test func rangeAndRandomMisuse() async {
        expectMessage("linspace: number of steps must be non-negative, got -1.",
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.linspace(0, 1, -1) })
        expectMessage("arange: the step 1.0 goes away from end -5.0 when starting at 0.0; use a step of the other sign.",
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.arange(0, -5) })
        expectMessage("randint: the range 3..<3 is empty; high must exceed low.",
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) { _ = Tensor.randint(3, 3, [2]) })
    }

    @Test func sequentialOfANonTensorModule() async {
        expectMessage("Sequential: layer 1, LSTM, returns (output: Tensor, state: (h: Tensor, c: Tensor)), not a Tensor; wrap it in a module",
            await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
                let layers: [any Module] = [Linear(2, 2), LSTM(inputSize: 2, hiddenSize: 2)]
                _ = Sequential(layers)
            })
    }

    private func expectMessage(_ message: String, _ result: ExitTest.Result?, sourceLocation: SourceLocation = #_sourceLocation) {
        let printed = String(decoding: result?.standardErrorContent ?? [], as: UTF8.self)
        #expect(printed.contains(message), "expected \"\(message)\" in: \(printed)", sourceLocation: sourceLocation)
    }
} }
