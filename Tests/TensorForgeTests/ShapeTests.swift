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

        @Test func pytorchNamesDifferentiate() {
            expectGradients([x]) { $0[0].view(12, 2) }
            expectGradients([x]) { $0[0].view(-1, 3) }
            expectGradients([x]) { $0[0].reshape([4, -1]) }
            expectGradients([x]) { $0[0].flatten(startDim: 1) }
            expectGradients([x]) { $0[0].unsqueeze(-1).squeeze(-1) }
            expectGradients([x]) { $0[0].transpose(0, -1) }
            expectGradients([x]) { $0[0].T }
            expectGradients([x]) { $0[0].mT }
            expectGradients([randomTensor([3, 1], seed: 1)]) { $0[0].expand(2, -1, 4) }
            expectGradients([randomTensor([2, 3], seed: 1)]) { $0[0].repeat(2, 1, 2) }
            expectGradients([x]) { Tensor.cat(Array($0[0].chunk(3, dim: 2).reversed()), dim: 2) }
            expectGradients([x]) { let parts = $0[0].split([1, 2], dim: 1); return parts[0] * parts[1].sum(dim: 1, keepDim: true) }
            expectGradients([x]) { Tensor.stack($0[0].unbind(dim: 1), dim: 0) }
        }

        @Test func pytorchShapeValues() {
            let x = Tensor.arange(12)
            #expect(x.view(12).shape == [12])
            #expect(x.view(-1, 3).shape == [4, 3])
            #expect(x.view([2, 2, 3]).shape == [2, 2, 3])
            #expect(x.reshape(3, -1).shape == [3, 4])
            #expect(x.viewAs(Tensor.zeros(6, 2)).shape == [6, 2])
            let t = x.view(2, 3, 2)
            #expect(t.flatten().shape == [12])
            #expect(t.flatten(startDim: 1).shape == [2, 6])
            #expect(t.flatten(startDim: 0, endDim: 1).shape == [6, 2])
            #expect(Tensor(5).flatten().shape == [1])
            #expect(Tensor.zeros(1, 3, 1).squeeze().shape == [3])
            #expect(Tensor.zeros(1, 3, 1).squeeze(0).shape == [3, 1])
            #expect(Tensor.zeros(1, 3, 1).squeeze(1).shape == [1, 3, 1])
            #expect(Tensor.zeros(1, 3, 1).squeeze(dims: [0, -1]).shape == [3])
            #expect(Tensor(2).squeeze(0).shape == [])
            #expect(Tensor.zeros(3).unsqueeze(0).shape == [1, 3])
            #expect(Tensor.zeros(3).unsqueeze(-1).shape == [3, 1])
            // T reverses every dimension, as PyTorch's; mT swaps the last two.
            #expect(Tensor.zeros(2, 3, 4).T.shape == [4, 3, 2])
            #expect(Tensor.arange(6).view(1, 2, 3).T.scalars == [0, 3, 1, 4, 2, 5])
            #expect(Tensor.zeros(2, 3, 4).mT.shape == [2, 4, 3])
            #expect(Tensor([1, 2]).T.scalars == [1, 2])
            let m = Tensor([[1, 2, 3], [4, 5, 6]])
            #expect(m.transpose(0, 1).scalars == [1, 4, 2, 5, 3, 6])
            #expect(m.transpose(1, 1).scalars == m.scalars)
            #expect(Tensor([[1], [2]]).expand(2, 3).scalars == [1, 1, 1, 2, 2, 2])
            #expect(Tensor([1, 2, 3]).expand(2, -1).shape == [2, 3])
            #expect(Tensor([1, 2, 3]).expandAs(m).shape == [2, 3])
            #expect(Tensor([1, 2]).repeat(2, 2).scalars == [1, 2, 1, 2, 1, 2, 1, 2])
            #expect(Tensor([1, 2]).repeat(2, 2).shape == [2, 4])
            #expect(Tensor([[1, 2], [3, 4]]).repeat(1, 2).scalars == [1, 2, 1, 2, 3, 4, 3, 4])
            #expect(Tensor([[1, 2], [3, 4]]).repeat([2, 1]).scalars == [1, 2, 3, 4, 1, 2, 3, 4])
            #expect(Tensor.zeros(2, 3).repeat(0, 1).shape == [0, 3])
            // chunk and split as PyTorch: chunks of ⌈size / chunks⌉, so possibly fewer of them.
            #expect(Tensor.arange(5).chunk(3).map(\.scalars) == [[0, 1], [2, 3], [4]])
            #expect(Tensor.arange(6).chunk(4).map(\.scalars) == [[0, 1], [2, 3], [4, 5]])
            #expect(Tensor.arange(5).split(2).map(\.scalars) == [[0, 1], [2, 3], [4]])
            #expect(Tensor.arange(5).split([1, 4]).map(\.shape) == [[1], [4]])
            #expect(Tensor.arange(6).view(2, 3).split([2, 1], dim: 1).map(\.shape) == [[2, 2], [2, 1]])
            #expect(m.chunk(2, dim: -1).map(\.scalars) == [[1, 2, 4, 5], [3, 6]])
            #expect(m.unbind(dim: 1).map(\.scalars) == [[1, 4], [2, 5], [3, 6]])
            #expect(Tensor.cat([m, m], dim: -1).shape == [2, 6])
            #expect(Tensor.stack([m, m], dim: 1).shape == [2, 2, 3])
        }
    }
}
