import Testing
@testable import TensorForge

extension EngineTests {
    @Suite struct AttentionTests {
        /// Attention written out with tensor operations, to check the fused core against.
        func reference(_ m: MultiheadAttention, _ q: Tensor, _ k: Tensor, _ v: Tensor, hidden: Tensor?) -> (Tensor, Tensor) {
            let e = m.embedDim, h = m.numHeads, d = e / h
            let w = m.inProjWeight, b = m.inProjBias!
            func project(_ x: Tensor, _ part: Int) -> Tensor {
                linear(x, weight: w.narrow(dim: 0, range: (part * e)..<((part + 1) * e)), bias: b.narrow(dim: 0, range: (part * e)..<((part + 1) * e)))
            }
            // [N, T, E] → [N, H, T, d]
            func heads(_ x: Tensor) -> Tensor { x.reshaped(x.shape[0], x.shape[1], h, d).permute(0, 2, 1, 3) }
            var scores = heads(project(q, 0)).matmul(heads(project(k, 1)).transposed()) / Double(d).squareRoot()
            if let hidden { scores = scores.maskedFill(hidden, -.infinity) }
            let p = scores.softmax(dim: -1)
            let o = p.matmul(heads(project(v, 2))).permute(0, 2, 1, 3).reshaped(q.shape[0], q.shape[1], e)
            return (m.outProj(o), p.mean(dim: 1))
        }

        @Test func attentionMatchesTensorOperations() {
            let m = MultiheadAttention(embedDim: 6, numHeads: 3, batchFirst: true, generator: Generator(seed: 1))
            Init.uniform(m.inProjBias!, low: -0.5, high: 0.5, generator: Generator(seed: 2))
            let x = randomTensor([2, 4, 6], seed: 3), kv = randomTensor([2, 5, 6], seed: 4)
            let (y, weights) = m(x, kv, kv)
            let (expected, expectedWeights) = reference(m, x, kv, kv, hidden: nil)
            expectClose(y.scalars, expected.scalars, tolerance: 1e-13)
            expectClose(weights!.scalars, expectedWeights.scalars, tolerance: 1e-13)
            // Causal self-attention equals an explicit upper-triangular mask.
            let causal = Tensor(scalars: (0..<16).map { $0 % 4 > $0 / 4 ? 1 : 0 }, shape: [4, 4])
            let (masked, _) = m(x, x, x, isCausal: true)
            expectClose(masked.scalars, reference(m, x, x, x, hidden: causal).0.scalars, tolerance: 1e-13)
            expectClose(masked.scalars, m(x, x, x, attnMask: causal).output.scalars, tolerance: 0)
        }

        @Test(arguments: [true, false])
        func attentionDifferentiates(_ batchFirst: Bool) {
            let g = Generator(seed: 5)
            let m = MultiheadAttention(embedDim: 4, numHeads: 2, batchFirst: batchFirst, generator: g)
            Init.uniform(m.inProjBias!, low: -0.5, high: 0.5, generator: g)
            Init.uniform(m.outProj.bias!, low: -0.5, high: 0.5, generator: g)
            let padding = Tensor([[0, 0, 1], [0, 0, 0]])
            let mask = Tensor([[0, 1, 0], [0, 0, 0], [0, 0, 1]])
            // Self-attention with both masks; both outputs, averaged and per-head weights.
            expectModuleGradients(m, input: randomTensor([3, 2, 4].reordered(batchFirst), seed: 6)) { x in
                let (y, w) = m(x, x, x, keyPaddingMask: padding, attnMask: mask)
                let (_, perHead) = m(x, x, x, keyPaddingMask: padding, averageAttnWeights: false, isCausal: true)
                return cat([y.reshaped(-1), w!.reshaped(-1), perHead!.reshaped(-1)])
            }
            // Cross-attention: separate query, key and value.
            let k = randomTensor([3, 2, 4].reordered(batchFirst), seed: 7), v = randomTensor([3, 2, 4].reordered(batchFirst), seed: 8)
            expectGradients([randomTensor([2, 2, 4], seed: 9), k, v]) { t in m(t[0], t[1], t[2]).output }
            // Unbatched.
            expectModuleGradients(m, input: randomTensor([3, 4], seed: 10)) { x in m(x, x, x, needWeights: false).output }
        }

