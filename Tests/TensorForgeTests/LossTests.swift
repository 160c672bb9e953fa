import Testing
@testable import TensorForge

extension EngineTests.LossTests {
    static let reductions: [Reduction] = [.mean, .sum, .none]

    @Test(arguments: reductions)
    func classificationLossesDifferentiate(_ reduction: Reduction) {
        let logits = randomTensor([5, 4], seed: 61)
        let targets = Tensor([0, 3, -100, 1, 3]), weight = Tensor([0.5, 1, 1.5, 2])
        expectGradients([logits]) { nllLoss($0[0].logSoftmax(dim: 1), targets, weight: weight, reduction: reduction) }
        expectGradients([logits]) { crossEntropy($0[0], targets, weight: weight, reduction: reduction, labelSmoothing: 0.1) }
        let probabilities = Tensor.rand([5, 4], generator: Generator(seed: 62)).softmax(dim: 1)
        expectGradients([logits, probabilities]) { crossEntropy($0[0], $0[1], reduction: reduction, labelSmoothing: 0.2) }
        // K-dimensional: [N, C, d] against [N, d].
        expectGradients([randomTensor([2, 3, 4], seed: 63)]) { nllLoss($0[0].logSoftmax(dim: 1), Tensor([[0, 2, 1, 1], [2, 2, 0, 1]]), reduction: reduction) }
        expectGradients([randomTensor([3], seed: 64)]) { crossEntropy($0[0], Tensor(2), reduction: reduction) }
    }

    @Test(arguments: reductions)
    func regressionLossesDifferentiate(_ reduction: Reduction) {
        // Differences kept away from the kinks at 0 and ±β, ±δ.
        let input = Tensor([[0.3, -1.7, 2.4], [0.05, -0.6, 1.1]]), target = Tensor([[0.1, 0.2, -0.3], [0.9, -0.2, 1.4]])
        expectGradients([input, target]) { l1Loss($0[0], $0[1], reduction: reduction) }
        expectGradients([input, target]) { smoothL1Loss($0[0], $0[1], reduction: reduction, beta: 0.5) }
        expectGradients([input, target]) { huberLoss($0[0], $0[1], reduction: reduction, delta: 1.5) }
        let p = Tensor([[0.2, 0.7, 0.95], [0.5, 0.05, 0.4]]), t = Tensor([[0, 1, 0.3], [1, 0.5, 0]])
        expectGradients([p, t]) { binaryCrossEntropy($0[0], $0[1], weight: Tensor([1, 2, 0.5]), reduction: reduction) }
    }

    @Test func newLossValues() {
        // F.l1_loss, smooth_l1_loss(beta=0.5), huber_loss(delta=1.5), binary_cross_entropy on these.
        let input = Tensor([0.3, -1.7, 2.4]), target = Tensor([0.1, 0.2, -0.3])
        expectClose([l1Loss(input, target).item], [1.6], tolerance: 1e-15)
        expectClose([smoothL1Loss(input, target, beta: 0.5).item], [1.38], tolerance: 1e-15)
        expectClose([huberLoss(input, target, delta: 1.5).item], [1.5566666666666666], tolerance: 1e-15)
        expectClose([binaryCrossEntropy(Tensor([0.2, 0.9]), Tensor([0, 1])).item], [0.16425203348601802], tolerance: 1e-15)
        #expect(binaryCrossEntropy(Tensor([0, 1]), Tensor([1, 0])).item == 100)  // each log clamped at −100
        // nll with ignoreIndex: the mean is over the targets counted.
        #expect(nllLoss(Tensor([[-1, -2], [-3, -4]]), Tensor([1, -100])).item == 2)
        #expect(nllLoss(Tensor([[-1, -2], [-3, -4]]), Tensor([1, 0]), reduction: .none).scalars == [2, 3])
        #expect(smoothL1Loss(input, target, beta: 0).item == l1Loss(input, target).item)
    }
}
