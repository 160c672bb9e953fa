import Testing
import Foundation
@testable import TensorForge

extension EngineTests {
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
            expectGradients([x]) { $0[0].min(dim: last, keepDim: true).values }
            expectGradients([x]) { $0[0].amax(dims: [0]) }
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
            #expect(m.min(dim: 0).values.scalars == [1, 2, 3])
            #expect(m.max(dim: 1).values.scalars == [3, 9])
            #expect(m.argmax(dim: 1).scalars == [2, 2])
            #expect(Tensor([1, 2, 3, 4]).variance().item == 5.0 / 3)       // unbiased, as torch.var
            #expect(Tensor([1, 2, 3, 4]).variance(unbiased: false).item == 1.25)
            #expect(Tensor([3, 4]).norm().item == 5)
            let s = Tensor([[1, 2, 3]]).softmax(dim: 1).scalars
            expectClose(s, [0.09003057317038046, 0.24472847105479767, 0.6652409557748219], tolerance: 1e-15)
            let big = Tensor([1000, 0]).logSoftmax(dim: 0).scalars
            #expect(big[0] == 0 && big[1] == -1000)  // no overflow
        }

        @Test(arguments: shapes)
        func pytorchReductionsDifferentiate(_ shape: [Int]) {
            let x = randomTensor(shape, seed: 9)
            let last = shape.count - 1
            expectGradients([x]) { $0[0].var() }
            expectGradients([x]) { $0[0].var(dim: last, correction: 0, keepDim: true) }
            expectGradients([x]) { $0[0].std() }
            expectGradients([x]) { $0[0].std(dim: last, keepDim: true) }
            if shape.count > 1 { expectGradients([x]) { $0[0].std(dims: [0, last], correction: 2) } }
            expectGradients([x]) { $0[0].prod() }
            expectGradients([x]) { $0[0].prod(dim: last, keepDim: true) }
            expectGradients([x]) { $0[0].prod(dim: 0) }
            expectGradients([x]) { $0[0].max(dim: last).values }
            expectGradients([x]) { $0[0].min(dim: 0, keepDim: true).values }
            expectGradients([x]) { $0[0].amax(dim: last) }
            expectGradients([x]) { $0[0].amin(dims: [0], keepDim: true) }
            expectGradients([x]) { $0[0].logsumexp(dim: last) }
            expectGradients([x]) { $0[0].logsumexp(dims: Array(0..<shape.count), keepDim: true) }
            expectGradients([x]) { $0[0].cumsum(dim: 0) }
            expectGradients([x]) { $0[0].cumsum(dim: -1) }
            for p in [1, 2, 3, 0.5, .infinity, -.infinity] {
                expectGradients([x]) { $0[0].norm(p: p, dim: last) }
                expectGradients([x]) { $0[0].norm(p: p) }
            }
        }

        @Test func pytorchReductionValues() {
            let m = Tensor([[1, 2, 3], [4, 5, 9]])
            // var and std divide by n − correction, 1 by default, as PyTorch's.
            #expect(m.var().item == 8)
            #expect(m.var(correction: 0).item == 40.0 / 6)
            #expect(m.var(dim: 1).scalars == [1, 7])
            #expect(m.var(dim: 1, keepDim: true).shape == [2, 1])
            #expect(m.std(dim: 0, correction: 0).scalars == [1.5, 1.5, 3])
            #expect(m.std(dims: [0, 1]).item == Foundation.sqrt(8))
            #expect(Tensor([5]).var().item.isNaN)  // n − correction = 0, as torch.var
            #expect(m.variance().item == m.var().item)
            #expect(m.prod().item == 1080)
            #expect(m.prod(dim: 0).scalars == [4, 10, 27])
            #expect(m.prod(dim: 1, keepDim: true).scalars == [6, 180])
            #expect(m.prod(dim: 1, keepDim: true).shape == [2, 1])
            #expect(Tensor(4).prod(dim: 0).item == 4)
            #expect(Tensor([1, 2, 3]).cumsum(dim: 0).scalars == [1, 3, 6])
            #expect(m.cumsum(dim: 1).scalars == [1, 3, 6, 4, 9, 18])
            #expect(m.cumsum(dim: 0).scalars == [1, 2, 3, 5, 7, 12])
            #expect(Tensor([0, 0]).logsumexp(dim: 0).item == Foundation.log(2))
            #expect(Tensor([1000, 1000]).logsumexp(dim: 0).item == 1000 + Foundation.log(2))
            #expect(Tensor([-Double.infinity, -.infinity]).logsumexp(dim: 0).item == -.infinity)
            #expect(Tensor([Double.infinity, 0]).logsumexp(dim: 0).item == .infinity)
            #expect(m.logsumexp(dims: [0, 1]).shape == [])
            #expect(Tensor([3, -4]).norm().item == 5)
            #expect(Tensor([3, -4]).norm(p: 1).item == 7)
            #expect(Tensor([3, -4]).norm(p: .infinity).item == 4)
            #expect(Tensor([3, -4]).norm(p: -.infinity).item == 3)
            #expect(Tensor([3, -4, 0]).norm(p: 0).item == 2)
            expectClose([Tensor([3, -4]).norm(p: 3).item], [4.497941445275415], tolerance: 1e-15)
            #expect(m.norm(dim: 1).scalars == [Foundation.sqrt(14), Foundation.sqrt(122)])
            #expect(m.norm(p: 1, dim: 0, keepDim: true).shape == [1, 3])
        }

        @Test func maxMinArgmaxAsPyTorch() {
            let m = Tensor([[1, 2, 3], [4, 5, 9]])
            let (values, indices) = m.max(dim: 1)
            #expect(values.scalars == [3, 9] && indices.scalars == [2, 2])
            #expect(m.min(dim: 0).indices.scalars == [0, 0, 0])
            #expect(m.max(dim: -1, keepDim: true).values.shape == [2, 1])
            #expect(m.max(dim: 0, keepDim: true).indices.shape == [1, 3])
            #expect(m.amax(dims: [0, 1]).item == 9)
            #expect(m.amin(dim: 1).scalars == [1, 4])
            // Ties go to the first occurrence; NaN counts as the largest.
            let ties = Tensor([[1, 3, 3], [2, 2, 1]])
            #expect(ties.max(dim: 1).indices.scalars == [1, 0])
            #expect(ties.argmax(dim: 1).scalars == [1, 0])
            #expect(ties.argmin(dim: 1).scalars == [0, 2])
            #expect(ties.argmax().item == 1)
            #expect(ties.argmin().item == 0)
            #expect(ties.argmax().shape == [])
            #expect(ties.argmax(dim: 0, keepDim: true).scalars == [1, 0, 0])
            #expect(Tensor([1, .nan, 3]).argmax().item == 1)
            #expect(Tensor([1, .nan, 3]).max().item.isNaN)
            #expect(Tensor([1, .nan, 3]).max(dim: 0).indices.item == 1)
            #expect(Tensor([-Double.infinity, -.infinity]).argmax().item == 0)
            #expect(Tensor(7).argmax().item == 0)
        }

        @Test func gradientsAtTiesAndZerosAsPyTorch() {
            // max(dim:) sends the gradient to the index it returns.
            let a = Tensor([[1, 3, 3]], requiresGrad: true)
            a.max(dim: 1).values.sum().backward()
            #expect(a.grad!.scalars == [0, 1, 0])
            // max() and amax share it evenly between ties.
            let b = Tensor([1, 3, 3], requiresGrad: true)
            b.max().backward()
            #expect(b.grad!.scalars == [0, 0.5, 0.5])
            let c = Tensor([[3, 1, 3]], requiresGrad: true)
            c.amax(dim: 1).sum().backward()
            #expect(c.grad!.scalars == [0.5, 0, 0.5])
            // prod is exact with one zero and with two.
            let d = Tensor([2, 0, 3], requiresGrad: true)
            d.prod().backward()
            #expect(d.grad!.scalars == [0, 6, 0])
            let e = Tensor([0, 0, 3], requiresGrad: true)
            e.prod().backward()
            #expect(e.grad!.scalars == [0, 0, 0])
            expectGradients([Tensor([[2, 0, 3], [1, 4, -2]])]) { $0[0].prod(dim: 1) }
            // The ∞-norm shares at ties; the 1-norm's gradient at 0 is 0.
            let f = Tensor([3, -3, 1], requiresGrad: true)
            f.norm(p: .infinity).backward()
            #expect(f.grad!.scalars == [0.5, -0.5, 0])
            let z = Tensor([0, 0], requiresGrad: true)
            z.norm(p: 1).backward()
            #expect(z.grad!.scalars == [0, 0])
        }

        @Test func sizeQueries() {
            let m = Tensor.zeros(2, 3)
            #expect(m.numel == 6)
            #expect(m.ndim == 2)
            #expect(m.size(0) == 2)
            #expect(m.size(-1) == 3)
            #expect(m.size() == [2, 3])
            #expect(Tensor(3).item == 3)
            #expect(Tensor(3).numel == 1)
        }

        @Test func normGradientAtZeroIsZero() {
            let z = Tensor.zeros(3, requiresGrad: true)
            z.norm().backward()
            #expect(z.grad!.scalars == [0, 0, 0])
        }
    }
}
