import Testing
@testable import TensorForge

extension EngineTests { @Suite struct IndexingTests {
    let m = Tensor([[1, 2, 3], [4, 5, 6]])
    let cube = Tensor.arange(24).view(2, 3, 4)

    @Test func rangesOnAnyDimension() {
        #expect(m[0..., 1].scalars == [2, 5])
        #expect(m[0..., 1].shape == [2])
        #expect(m[1, 0..<2].scalars == [4, 5])
        #expect(m[.all, (-2)...].scalars == [2, 3, 5, 6])
        #expect(m[..<1].shape == [1, 3])
        #expect(m[0...0, ...1].scalars == [1, 2])
        #expect(m[-1, -1].item == 6)
        #expect(m[-1, -1].shape == [])
        #expect(m[(-3)...(-2)].scalars == [1, 2, 3])
        // Slices clamp to the dimension, as Python's do.
        #expect(m[0..<100].shape == [2, 3])
        #expect(m[5...].shape == [0, 3])
        #expect(m[.newAxis].shape == [1, 2, 3])
        #expect(m[0..<2, .newAxis, 2].shape == [2, 1])
        #expect(m[.ellipsis, 0].scalars == [1, 4])
        #expect(m[0, .ellipsis].scalars == [1, 2, 3])
        #expect(m[.all, .slice(step: 2)].scalars == [1, 3, 4, 6])
        #expect(m[.all, .slice(1, nil, step: 2)].scalars == [2, 5])
        #expect(m[.all, TensorIndex.slice(-1)].scalars == [3, 6])
        #expect(cube[.ellipsis, 1].shape == [2, 3])
        #expect(cube[1, .ellipsis, 2..<4].scalars == [14, 15, 18, 19, 22, 23])
        #expect(cube[0..., 1..., 3].scalars == [7, 11, 19, 23])
        #expect(cube[1, 2, 3].item == 23)
    }

    @Test func indexingDifferentiates() {
        let x = randomTensor([2, 3, 4], seed: 8)
        expectGradients([x]) { $0[0][0..., 1..., 3] }
        expectGradients([x]) { $0[0][.ellipsis, .slice(step: 2)] }
        expectGradients([x]) { $0[0][1, .newAxis, (-2)...] }
        expectGradients([x]) { $0[0][-1, 1, 2] }
        let mask = x.gt(0)
        expectGradients([x]) { $0[0][mask] }
        expectGradients([x]) { $0[0][Tensor([0, 1])] }
    }

    @Test func booleanMasks() {
        let x = Tensor([[1, -2, 3], [-4, 5, -6]])
        #expect(x[x > 0].scalars == [1, 3, 5])
        #expect(x[x > 0].shape == [3])
        #expect(x[x < -3].scalars == [-4, -6])
        #expect(x[~(x > 0)].scalars == [-2, -4, -6])
        #expect(x[(x > 0) & (x < 4)].scalars == [1, 3])
        #expect(x[x > 100].shape == [0])
        // A mask over the leading dimension picks rows.
        let rows = x[Tensor([0, 1])]
        #expect(rows.shape == [1, 3] && rows.scalars == [-4, 5, -6])
    }

