import Foundation
import Testing
@testable import TensorForge

extension EngineTests {
    @Suite struct AutogradTests {
        @Test func gradientsAccumulateUntilZeroed() {
            let x = Tensor([1, 2], requiresGrad: true)
            (x * 3).sum().backward()
            (x * x).sum().backward()
            #expect(x.grad!.scalars == [3 + 2, 3 + 4])
            x.grad = nil
            (x * 3).sum().backward()
            #expect(x.grad!.scalars == [3, 3])
        }

        @Test func sharedSubexpressionsSumTheirGradients() {
            let x = Tensor([2.0], requiresGrad: true)
            let y = x * x          // used twice below
            (y * y + y).sum().backward()   // d/dx (x⁴ + x²) = 4x³ + 2x
            #expect(x.grad!.scalars == [4 * 8 + 4])
        }

        @Test func retainGradKeepsIntermediateGradients() {
            let x = Tensor([0.5, -1], requiresGrad: true)
            let h = x * 2
            h.retainGrad()
            let unretained = h.tanh()
            unretained.sum().backward()
            let expected = h.scalars.map { 1 - Foundation.tanh($0) * Foundation.tanh($0) }
            expectClose(h.grad!.scalars, expected)
            #expect(unretained.grad == nil)
            #expect(!h.isLeaf && x.isLeaf)
        }

        @Test func detachAndNoGradStopRecording() {
            let x = Tensor([1, 2], requiresGrad: true)
            #expect(!x.detach().requiresGrad)
            let y = withNoGrad { x * 2 }
            #expect(!y.requiresGrad)
            #expect(GradMode.isEnabled)
            let z = (x.detach() * x).sum()
            z.backward()
            #expect(x.grad!.scalars == [1, 2])  // only through the second factor
        }

        @Test func retainGraphAllowsASecondBackward() {
            let x = Tensor([3.0], requiresGrad: true)
            let y = (x * x).sum()
            y.backward(retainGraph: true)
            y.backward()
            #expect(x.grad!.scalars == [12])
        }

        @Test func backwardWithExplicitGradient() {
            let x = Tensor([1, 2, 3], requiresGrad: true)
            (x * x).backward(Tensor([1, 0, 2]))
            #expect(x.grad!.scalars == [2, 0, 12])
        }

        @Test func tapeIsReleasedAfterBackward() {
            weak var intermediate: Tensor?
            let x = Tensor([1, 2], requiresGrad: true)
            var loss: Tensor
            do {
                let h = (x * 2).tanh()
                intermediate = h
                loss = (h * h).sum()
            }
            #expect(intermediate != nil)   // the tape holds it until backward
            loss.backward()
            #expect(intermediate == nil)   // and lets go afterwards
            _ = loss
        }

        @Test func multiOutputOperationsSeeTheGradientsOfAllOutputs() {
            // (2x, x²) recorded as one operation: its backward receives both outputs' gradients.
            let x = Tensor([1, 3], requiresGrad: true)
            func doubleAndSquare() -> (Tensor, Tensor) {
                let outputs = Tensor.recordOperation(outputs: [([2], x.scalars.map { 2 * $0 }), ([2], x.scalars.map { $0 * $0 })],
                                                     parents: [x]) { g in
                    [(0..<2).map { 2 * g[0][$0] + 2 * x.scalars[$0] * g[1][$0] }]
                }
                return (outputs[0], outputs[1])
            }
            var (double, square) = doubleAndSquare()
            (double.sum() + (square * 10).sum()).backward()
            #expect(x.grad!.scalars == [2 + 20, 2 + 60])
            x.grad = nil
            (double, square) = doubleAndSquare()
            double.retainGrad()
            square.sum().backward()   // the first output is not used: its gradient is zeros
            #expect(x.grad!.scalars == [2, 6])
            #expect(double.grad!.scalars == [0, 0])
        }

        @Test func deepChainsDoNotOverflowTheStack() {
            let x = Tensor([0.5], requiresGrad: true)
            var y = x
            for _ in 0..<20_000 { y = y * 1.0 }
            y.sum().backward()
            #expect(x.grad!.scalars == [1])
        }

        @Test func descriptionLooksLikePyTorch() {
            #expect(Tensor([[1, 2], [3, 4]]).description == "tensor([[1., 2.],\n        [3., 4.]], shape: [2, 2])")
            #expect(Tensor([0.5, 1.25], requiresGrad: true).description == "tensor([0.5000, 1.2500], shape: [2], requiresGrad: true)")
            #expect(Tensor(1e-42).description == "tensor(1.0000e-42, shape: [])")
            #expect(Tensor.zeros(2000).description.contains("..."))
        }
    }
}
