import Foundation
import Testing
@testable import TensorForge

/// Compares the convolution, pooling, embedding, activation, attention and Transformer layers,
/// the losses, optimisers, schedulers and gradient clipping with PyTorch's own numbers, recorded
/// in Fixtures/nn_reference.safetensors by Fixtures/make_nn_reference.py (float64 throughout).
/// Every value and gradient must agree within 1e-10 of max(1, |PyTorch's value|).
extension EngineTests {
    @Suite struct NNReferenceTests {
        static let fixturePath = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/nn_reference.safetensors").path
        static let tolerance = 1e-10

        let reference: [String: Tensor]

        init() throws { reference = try Safetensors.load(path: Self.fixturePath) }

        /// Tensors under `prefix.` with the prefix removed.
        func group(_ prefix: String) -> [String: Tensor] {
            Dictionary(uniqueKeysWithValues: reference.compactMap { key, value in
                key.hasPrefix(prefix + ".") ? (String(key.dropFirst(prefix.count + 1)), value) : nil
            })
        }

        func input(_ prefix: String, _ name: String, requiresGrad: Bool = true) -> Tensor {
            let t = reference["\(prefix).in.\(name)"]!
            return Tensor(scalars: t.scalars, shape: t.shape, requiresGrad: requiresGrad)
        }

        func expectMatch(_ value: Tensor, _ key: String, sourceLocation: SourceLocation = #_sourceLocation) {
            guard let expected = reference[key] else {
                Issue.record("no reference tensor \(key)", sourceLocation: sourceLocation)
                return
            }
            #expect(value.shape == expected.shape, "\(key): shape \(value.shape) vs \(expected.shape)", sourceLocation: sourceLocation)
            let worst = zip(value.scalars, expected.scalars).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
            let bothNaN = zip(value.scalars, expected.scalars).allSatisfy { $0.isNaN == $1.isNaN }
            #expect(bothNaN && !(worst > Self.tolerance), "\(key): max relative difference \(worst)", sourceLocation: sourceLocation)
        }

        /// Loads the module's PyTorch weights (the keys must be PyTorch's), runs `run`,
        /// backpropagates Σ output ⊙ w and compares outputs and all gradients.
        func check(_ prefix: String, module: any Module, inputs: [String: Tensor],
                   sourceLocation: SourceLocation = #_sourceLocation, _ run: () -> [String: Tensor]) throws {
            try module.loadStateDict(group("\(prefix).initial"))
            var loss: Tensor?
            for (name, value) in run() {
                expectMatch(value, "\(prefix).out.\(name)", sourceLocation: sourceLocation)
                let term = (value * reference["\(prefix).w.\(name)"]!).sum()
                loss = loss.map { $0 + term } ?? term
            }
            loss!.backward()
            for (name, t) in inputs where t.requiresGrad {
                expectMatch(t.grad ?? Tensor.zeros(like: t), "\(prefix).grad.\(name)", sourceLocation: sourceLocation)
            }
            for (name, p) in module.namedParameters {
                expectMatch(p.grad ?? Tensor.zeros(like: p), "\(prefix).grad.\(name)", sourceLocation: sourceLocation)
            }
        }

        @Test func convolutionsMatchPyTorch() throws {
            let conv = Conv2d(4, 6, kernelSize: [3, 2], stride: [2, 1], padding: [1, 2], dilation: [2, 1], groups: 2)
            let x = input("conv2d", "x")
            try check("conv2d", module: conv, inputs: ["x": x]) { ["y": conv(x)] }

            let plain = Conv2d(3, 5, kernelSize: 3, padding: 1, bias: false)
            let x2 = input("conv2d_nobias", "x")
            try check("conv2d_nobias", module: plain, inputs: ["x": x2]) { ["y": plain(x2)] }

            let conv1 = Conv1d(4, 6, kernelSize: 3, stride: 2, padding: 2, dilation: 2, groups: 2)
            let x3 = input("conv1d", "x")
            try check("conv1d", module: conv1, inputs: ["x": x3]) { ["y": conv1(x3)] }

            let unbatched = Conv1d(4, 2, kernelSize: 4, padding: 1)
            let x4 = input("conv1d_unbatched", "x")
            try check("conv1d_unbatched", module: unbatched, inputs: ["x": x4]) { ["y": unbatched(x4)] }
        }

