import Foundation
import Testing
@testable import TensorForge

/// Compares TensorForge with PyTorch's own outputs and gradients, recorded in
/// Fixtures/reference.safetensors by Fixtures/make_reference.py (float64 throughout).
extension EngineTests {
    @Suite struct ReferenceTests {
        static let fixturePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/reference.safetensors").path

        let reference: [String: Tensor]

        init() throws { reference = try Safetensors.load(path: Self.fixturePath) }

        /// Tensors under `prefix.` with the prefix removed.
        func group(_ prefix: String) -> [String: Tensor] {
            Dictionary(uniqueKeysWithValues: reference.compactMap { key, value in
                key.hasPrefix(prefix + ".") ? (String(key.dropFirst(prefix.count + 1)), value) : nil
            })
        }

        func input(_ prefix: String, _ name: String) -> Tensor {
            let t = reference["\(prefix).in.\(name)"]!
            return Tensor(scalars: t.scalars, shape: t.shape, requiresGrad: true)
        }

        /// Backpropagates Σ output ⊙ w over the named outputs and compares everything recorded.
        func check(_ prefix: String, module: any Module, inputs: [String: Tensor], outputs: [String: Tensor]) throws {
            var loss: Tensor?
            for (name, value) in outputs {
                let expected = try #require(reference["\(prefix).out.\(name)"], "no reference output \(name)")
                #expect(value.shape == expected.shape, "\(prefix) \(name) shape")
                expectClose(value.scalars, expected.scalars)
                let term = (value * reference["\(prefix).w.\(name)"]!).sum()
                loss = loss.map { $0 + term } ?? term
            }
            loss!.backward()
            for (name, t) in inputs {
                expectClose(t.grad!.scalars, reference["\(prefix).grad.\(name)"]!.scalars)
            }
            for (name, p) in module.namedParameters {
                let expected = try #require(reference["\(prefix).grad.\(name)"], "no reference gradient for \(name)")
                expectClose(p.grad!.scalars, expected.scalars)
            }
            for (name, t) in module.namedState {
                expectClose(t.scalars, reference["\(prefix).after.\(name)"]!.scalars)
            }
        }

        @Test func lstmMatchesPyTorch() throws {
            let lstm = LSTM(inputSize: 3, hiddenSize: 4, numLayers: 2)
            try lstm.loadStateDict(group("lstm.initial"))
            let x = input("lstm", "x"), h0 = input("lstm", "h0"), c0 = input("lstm", "c0")
            let (output, (h, c)) = lstm(x, (h0, c0))
            try check("lstm", module: lstm, inputs: ["x": x, "h0": h0, "c0": c0], outputs: ["output": output, "h": h, "c": c])
        }

        @Test func rnnMatchesPyTorch() throws {
            let rnn = RNN(inputSize: 3, hiddenSize: 4, numLayers: 2)
            try rnn.loadStateDict(group("rnn.initial"))
            let x = input("rnn", "x"), h0 = input("rnn", "h0")
            let (output, h) = rnn(x, h0)
            try check("rnn", module: rnn, inputs: ["x": x, "h0": h0], outputs: ["output": output, "h": h])
        }

        @Test func gruMatchesPyTorch() throws {
            let gru = GRU(inputSize: 3, hiddenSize: 4, numLayers: 2)
            try gru.loadStateDict(group("gru.initial"))
            let x = input("gru", "x"), h0 = input("gru", "h0")
            let (output, h) = gru(x, h0)
            try check("gru", module: gru, inputs: ["x": x, "h0": h0], outputs: ["output": output, "h": h])
        }

        @Test func mlpWithBatchNormAndCrossEntropyMatchesPyTorch() throws {
            let mlp = Sequential(Linear(3, 5), BatchNorm1d(5), Sigmoid(), Linear(5, 3))
            try mlp.loadStateDict(group("mlp.initial"))
            let x = input("mlp", "x")
            let logits = mlp(x)
            let loss = crossEntropy(logits, reference["mlp.targets"]!).reshaped(1)
            try check("mlp", module: mlp, inputs: ["x": x], outputs: ["logits": logits, "loss": loss])
            // num_batches_tracked is int64 in PyTorch's file and reads back as 1.
            #expect(mlp.stateDict()["1.num_batches_tracked"]!.item == 1)
        }

        @Test func layerNormMatchesPyTorch() throws {
            let norm = LayerNorm(4)
            try norm.loadStateDict(group("layernorm.initial"))
            let x = input("layernorm", "x")
            try check("layernorm", module: norm, inputs: ["x": x], outputs: ["y": norm(x)])
        }
    }
}