        @Test func attentionDropoutDifferentiatesWithAFixedMask() {
            let g = Generator(seed: 11)
            let m = MultiheadAttention(embedDim: 4, numHeads: 2, dropout: 0.3, batchFirst: true, generator: g)
            expectModuleGradients(m, input: randomTensor([2, 3, 4], seed: 12)) { x in
                g.seed(13)
                let (y, w) = m(x, x, x)
                return cat([y.reshaped(-1), w!.reshaped(-1)])
            }
            m.eval()
            let x = randomTensor([2, 3, 4], seed: 14)
            #expect(m(x).output.scalars == m(x).output.scalars)
        }

        @Test(arguments: [false, true])
        func encoderLayerDifferentiates(_ normFirst: Bool) {
            let g = Generator(seed: 15)
            let layer = TransformerEncoderLayer(dModel: 4, nhead: 2, dimFeedforward: 6, dropout: 0, activation: normFirst ? .gelu : .relu,
                                                batchFirst: true, normFirst: normFirst, generator: g)
            for p in layer.parameters { Init.uniform(p, low: -0.7, high: 0.7, generator: g) }
            let padding = Tensor([[0, 0, 1], [0, 0, 0]])
            expectModuleGradients(layer, input: randomTensor([2, 3, 4], seed: 16)) { layer($0, srcMask: nil, srcKeyPaddingMask: padding) }
            let encoder = TransformerEncoder(layer, numLayers: 2, norm: LayerNorm(4))
            expectModuleGradients(encoder, input: randomTensor([2, 3, 4], seed: 17)) { encoder($0, mask: nil, isCausal: true) }
        }

        @Test func encoderLayerWithDropoutDifferentiatesWithFixedMasks() {
            let g = Generator(seed: 18)
            let layer = TransformerEncoderLayer(dModel: 4, nhead: 2, dimFeedforward: 6, dropout: 0.2, generator: g)
            expectModuleGradients(layer, input: randomTensor([3, 2, 4], seed: 19)) { x in
                g.seed(20)
                return layer(x)
            }
        }

        @Test func keysAndInitialisationArePyTorchs() {
            let layer = TransformerEncoderLayer(dModel: 8, nhead: 2, dimFeedforward: 16)
            #expect(layer.namedParameters.map(\.name) == [
                "self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
                "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias",
                "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias"])
            let attention = layer.selfAttn
            #expect(attention.inProjWeight.shape == [24, 8])
            // Xavier-uniform: bound √(6 / (fanIn + fanOut)) = √(6 / 32); zero biases.
            let bound = (6.0 / 32).squareRoot()
            #expect(attention.inProjWeight.scalars.allSatisfy { abs($0) <= bound } && attention.inProjWeight.scalars.map(abs).max()! > 0.9 * bound)
            #expect(attention.inProjBias!.scalars.allSatisfy { $0 == 0 } && attention.outProj.bias!.scalars.allSatisfy { $0 == 0 })
            #expect(attention.outProj.weight.scalars.allSatisfy { abs($0) <= 1 / 8.0.squareRoot() })
            let encoder = TransformerEncoder(layer, numLayers: 2)
            #expect(encoder.stateDict().keys.filter { $0.hasPrefix("layers.1.") }.count == 12)
            #expect(encoder.layers.count == 2)
            // The copies start equal, and are not the same tensors.
            let first = encoder.stateDict()
            #expect(first["layers.0.linear1.weight"]!.scalars == first["layers.1.linear1.weight"]!.scalars)
            #expect((encoder.layers[0] as! TransformerEncoderLayer).linear1.weight !== (encoder.layers[1] as! TransformerEncoderLayer).linear1.weight)
        }

        @Test func evaluationModeTurnsDropoutOff() {
            manualSeed(1)
            let layer = TransformerEncoderLayer(dModel: 8, nhead: 2, dimFeedforward: 16, dropout: 0.5, batchFirst: true)
            let x = Tensor.randn(2, 3, 8)
            #expect(layer(x).scalars != layer(x).scalars)
            layer.eval()
            #expect(layer.selfAttn.isTraining == false && layer.dropout1.isTraining == false)
            #expect(layer(x).scalars == layer(x).scalars)
        }
    }
}

private extension Array where Element == Int {
    /// [T, N, E] shapes written sequence first, turned batch first when asked.
    func reordered(_ batchFirst: Bool) -> [Int] { batchFirst ? [self[1], self[0]] + self.dropFirst(2) : self }
}