    @Test func gatherAndScatterAsPyTorchDocuments() {
        let t = Tensor([[1, 2], [3, 4]])
        #expect(t.gather(dim: 1, index: Tensor([[0, 0], [1, 0]])).scalars == [1, 1, 4, 3])
        #expect(t.gather(dim: 0, index: Tensor([[0, 1], [1, 0]])).scalars == [1, 4, 3, 2])
        #expect(m.gather(dim: 1, index: Tensor([[2], [0]])).scalars == [3, 4])
        #expect(m.gather(dim: -1, index: Tensor([[2], [0]])).shape == [2, 1])

        let src = Tensor.arange(1, 11).view(2, 5)
        #expect(Tensor.zeros(3, 5).scatter(dim: 0, index: Tensor([[0, 1, 2, 0]]), src: src).scalars
                == [1, 0, 0, 4, 0, 0, 2, 0, 0, 0, 0, 0, 3, 0, 0])
        #expect(Tensor.zeros(3, 5).scatter(dim: 1, index: Tensor([[0, 1, 2], [0, 1, 4]]), src: src).scalars
                == [1, 2, 3, 0, 0, 6, 7, 0, 0, 8, 0, 0, 0, 0, 0])
        #expect(Tensor.full(2, 4, value: 2).scatter(dim: 1, index: Tensor([[2], [3]]), value: 1.23).scalars
                == [2, 2, 1.23, 2, 2, 2, 2, 1.23])
        #expect(Tensor.zeros(3, 5).scatterAdd(dim: 0, index: Tensor([[0, 1, 2, 0, 0], [0, 1, 2, 2, 2]]), src: .ones(2, 5)).scalars
                == [2, 0, 0, 1, 1, 0, 2, 0, 0, 0, 0, 0, 2, 1, 1])
    }

    @Test func gatherAndScatterDifferentiate() {
        let x = randomTensor([3, 4], seed: 1), src = randomTensor([2, 4], seed: 2)
        expectGradients([x]) { $0[0].gather(dim: 1, index: Tensor([[3, 3], [0, 1], [2, 2]])) }
        expectGradients([x]) { $0[0].gather(dim: 0, index: Tensor([[2, 0, 1, 1]])) }
        // scatter with distinct targets (where targets repeat, which write wins is unspecified).
        let distinct = Tensor([[0, 2, 1, 0], [1, 0, 2, 2]])
        expectGradients([x, src]) { $0[0].scatter(dim: 0, index: distinct, src: $0[1]) }
        expectGradients([x, src]) { $0[0].scatter(dim: 1, index: Tensor([[3, 0], [1, 2]]), src: $0[1]) }
        expectGradients([x]) { $0[0].scatter(dim: 1, index: Tensor([[1], [0], [3]]), value: 5) }
        expectGradients([x, src]) { $0[0].scatterAdd(dim: 0, index: Tensor([[0, 0, 2, 2], [0, 1, 2, 2]]), src: $0[1]) }
    }

    @Test func indexSelect() {
        #expect(m.indexSelect(dim: 1, index: [2, 0, 0]).scalars == [3, 1, 1, 6, 4, 4])
        #expect(m.indexSelect(dim: 0, index: Tensor([1])).scalars == [4, 5, 6])
        #expect(m.indexSelect(dim: -1, index: []).shape == [2, 0])
        let x = randomTensor([3, 4, 2], seed: 3)
        expectGradients([x]) { $0[0].indexSelect(dim: 1, index: [3, 0, 3]) }
        expectGradients([x]) { $0[0].indexSelect(dim: 0, index: Tensor([2, 2])) }
    }

    @Test func whereAndMaskedFill() {
        let x = Tensor([[1, -2, 3], [-4, 5, -6]])
        #expect(Tensor.where(x > 0, x, 0).scalars == [1, 0, 3, 0, 5, 0])
        #expect(Tensor.where(x > 0, 1, -1).scalars == [1, -1, 1, -1, 1, -1])
        let broadcast = Tensor.where(Tensor([[1], [0]]), Tensor([1, 2, 3]), Tensor(-1))
        #expect(broadcast.shape == [2, 3] && broadcast.scalars == [1, 2, 3, -1, -1, -1])
        #expect(x.maskedFill(x < 0, 0).scalars == [1, 0, 3, 0, 5, 0])
        #expect(x.maskedFill(Tensor([1, 0, 0]), 9).scalars == [9, -2, 3, 9, 5, -6])

        let a = randomTensor([2, 3], seed: 4), b = randomTensor([3], seed: 5)
        let mask = Tensor([[1, 0, 1], [0, 0, 1]])
        expectGradients([a, b]) { Tensor.where(mask, $0[0], $0[1]) }
        expectGradients([a, b]) { Tensor.where(Tensor([[1], [0]]), $0[1], $0[0]) }
        expectGradients([a]) { Tensor.where(mask, 2, $0[0]) }
        expectGradients([a]) { $0[0].maskedFill(Tensor([0, 1, 0]), -1) }
    }
} }