        @Test func poolingMatchesPyTorch() throws {
            let none = Sequential()
            let x = input("maxpool", "x")
            try check("maxpool", module: none, inputs: ["x": x]) {
                ["padded": MaxPool2d(3, stride: 2, padding: 1)(x),
                 "ceil": MaxPool2d(2, stride: 2, ceilMode: true)(x),
                 "dilated": MaxPool2d(2, stride: 1, dilation: 2)(x)]
            }
            let y = input("avgpool", "x")
            try check("avgpool", module: none, inputs: ["x": y]) {
                ["padded": AvgPool2d(3, stride: 2, padding: 1)(y),
                 "exclude_pad_ceil": AvgPool2d(3, stride: 2, padding: 1, ceilMode: true, countIncludePad: false)(y),
                 "ceil": AvgPool2d(2, ceilMode: true)(y),
                 "divisor": AvgPool2d([2, 3], stride: [1, 2], divisorOverride: 5)(y)]
            }
            let z = input("adaptive", "x")
            try check("adaptive", module: none, inputs: ["x": z]) {
                ["y32": AdaptiveAvgPool2d([3, 2])(z), "y1": AdaptiveAvgPool2d(1)(z), "y45": AdaptiveAvgPool2d([4, 5])(z)]
            }
        }

        @Test func smallCNNWithCrossEntropyMatchesPyTorch() throws {
            let cnn = Sequential(Conv2d(1, 4, kernelSize: 3, padding: 1), ReLU(), MaxPool2d(2), Conv2d(4, 8, kernelSize: 3, padding: 1),
                                 ReLU(), AvgPool2d(2), Flatten(), Linear(32, 3))
            let x = input("cnn", "x")
            try check("cnn", module: cnn, inputs: ["x": x]) {
                let logits = cnn(x)
                return ["logits": logits, "loss": crossEntropy(logits, reference["cnn.targets"]!).reshaped(1)]
            }
        }

        @Test func embeddingMatchesPyTorch() throws {
            let embedding = Embedding(10, 4, paddingIdx: 2)
            let indices = input("embedding", "indices", requiresGrad: false)
            try check("embedding", module: embedding, inputs: [:]) { ["y": embedding(indices)] }
        }

        @Test func activationsMatchPyTorch() throws {
            let x = input("activations", "x")
            try check("activations", module: Sequential(), inputs: ["x": x]) {
                ["elu": ELU(alpha: 0.7)(x), "selu": SELU()(x), "silu": SiLU()(x), "gelu": GELU()(x),
                 "gelu_tanh": GELU(approximate: .tanh)(x), "softplus": Softplus(beta: 2, threshold: 5)(x),
                 "softmax": Softmax(dim: 1)(x), "log_softmax": LogSoftmax(dim: 0)(x)]
            }
        }

        @Test func multiheadAttentionMatchesPyTorch() throws {
            let selfAttention = MultiheadAttention(embedDim: 8, numHeads: 2, batchFirst: true)
            let x = input("mha_self", "x")
            try check("mha_self", module: selfAttention, inputs: ["x": x]) {
                let (y, weights) = selfAttention(x, x, x, keyPaddingMask: reference["mha_self.padding"]!)
                return ["y": y, "weights": weights!]
            }

            let cross = MultiheadAttention(8, 4)
            let q = input("mha_cross", "q"), k = input("mha_cross", "k"), v = input("mha_cross", "v")
            try check("mha_cross", module: cross, inputs: ["q": q, "k": k, "v": v]) {
                let (y, weights) = cross(q, k, v, attnMask: reference["mha_cross.mask"]!, averageAttnWeights: false)
                return ["y": y, "weights": weights!]
            }

            let causal = MultiheadAttention(embedDim: 8, numHeads: 2, batchFirst: true)
            let c = input("mha_causal", "x")
            try check("mha_causal", module: causal, inputs: ["x": c]) {
                ["y": causal(c, c, c, needWeights: false, isCausal: true).output]
            }
        }

