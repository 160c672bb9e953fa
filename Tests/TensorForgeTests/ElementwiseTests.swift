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

    @Test(arguments: [[5], [2, 3], [2, 3, 2]])
    func trigonometricHyperbolicAndErfDifferentiate(_ shape: [Int]) {
        let x = randomTensor(shape, seed: 4)
        let unit = x.tanh() * 0.9        // inside (−1, 1) for asin, acos, atanh
        let aboveOne = x.abs() + 1.1     // for acosh
        expectGradients([x]) { $0[0].sin() }
        expectGradients([x]) { $0[0].cos() }
        expectGradients([unit]) { $0[0].tan() }
        expectGradients([unit]) { $0[0].asin() }
        expectGradients([unit]) { $0[0].acos() }
        expectGradients([x]) { $0[0].atan() }
        expectGradients([x]) { $0[0].sinh() }
        expectGradients([x]) { $0[0].cosh() }
        expectGradients([x]) { $0[0].asinh() }
        expectGradients([aboveOne]) { $0[0].acosh() }
        expectGradients([unit]) { $0[0].atanh() }
        expectGradients([x]) { $0[0].erf() }
        expectGradients([x]) { $0[0].erfc() }
        expectGradients([x]) { sin($0[0]) * cos($0[0]) + erf($0[0]) }
    }

    @Test func trigonometricHyperbolicAndErfValues() {
        expectClose(Tensor([0, Double.pi / 2, Double.pi]).sin().scalars, [0, 1, 0], tolerance: 1e-15)
        expectClose(Tensor([0, Double.pi]).cos().scalars, [1, -1], tolerance: 1e-15)
        expectClose(Tensor([Double.pi / 4]).tan().scalars, [1], tolerance: 1e-15)
        expectClose(Tensor([1]).asin().scalars, [Double.pi / 2], tolerance: 1e-15)
        expectClose(Tensor([-1]).acos().scalars, [Double.pi], tolerance: 1e-15)
        expectClose(Tensor([1]).atan().scalars, [Double.pi / 4], tolerance: 1e-15)
        // Values from torch.asinh/acosh/atanh/erf/erfc in float64.
        expectClose(Tensor([1]).asinh().scalars, [0.881373587019543], tolerance: 1e-15)
        expectClose(Tensor([2]).acosh().scalars, [1.3169578969248166], tolerance: 1e-15)
        expectClose(Tensor([0.5]).atanh().scalars, [0.5493061443340548], tolerance: 1e-15)
        expectClose(Tensor([0.5]).erf().scalars, [0.5204998778130465], tolerance: 1e-15)
        expectClose(Tensor([3]).erfc().scalars, [2.2090496998585438e-05], tolerance: 1e-15)
        expectClose(Tensor([1]).sinh().scalars, [1.1752011936438014], tolerance: 1e-15)
        expectClose(Tensor([1]).cosh().scalars, [1.5430806348152437], tolerance: 1e-15)
        #expect(Tensor([2]).asin().scalars[0].isNaN)
    }

    @Test func roundingAndSign() {
        // PyTorch rounds halves to even.
        #expect(Tensor([0.5, 1.5, 2.5, -0.5, -2.5, 2.6]).round().scalars == [0, 2, 2, 0, -2, 3])
        #expect(Tensor([1.2345, -1.2355]).round(decimals: 2).scalars == [1.23, -1.24])
        #expect(Tensor([-1.5, 1.5, 2]).floor().scalars == [-2, 1, 2])
        #expect(Tensor([-1.5, 1.5, 2]).ceil().scalars == [-1, 2, 2])
        #expect(Tensor([-1.5, 1.5]).trunc().scalars == [-1, 1])
        #expect(Tensor([-2, 0, 3]).sign().scalars == [-1, 0, 1])
        #expect(Tensor([Double.nan]).sign().scalars[0].isNaN)
        #expect(floor(Tensor([0.5])).item == 0 && ceil(Tensor([0.5])).item == 1 && round(Tensor([0.5])).item == 0)
        // Their gradient is zero, as in PyTorch, and it is recorded (the result requires grad).
        let x = Tensor([0.3, -1.7, 2.2])
        for f: (Tensor) -> Tensor in [{ $0.floor() }, { $0.ceil() }, { $0.round() }, { $0.trunc() }, { $0.sign() }, { $0.round(decimals: 1) }] {
            expectGradients([x]) { f($0[0]) }
            let leaf = Tensor(scalars: x.scalars, shape: x.shape, requiresGrad: true)
            let y = f(leaf)
            #expect(y.requiresGrad)
            y.sum().backward()
            #expect(leaf.grad!.scalars == [0, 0, 0])
        }
    }

    @Test(arguments: shapePairs)
    func maximumAndMinimumBroadcastAndDifferentiate(_ aShape: [Int], _ bShape: [Int]) {
        let a = randomTensor(aShape, seed: 1), b = randomTensor(bShape, seed: 2)
        expectGradients([a, b]) { $0[0].maximum($0[1]) }
        expectGradients([a, b]) { minimum($0[0], $0[1]) }
    }

    @Test func maximumAndMinimumValues() {
        #expect(Tensor([1, 5, 3]).maximum(Tensor([4, 2, 3])).scalars == [4, 5, 3])
        #expect(Tensor([1, 5, 3]).minimum(Tensor([4, 2, 3])).scalars == [1, 2, 3])
        #expect(maximum(Tensor([[0], [4]]), Tensor([1, 2, 3])).scalars == [1, 2, 3, 4, 4, 4])
        #expect(Tensor([1, .nan]).maximum(Tensor([.nan, 0])).scalars.allSatisfy { $0.isNaN })
        // At a tie each side gets half the gradient, as in PyTorch.
        let a = Tensor([2.0], requiresGrad: true), b = Tensor([2.0], requiresGrad: true)
        a.maximum(b).sum().backward()
        #expect(a.grad!.scalars == [0.5] && b.grad!.scalars == [0.5])
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
