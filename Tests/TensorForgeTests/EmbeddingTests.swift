import Testing
@testable import TensorForge

extension EngineTests {
    @Suite struct EmbeddingTests {
        @Test func embeddingLooksUpRowsAndDifferentiates() {
            let embedding = Embedding(5, 3, paddingIdx: -1, generator: Generator(seed: 1))
            #expect(embedding.paddingIdx == 4)
            #expect(embedding.weight.scalars.suffix(3).allSatisfy { $0 == 0 })
            let tokens = Tensor([[0, 4, 2], [2, 2, 1]])
            let y = embedding(tokens)
            #expect(y.shape == [2, 3, 3])
            expectClose(y[1, 0].scalars, embedding.weight[2].scalars, tolerance: 0)
            // The padding row is read but gets no gradient (as in PyTorch), so the check leaves it out.
            expectModuleGradients(embedding, input: Tensor.zeros(1)) { _ in embedding(Tensor([[0, 3, 2], [2, 2, 1]])) }
            // Rows accumulate, the padding row gets nothing.
            embedding.zeroGrad()
            embedding(tokens).sum().backward()
            #expect(embedding.weight.grad!.scalars == [1, 1, 1, 1, 1, 1, 3, 3, 3, 0, 0, 0, 0, 0, 0])
            #expect(embedding.description == "Embedding(5, 3, paddingIdx: 4)")
        }

        @Test func pretrainedTablesFreezeByDefault() {
            let table = Tensor([[1, 2], [3, 4]])
            let frozen = Embedding.fromPretrained(table)
            #expect(!frozen.weight.requiresGrad && frozen(Tensor([1])).scalars == [3, 4])
            #expect(Embedding.fromPretrained(table, freeze: false).weight.requiresGrad)
            #expect(frozen.stateDict().keys.sorted() == ["weight"])
        }

        @Test func defaultInitialisationIsStandardNormal() {
            let weights = Embedding(200, 50, generator: Generator(seed: 2)).weight.scalars
            let mean = weights.reduce(0, +) / Double(weights.count)
            let variance = weights.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(weights.count)
            #expect(abs(mean) < 0.03 && abs(variance - 1) < 0.05)
        }
    }
}