        @Test func transformerEncoderLayersMatchPyTorch() throws {
            let padding = reference["mha_self.padding"]!
            let postLN = TransformerEncoderLayer(dModel: 8, nhead: 2, dimFeedforward: 16, dropout: 0, batchFirst: true)
            let x = input("encoder_postln", "x")
            try check("encoder_postln", module: postLN, inputs: ["x": x]) { ["y": postLN(x, srcMask: nil, srcKeyPaddingMask: padding)] }

            let preLN = TransformerEncoderLayer(dModel: 8, nhead: 2, dimFeedforward: 16, dropout: 0, activation: .gelu, normFirst: true)
            let y = input("encoder_preln", "x")
            try check("encoder_preln", module: preLN, inputs: ["x": y]) { ["y": preLN(y, srcMask: nil, isCausal: true)] }

            let encoder = TransformerEncoder(TransformerEncoderLayer(dModel: 8, nhead: 2, dimFeedforward: 16, dropout: 0, batchFirst: true),
                                             numLayers: 2, norm: LayerNorm(8))
            let z = input("encoder_stack", "x")
            try check("encoder_stack", module: encoder, inputs: ["x": z]) { ["y": encoder(z, mask: nil, srcKeyPaddingMask: padding)] }
            // The keys are exactly PyTorch's, none missing or extra.
            #expect(Set(encoder.stateDict().keys) == Set(group("encoder_stack.initial").keys))
        }

        @Test func classificationLossesMatchPyTorch() throws {
            let logits = input("classification", "logits"), logits3 = input("classification", "logits3")
            let targets = reference["classification.targets"]!, targets3 = reference["classification.targets3"]!
            let weight = reference["classification.class_weight"]!, probabilities = reference["classification.probabilities"]!
            try check("classification", module: Sequential(), inputs: ["logits": logits, "logits3": logits3]) {
                var results: [String: Tensor] = [:]
                for (name, reduction) in [("mean", Reduction.mean), ("sum", .sum), ("none", .none)] {
                    results["nll_\(name)"] = nllLoss(logits.logSoftmax(dim: 1), targets, weight: weight, reduction: reduction).reshaped(-1)
                    results["nll3_\(name)"] = nllLoss(logits3.logSoftmax(dim: 1), targets3, reduction: reduction).reshaped(-1)
                    results["ce_\(name)"] = crossEntropy(logits, targets, weight: weight, reduction: reduction, labelSmoothing: 0.1).reshaped(-1)
                    results["ce_plain_\(name)"] = crossEntropy(logits, targets, reduction: reduction).reshaped(-1)
                    results["ce_soft_\(name)"] = crossEntropy(logits, probabilities, weight: weight, reduction: reduction,
                                                              labelSmoothing: 0.2).reshaped(-1)
                }
                return results
            }
        }

        @Test func regressionLossesMatchPyTorch() throws {
            let x = input("regression", "x"), t = input("regression", "t"), p = input("regression", "p"), pt = input("regression", "pt")
            let weight = reference["regression.element_weight"]!
            try check("regression", module: Sequential(), inputs: ["x": x, "t": t, "p": p, "pt": pt]) {
                var results: [String: Tensor] = [:]
                for (name, reduction) in [("mean", Reduction.mean), ("sum", .sum), ("none", .none)] {
                    results["l1_\(name)"] = l1Loss(x, t, reduction: reduction).reshaped(-1)
                    results["smooth_l1_\(name)"] = smoothL1Loss(x, t, reduction: reduction, beta: 0.5).reshaped(-1)
                    results["huber_\(name)"] = huberLoss(x, t, reduction: reduction, delta: 1.5).reshaped(-1)
                    results["bce_\(name)"] = binaryCrossEntropy(p, pt, weight: weight, reduction: reduction).reshaped(-1)
                    results["bce_plain_\(name)"] = binaryCrossEntropy(p, pt, reduction: reduction).reshaped(-1)
                }
                return results
            }
        }

        static let optimizers: [(String, @Sendable ([Tensor]) -> any Optimizer)] = [
            ("rmsprop", { RMSprop($0, lr: 0.01) }),
            ("rmsprop_full", { RMSprop($0, lr: 0.02, alpha: 0.9, eps: 1e-6, weightDecay: 0.1, momentum: 0.8, centered: true) }),
            ("adagrad", { Adagrad($0, lr: 0.1) }),
            ("adagrad_full", { Adagrad($0, lr: 0.1, lrDecay: 0.05, weightDecay: 0.2, initialAccumulatorValue: 0.3, eps: 1e-8) }),
        ]

