import Testing
import Foundation
@testable import TensorForge

extension EngineTests { @Suite struct ElementwiseTests {
    static let shapePairs: [([Int], [Int])] = [
        ([3, 4], [3, 4]), ([3, 4], [4]), ([4], [3, 4]), ([3, 1], [1, 4]), ([2, 3, 4], [3, 1]),
        ([1, 4], [1, 4]), ([3, 4], []), ([], [2, 2]), ([2, 1, 3], [2, 4, 1]),
    ]

    @Test(arguments: shapePairs)
    func binaryOperationsBroadcastAndDifferentiate(_ aShape: [Int], _ bShape: [Int]) {
        let a = randomTensor(aShape, seed: 1), b = randomTensor(bShape, seed: 2) + 3  // b away from 0 for division
        expectGradients([a, b]) { $0[0] + $0[1] }
        expectGradients([a, b]) { $0[0] - $0[1] }
        expectGradients([a, b]) { $0[0] * $0[1] }
        expectGradients([a, b]) { $0[0] / $0[1] }
        expectGradients([a.abs() + 0.5, b]) { $0[0].pow($0[1]) }
    }

    @Test func broadcastValues() {
        let a = Tensor([[1, 2, 3], [4, 5, 6]])
        #expect((a + Tensor([10, 20, 30])).scalars == [11, 22, 33, 14, 25, 36])
        #expect((a * Tensor([[2], [3]])).scalars == [2, 4, 6, 12, 15, 18])
        #expect((Tensor([[1], [2]]) - Tensor([1, 2, 3])).shape == [2, 3])
        #expect((1 - a).scalars == [0, -1, -2, -3, -4, -5])
        #expect((2 / Tensor([1, 4])).scalars == [2, 0.5])
    }

    @Test(arguments: [[5], [2, 3], [1, 1], [2, 3, 2]])
    func unaryOperations(_ shape: [Int]) {
        let x = randomTensor(shape, seed: 3)
        let positive = x.abs() + 0.1
        expectGradients([x]) { -$0[0] }
        expectGradients([x]) { $0[0].exp() }
        expectGradients([positive]) { $0[0].log() }
        expectGradients([positive]) { $0[0].sqrt() }
        expectGradients([x + 0.01]) { $0[0].abs() }
        expectGradients([x]) { $0[0].pow(3) }
        expectGradients([positive]) { $0[0].pow(-1.5) }
        expectGradients([x * 3]) { $0[0].clamp(min: -0.5, max: 0.7) }
        expectGradients([x]) { $0[0].sigmoid() }
        expectGradients([x]) { $0[0].tanh() }
        expectGradients([x + 0.01]) { $0[0].relu() }
        expectGradients([x + 0.01]) { $0[0].leakyRelu(negativeSlope: 0.2) }
        expectGradients([x]) { $0[0].gelu() }
        expectGradients([x * 10]) { $0[0].softplus() }
        expectGradients([x]) { 2 * $0[0] + 1 - $0[0] / 4 }
        expectGradients([positive]) { 3 / $0[0] }
    }

    @Test func analyticSpotValues() {
        let x = Tensor([0.0], requiresGrad: true)
        x.sigmoid().sum().backward()
        #expect(x.grad!.scalars == [0.25])
        x.grad = nil
        x.tanh().sum().backward()
        #expect(x.grad!.scalars == [1])
        x.grad = nil
        x.relu().sum().backward()
        #expect(x.grad!.scalars == [0])  // PyTorch's choice at the kink
    }

    @Test func sigmoidIsStableForLargeInputs() {
        let y = Tensor([-1000, 1000, 0]).sigmoid().scalars
        #expect(y == [0, 1, 0.5])
        #expect(Tensor([1000.0]).softplus().scalars == [1000])
        #expect(Tensor([-1000.0]).softplus().scalars[0] >= 0)
    }

    @Test func geluMatchesPyTorchValue() {
        // torch.nn.functional.gelu(torch.tensor(1.0, dtype=torch.float64))
        #expect(abs(Tensor([1.0]).gelu().item - 0.8413447460685429) < 1e-15)
    }
}
}

extension EngineTests {
    @Suite struct TanhAccuracyTests {
        @Test func fastTanhAgreesWithTheLibraryWithinAFewUlp() {
            var worst = 0.0
            var x = -30.0
            while x <= 30 {
                let exact = Foundation.tanh(x), fast = hyperbolicTangent(x)
                if exact != 0 { worst = max(worst, abs(fast - exact) / abs(exact)) }
                x += 0.000731
            }
            for tiny in [1e-300, 1e-20, 1e-8, -1e-5, 0.3, 0.624999, 0.625001] {
                let exact = Foundation.tanh(tiny)
                worst = max(worst, abs(hyperbolicTangent(tiny) - exact) / abs(exact))
            }
            #expect(worst < 1e-15, "worst relative error \(worst)")
            #expect(hyperbolicTangent(0) == 0)
        }
    }
}
