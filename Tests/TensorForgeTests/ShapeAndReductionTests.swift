import Testing
@testable import TensorForge

extension EngineTests {
    @Suite struct ShapeTests {
        let x = randomTensor([2, 3, 4], seed: 5)

        @Test func rearrangementsDifferentiate() {
            expectGradients([x]) { $0[0].reshaped(4, -1) }
            expectGradients([x]) { $0[0].permute(2, 0, 1) }
            expectGradients([x]) { $0[0].transposed(0, 2) }
            expectGradients([x]) { $0[0][1] }
            expectGradients([x]) { $0[0][-1, 2] }
            expectGradients([x]) { $0[0].narrow(dim: 1, range: 1..<3) }
            expectGradients([x]) { $0[0][0..<1] }
            expectGradients([x]) { $0[0].select(dim: 2, index: 3) }
            expectGradients([x]) { $0[0].unsqueezed(1).squeezed() }
            expectGradients([x]) { $0[0].flattened() }
            expectGradients([randomTensor([3, 1], seed: 1)]) { $0[0].expanded(to: [2, 3, 4]) }
            expectGradients([x, randomTensor([2, 2, 4], seed: 6)]) { cat([$0[0], $0[1]], dim: 1) }
            expectGradients([x, x * 2]) { stack([$0[0], $0[1]], dim: -1) }
        }

        @Test func rearrangementValues() {
            let m = Tensor([[1, 2, 3], [4, 5, 6]])
            #expect(m.T.scalars == [1, 4, 2, 5, 3, 6])
            #expect(m.T.shape == [3, 2])
            #expect(m[1].scalars == [4, 5, 6])
            #expect(m[0, 2].item == 3)
            #expect(m.narrow(dim: 1, range: 1..<3).scalars == [2, 3, 5, 6])
            #expect(cat([m, m], dim: 0).shape == [4, 3])
            #expect(cat([m, Tensor([[7], [8]])], dim: 1).scalars == [1, 2, 3, 7, 4, 5, 6, 8])
            #expect(stack([m, m]).shape == [2, 2, 3])
            #expect(m.reshaped(-1).shape == [6])
            #expect(Tensor.arange(5).scalars == [0, 1, 2, 3, 4])
            #expect(m.scalar(at: 1, -1) == 6)
        }
    }

    @Suite struct ReductionTests {
        static let shapes: [[Int]] = [[5], [1, 4], [3, 4], [2, 3, 4]]

        @Test(arguments: shapes)
        func reductionsDifferentiate(_ shape: [Int]) {
            let x = randomTensor(shape, seed: 7)
            let last = shape.count - 1
            expectGradients([x]) { $0[0].sum() }
            expectGradients([x]) { $0[0].mean() }
            expectGradients([x]) { $0[0].sum(dim: last) }
            expectGradients([x]) { $0[0].sum(dims: [0], keepDim: true) }
            expectGradients([x]) { $0[0].mean(dim: 0) }
            expectGradients([x]) { $0[0].max() }
            expectGradients([x]) { $0[0].min(dim: last, keepDim: true) }
            expectGradients([x]) { $0[0].max(dims: [0]) }
            expectGradients([x]) { $0[0].norm() }
            expectGradients([x]) { $0[0].norm(dims: [last]) }
            expectGradients([x]) { $0[0].softmax(dim: last) }
            expectGradients([x]) { $0[0].logSoftmax(dim: 0) }
            if x.count > 1 { expectGradients([x]) { $0[0].variance() } }
            if shape[0] > 1 { expectGradients([x]) { $0[0].variance(dim: 0, unbiased: false, keepDim: true) } }
        }

        @Test func reductionValues() {
            let m = Tensor([[1, 2, 3], [4, 5, 9]])
            #expect(m.sum().item == 24)
            #expect(m.sum(dim: 0).scalars == [5, 7, 12])
            #expect(m.sum(dim: 1, keepDim: true).shape == [2, 1])
            #expect(m.mean(dim: 1).scalars == [2, 6])
            #expect(m.max().item == 9)
            #expect(m.min(dim: 0).scalars == [1, 2, 3])
            #expect(m.max(dim: 1).scalars == [3, 9])
            #expect(m.argmax(dim: 1).scalars == [2, 2])
            #expect(Tensor([1, 2, 3, 4]).variance().item == 5.0 / 3)       // unbiased, as torch.var
            #expect(Tensor([1, 2, 3, 4]).variance(unbiased: false).item == 1.25)
            #expect(Tensor([3, 4]).norm().item == 5)
            let s = Tensor([[1, 2, 3]]).softmax(dim: 1).scalars
            expectClose(s, [0.09003057317038046, 0.24472847105479767, 0.6652409557748219], tolerance: 1e-15)
            let big = Tensor([1000, 0]).logSoftmax(dim: 0).scalars
            #expect(big[0] == 0 && big[1] == -1000)  // no overflow
        }

        @Test func normGradientAtZeroIsZero() {
            let z = Tensor.zeros(3, requiresGrad: true)
            z.norm().backward()
            #expect(z.grad!.scalars == [0, 0, 0])
        }
    }

    @Suite struct MatmulTests {
        static let cases: [([Int], [Int])] = [
            ([3, 4], [4, 5]), ([1, 4], [4, 1]), ([4], [4]), ([4], [4, 3]), ([3, 4], [4]),
            ([2, 3, 4], [2, 4, 5]), ([2, 3, 4], [4, 5]), ([3, 4], [2, 4, 5]), ([2, 1, 3, 4], [3, 4, 2]),
            ([20, 30], [30, 25]),  // large enough for the BLAS path
        ]

        @Test(arguments: cases)
        func matmulDifferentiates(_ a: [Int], _ b: [Int]) {
            expectGradients([randomTensor(a, seed: 1), randomTensor(b, seed: 2)]) { $0[0].matmul($0[1]) }
        }

        @Test func matmulValues() {
            let a = Tensor([[1, 2], [3, 4]]), b = Tensor([[5, 6], [7, 8]])
            #expect(a.matmul(b).scalars == [19, 22, 43, 50])
            #expect((a &* b).scalars == [19, 22, 43, 50])
            #expect(Tensor([1, 2]).matmul(Tensor([3, 4])).item == 11)
            // The BLAS path and the small loop agree.
            let x = randomTensor([40, 50], seed: 3), y = randomTensor([50, 30], seed: 4)
            let blas = x.matmul(y).scalars
            var loop = [Double](repeating: 0, count: 40 * 30)
            for i in 0..<40 { for j in 0..<30 { for k in 0..<50 { loop[i * 30 + j] += x.scalars[i * 50 + k] * y.scalars[k * 30 + j] } } }
            expectClose(blas, loop)
        }

        @Test func linearFunctionDifferentiates() {
            let x = randomTensor([2, 3, 4], seed: 1), w = randomTensor([5, 4], seed: 2), b = randomTensor([5], seed: 3)
            expectGradients([x, w, b]) { linear($0[0], weight: $0[1], bias: $0[2]) }
            expectGradients([x, w]) { linear($0[0], weight: $0[1], bias: nil) }
        }
    }
}