        @Test(arguments: optimizers.indices)
        func optimizerStepsMatchPyTorch(_ index: Int) {
            let (name, make) = Self.optimizers[index]
            let parameters = (0..<2).map { i in
                let s = reference["optim.start.\(i)"]!
                return Tensor(scalars: s.scalars, shape: s.shape, requiresGrad: true)
            }
            let optimizer = make(parameters)
            for step in 0..<5 {
                for (i, p) in parameters.enumerated() { p.grad = reference["optim.grad.\(step).\(i)"]!.detach() }
                optimizer.step()
                for (i, p) in parameters.enumerated() { expectMatch(p.detach(), "optim.\(name).\(step).\(i)") }
            }
        }

        /// The learning rate after building and after each step, as PyTorch's `get_last_lr()`,
        /// and the momentum `OneCycleLR` cycles.
        func expectSchedule(_ name: String, _ optimizer: any Optimizer, _ scheduler: LRScheduler, steps: Int,
                            momentum: (() -> Double)? = nil, sourceLocation: SourceLocation = #_sourceLocation) {
            var rates = [scheduler.getLastLR()], momenta = momentum.map { [$0()] } ?? []
            for _ in 0..<steps {
                optimizer.step()
                scheduler.step()
                rates.append(scheduler.getLastLR())
                #expect(optimizer.lr == scheduler.getLastLR(), sourceLocation: sourceLocation)
                if let momentum { momenta.append(momentum()) }
            }
            expectMatch(Tensor(rates), "sched.\(name).lr", sourceLocation: sourceLocation)
            if momentum != nil { expectMatch(Tensor(momenta), "sched.\(name).momentum", sourceLocation: sourceLocation) }
        }

        @Test func schedulersMatchPyTorch() {
            func sgd(momentum: Double = 0) -> SGD { SGD([Tensor.zeros([1], requiresGrad: true)], lr: 0.1, momentum: momentum) }
            var o = sgd()
            expectSchedule("step", o, StepLR(o, stepSize: 3, gamma: 0.5), steps: 10)
            o = sgd()
            expectSchedule("linear", o, LinearLR(o, startFactor: 0.25, endFactor: 1, totalIters: 4), steps: 7)
            o = sgd()
            expectSchedule("linear_down", o, LinearLR(o, startFactor: 1, endFactor: 0.1, totalIters: 5), steps: 7)
            o = sgd()
            expectSchedule("cosine", o, CosineAnnealingLR(o, tMax: 4, etaMin: 0.01), steps: 12)
            let momentumSGD = sgd(momentum: 0.9)
            expectSchedule("onecycle_sgd", momentumSGD, OneCycleLR(momentumSGD, maxLR: 1, totalSteps: 10), steps: 10,
                           momentum: { momentumSGD.momentum })
            let adam = Adam([Tensor.zeros([1], requiresGrad: true)], lr: 0.1)
            expectSchedule("onecycle_adam", adam,
                           OneCycleLR(adam, maxLR: 0.5, totalSteps: 12, pctStart: 0.25, annealStrategy: .linear, divFactor: 10,
                                      finalDivFactor: 100, threePhase: true),
                           steps: 12, momentum: { adam.beta1 })
        }

        @Test func gradientClippingMatchesPyTorch() {
            let clips: [(String, ([Tensor]) -> Double?)] = [
                ("value", { clipGradValue($0, clipValue: 0.5); return nil }),
                ("norm3", { clipGradNorm($0, maxNorm: 1, normType: 3) }),
                ("norm_inf", { clipGradNorm($0, maxNorm: 0.5, normType: .infinity) }),
                ("norm2", { clipGradNorm($0, maxNorm: 1) }),
            ]
            for (name, clip) in clips {
                let parameters = (0..<2).map { i in
                    let p = Tensor(scalars: reference["optim.start.\(i)"]!.scalars, shape: reference["optim.start.\(i)"]!.shape, requiresGrad: true)
                    p.grad = reference["optim.grad.0.\(i)"]!.detach()
                    return p
                }
                if let norm = clip(parameters) { expectMatch(Tensor([norm]), "clip.\(name).norm") }
                for (i, p) in parameters.enumerated() { expectMatch(p.grad!, "clip.\(name).\(i)") }
            }
        }
    }
}
