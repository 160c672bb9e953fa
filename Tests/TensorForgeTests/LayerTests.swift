import Foundation
import Testing
@testable import TensorForge

extension EngineTests {
    @Suite struct LayerTests {
        static let batches = [1, 3]

        @Test(arguments: batches)
        func feedForwardLayersDifferentiate(_ batch: Int) {
            let g = Generator(seed: 11)
            let x = randomTensor([batch, 4], seed: 12)
            let mlp = Sequential(Linear(4, 5, generator: g), Tanh(), Linear(5, 3, bias: false, generator: g), Sigmoid(),
                                 Linear(3, 3, generator: g), GELU(), Linear(3, 2, generator: g), Softplus())
            expectModuleGradients(mlp, input: x) { mlp($0) }
            let residual = Residual(Sequential(Linear(4, 4, generator: g), LeakyReLU(negativeSlope: 0.1)))
            expectModuleGradients(residual, input: x + 0.01) { residual($0) }
            let norm = LayerNorm(4)
            Init.normal(norm.weight!, generator: g); Init.normal(norm.bias!, generator: g)
            expectModuleGradients(norm, input: x) { norm($0) }
            expectModuleGradients(Identity(), input: x) { Identity()($0) * 2 }
            expectModuleGradients(ReLU(), input: x + 0.01) { ReLU()($0) }
        }

        @Test func batchNormDifferentiatesInTrainingAndEvaluation() {
            let norm = BatchNorm1d(3)
            Init.normal(norm.weight!, generator: Generator(seed: 1)); Init.normal(norm.bias!, generator: Generator(seed: 2))
            expectModuleGradients(norm, input: randomTensor([5, 3], seed: 3)) { norm($0) }
            expectModuleGradients(norm, input: randomTensor([2, 3, 4], seed: 4)) { norm($0) }
            norm.eval()
            expectModuleGradients(norm, input: randomTensor([1, 3], seed: 5)) { norm($0) }
        }

        @Test(arguments: batches)
        func recurrentLayersDifferentiate(_ batch: Int) {
            let g = Generator(seed: 21)
            let x = randomTensor([4, batch, 3], seed: 22)
            let lstm = LSTM(inputSize: 3, hiddenSize: 2, numLayers: 2, generator: g)
            expectModuleGradients(lstm, input: x) { input in
                let (output, (h, c)) = lstm(input)
                return cat([output.reshaped(-1), h.reshaped(-1), c.reshaped(-1)])
            }
            let rnn = RNN(inputSize: 3, hiddenSize: 2, numLayers: 2, generator: g)
            expectModuleGradients(rnn, input: x) { rnn($0).output }
            let reluRNN = RNN(inputSize: 3, hiddenSize: 2, nonlinearity: .relu, generator: g)
            expectModuleGradients(reluRNN, input: x) { reluRNN($0).hN }
            let gru = GRU(inputSize: 3, hiddenSize: 2, numLayers: 2, generator: g)
            expectModuleGradients(gru, input: x) { gru($0).output }
        }

        @Test func recurrentInitialStatesDifferentiate() {
            let g = Generator(seed: 31)
            let lstm = LSTM(inputSize: 2, hiddenSize: 3, generator: g)
            let x = randomTensor([3, 2, 2], seed: 1)
            expectGradients([x, randomTensor([1, 2, 3], seed: 2), randomTensor([1, 2, 3], seed: 3)]) { v in
                let (_, (h, c)) = lstm(v[0], (v[1], v[2]))
                return h * c
            }
        }

        @Test func unbatchedSequencesWork() {
            let lstm = LSTM(inputSize: 10, hiddenSize: 20, numLayers: 2)
            let (output, (h, c)) = lstm(Tensor.randn(7, 10))
            #expect(output.shape == [7, 20] && h.shape == [2, 20] && c.shape == [2, 20])
        }

        @Test func lstmGateOrderAndStateMatchAHandWrittenCell() {
            // One step, batch 1, with the i, f, g, o rows of PyTorch's layout.
            let lstm = LSTM(inputSize: 2, hiddenSize: 3, generator: Generator(seed: 4))
            let x = randomTensor([1, 1, 2], seed: 5)
            let (output, (_, c)) = lstm(x)
            let gates = linear(x[0], weight: lstm.weights.weightIH[0], bias: lstm.weights.biasIH[0]) + lstm.weights.biasHH[0]
            let i = gates.narrow(dim: 1, range: 0..<3).sigmoid(), gCell = gates.narrow(dim: 1, range: 6..<9).tanh()
            let o = gates.narrow(dim: 1, range: 9..<12).sigmoid()
            let cell = i * gCell  // c0 = 0, so the forget gate does not contribute
            expectClose(c.scalars, cell.scalars, tolerance: 1e-15)
            expectClose(output.scalars, (o * cell.tanh()).scalars, tolerance: 1e-15)
        }

        @Test func forgetGateBiasSetsTheRightRows() {
            let lstm = LSTM(inputSize: 1, hiddenSize: 2)
            lstm.setForgetGateBias(1)
            #expect(Array(lstm.weights.biasIH[0].scalars[2..<4]) == [1, 1])
            #expect(Array(lstm.weights.biasHH[0].scalars[2..<4]) == [0, 0])
        }

        @Test func batchNormRunningStatisticsAfterOneStep() {
            let norm = BatchNorm1d(2)
            let x = Tensor([[1, 10], [3, 20], [5, 60]])
            let y = norm(x)
            // mean [3, 30]; biased var [8/3, 1400/3]; unbiased [4, 700]
            expectClose(norm.runningMean.scalars, [0.3, 3.0], tolerance: 1e-15)
            expectClose(norm.runningVar.scalars, [0.9 + 0.4, 0.9 + 70], tolerance: 1e-15)
            #expect(norm.numBatchesTracked.item == 1)
            expectClose(y.scalars[0...1].map { $0 }, [-2 / (8.0 / 3 + 1e-5).squareRoot(), -20 / (1400.0 / 3 + 1e-5).squareRoot()])
            norm.eval()
            let evaluated = norm(Tensor([[3, 30]]))
            expectClose(evaluated.scalars, [(3 - 0.3) / (1.3 + 1e-5).squareRoot(), (30 - 3) / (70.9 + 1e-5).squareRoot()])
            #expect(norm.numBatchesTracked.item == 1)  // evaluation leaves the statistics alone
        }

        @Test func dropoutScalesInTrainingAndPassesThroughInEvaluation() {
            let dropout = Dropout(0.5, generator: Generator(seed: 3))
            let x = Tensor.ones(1000)
            let y = dropout(x).scalars
            #expect(Set(y).isSubset(of: [0, 2]))
            #expect(abs(Double(y.filter { $0 == 0 }.count) - 500) < 60)
            let model = Sequential(Linear(2, 2), dropout)
            model.eval()
            #expect(!dropout.isTraining)
            #expect(dropout(x).scalars == x.scalars)
            model.train()
            #expect(dropout.isTraining)
        }

        @Test func dropoutGradientIsTheScaledMask() {
            let x = Tensor.ones(shape: [200], requiresGrad: true)
            let y = Dropout(0.3, generator: Generator(seed: 9))(x)
            y.sum().backward()
            #expect(x.grad!.scalars == y.scalars)   // x = 1, so y is the mask times 1/(1 − p)
            #expect(Set(y.scalars) == [0, 1 / 0.7])
        }

        @Test func sequentialAcceptsWhatUsersWrite() {
            var layers: [any Module] = []
            for _ in 0..<2 { layers += [Linear(3, 3), Tanh()] }
            layers.append(Linear(3, 1))
            let model = Sequential(layers)
            #expect(model.count == 5)
            #expect(model(Tensor.randn(4, 3)).shape == [4, 1])
            #expect(model.namedParameters.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias", "4.weight", "4.bias"])
            var typed: [any Module<Tensor>] = [Linear(3, 3)]
            typed.append(ReLU())
            #expect(Sequential(typed).count == 2)
            #expect(Sequential([Linear(3, 3), ReLU()]).count == 2)
            #expect(Sequential(Linear(3, 3), ReLU(), Linear(3, 1)).count == 3)
            let blocks = (0..<3).map { _ in Sequential(Linear(3, 3), Tanh()) as any Module<Tensor> }
            #expect(Sequential(blocks + [Linear(3, 1)]).count == 4)
            let block = Sequential(Linear(3, 3), Tanh())
            let chosen: [any Module<Tensor>] = [Bool.random() ? Residual(block) : block]
            #expect(Sequential(chosen)(Tensor.zeros(2, 3)).shape == [2, 3])
            let anyBlock: any Module = Linear(3, 3)
            let residual = Residual(anyBlock)
            #expect(residual(Tensor.zeros(1, 3)).shape == [1, 3])
            #expect(residual.stateDict().keys.sorted() == ["block.bias", "block.weight"])
        }

        @Test func stateDictKeysFollowPyTorch() {
            let mlp = Sequential(Linear(2, 3), ReLU(), Linear(3, 1), BatchNorm1d(1))
            #expect(mlp.namedState.map(\.name) == ["0.weight", "0.bias", "2.weight", "2.bias", "3.weight", "3.bias",
                                                   "3.running_mean", "3.running_var", "3.num_batches_tracked"])
            #expect(mlp.parameters.count == 6)
            #expect(LSTM(inputSize: 1, hiddenSize: 1, numLayers: 2).namedParameters.map(\.name) == [
                "weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0",
                "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1"])
            #expect(Residual(Linear(2, 2)).stateDict().keys.sorted() == ["block.bias", "block.weight"])
        }

        final class CustomNet: Module {
            let hidden = Linear(2, 4)
            let blocks = [Linear(4, 4), Linear(4, 4)]
            let scale = Tensor([1.5], requiresGrad: true)
            func callAsFunction(_ x: Tensor) -> Tensor { blocks[1](blocks[0](hidden(x))) * scale }
        }

        @Test func customModulesAreFoundByReflection() {
            let net = CustomNet()
            #expect(net.namedParameters.map(\.name) == ["scale", "hidden.weight", "hidden.bias",
                                                        "blocks.0.weight", "blocks.0.bias", "blocks.1.weight", "blocks.1.bias"])
        }

        @Test func stateDictRoundTripsBetweenModels() throws {
            let a = Sequential(Linear(3, 4), Tanh(), Linear(4, 2)), b = Sequential(Linear(3, 4), Tanh(), Linear(4, 2))
            let x = Tensor.randn(5, 3)
            try b.loadStateDict(a.stateDict())
            #expect(a(x).scalars == b(x).scalars)
        }

        nonisolated(unsafe) static let loadErrors: [(String, [String: Tensor], StateDictError, String)] = [
            ("missing", ["weight": Tensor.zeros(2, 3)],
             StateDictError(missingKeys: ["bias"], unexpectedKeys: [], shapeMismatches: []),
             "Missing key(s): \"bias\"."),
            ("unexpected", ["weight": Tensor.zeros(2, 3), "bias": Tensor.zeros(2), "extra": Tensor.zeros(1)],
             StateDictError(missingKeys: [], unexpectedKeys: ["extra"], shapeMismatches: []),
             "Unexpected key(s): \"extra\"."),
            ("shape", ["weight": Tensor.zeros(3, 2), "bias": Tensor.zeros(2)],
             StateDictError(missingKeys: [], unexpectedKeys: [],
                            shapeMismatches: [.init(key: "weight", expected: [2, 3], found: [3, 2])]),
             "Size mismatch for \"weight\": the state dict has shape [3, 2], the model expects [2, 3]."),
        ]

        @Test(arguments: loadErrors.indices)
        func loadStateDictErrorsNameTheProblem(_ index: Int) {
            let (_, dict, expected, message) = Self.loadErrors[index]
            let layer = Linear(3, 2)
            let before = layer.weight.scalars
            #expect(throws: expected) { try layer.loadStateDict(dict) }
            #expect(expected.description.contains(message))
            #expect(layer.weight.scalars == before)  // nothing changed
        }

        @Test func nonStrictLoadingSkipsMissingAndUnexpectedKeys() throws {
            let layer = Linear(3, 2)
            try layer.loadStateDict(["bias": Tensor([7, 8]), "other": Tensor.zeros(1)], strict: false)
            #expect(layer.bias!.scalars == [7, 8])
        }

        @Test func defaultInitialisationBounds() {
            let layer = Linear(100, 50)
            #expect(layer.weight.scalars.allSatisfy { abs($0) <= 0.1 })
            #expect(layer.weight.scalars.max()! > 0.09)
            let lstm = LSTM(inputSize: 5, hiddenSize: 16)
            #expect(lstm.parameters.allSatisfy { $0.scalars.allSatisfy { abs($0) <= 0.25 } })
        }
    }

    @Suite struct LossTests {
        @Test(arguments: [1, 4])
        func lossesDifferentiate(_ batch: Int) {
            let logits = randomTensor([batch, 3], seed: 1)
            let labels = Tensor(scalars: (0..<batch).map { Double($0 % 3) }, shape: [batch])
            expectGradients([logits]) { crossEntropy($0[0], labels) }
            expectGradients([logits, randomTensor([batch, 3], seed: 2)]) { mseLoss($0[0], $0[1]) }
            let targets = Tensor.rand(shape: [batch, 3], generator: Generator(seed: 3))
            expectGradients([logits, targets]) { binaryCrossEntropyWithLogits($0[0], $0[1]) }
            expectGradients([logits]) { crossEntropy($0[0], labels, reduction: .none) }
        }

        @Test func lossValues() {
            // torch.nn.functional.cross_entropy(torch.tensor([[1., 2., 3.]]), torch.tensor([0]))
            expectClose([crossEntropy(Tensor([[1, 2, 3]]), [0]).item], [2.4076059644443806], tolerance: 1e-15)
            // binary_cross_entropy_with_logits(tensor([0.5, -1000.]), tensor([1., 0.]))
            expectClose([binaryCrossEntropyWithLogits(Tensor([0.5, -1000]), Tensor([1, 0])).item], [0.47407698418010663 / 2],
                        tolerance: 1e-15)
            #expect(mseLoss(Tensor([1, 2]), Tensor([3, 2])).item == 2)
            #expect(mseLoss(Tensor([1, 2]), Tensor([3, 2]), reduction: .sum).item == 4)
        }
    }

    @Suite struct InitTests {
        @Test func gainsMatchPyTorch() {
            #expect(Init.calculateGain(.tanh) == 5.0 / 3)
            #expect(Init.calculateGain(.relu) == 2.0.squareRoot())
            #expect(Init.calculateGain(.sigmoid) == 1)
            #expect(abs(Init.calculateGain(.leakyRelu(negativeSlope: 0.01)) - 1.4141428569978354) < 1e-15)
        }

        @Test func initialisersHaveTheirVariances() {
            let g = Generator(seed: 8)
            let w = Tensor.zeros(400, 300)
            func std(_ t: Tensor) -> Double { t.standardDeviation().item }
            Init.xavierUniform(w, generator: g)
            #expect(abs(std(w) - (2.0 / 700).squareRoot()) < 0.002)
            #expect(w.scalars.allSatisfy { abs($0) <= (6.0 / 700).squareRoot() })
            Init.xavierNormal(w, gain: 2, generator: g)
            #expect(abs(std(w) - 2 * (2.0 / 700).squareRoot()) < 0.003)
            Init.kaimingNormal(w, mode: .fanIn, nonlinearity: .relu, generator: g)
            #expect(abs(std(w) - (2.0 / 300).squareRoot()) < 0.002)
            Init.kaimingUniform(w, mode: .fanOut, nonlinearity: .relu, generator: g)
            #expect(abs(std(w) - (2.0 / 400).squareRoot()) < 0.002)
            Init.normal(w, mean: 1, std: 0.5, generator: g)
            #expect(abs(w.mean().item - 1) < 0.01)
            Init.uniform(w, low: -2, high: -1, generator: g)
            #expect(w.scalars.allSatisfy { $0 >= -2 && $0 < -1 })
            Init.constant(w, 0.25)
            #expect(w.scalars.allSatisfy { $0 == 0.25 })
        }

        @Test(arguments: [[5, 3], [3, 5], [4, 4]])
        func orthogonalRowsOrColumnsAreOrthonormal(_ shape: [Int]) {
            let w = Tensor.zeros(shape: shape)
            Init.orthogonal(w, gain: 2, generator: Generator(seed: 1))
            let tall = shape[0] >= shape[1]
            let gram = tall ? w.T.matmul(w) : w.matmul(w.T)
            let n = min(shape[0], shape[1])
            expectClose(gram.scalars, (Tensor.eye(n) * 4).scalars, tolerance: 1e-12)
        }
    }
}

extension EngineTests {
    @Suite struct ModuleDescriptionTests {
        @Test func modulesPrintTheirArchitecture() {
            let model = Sequential(Linear(2, 8), Tanh(), Residual(Sequential(Linear(8, 8), ReLU())), Linear(8, 1, bias: false))
            #expect(model.description == """
                Sequential(
                  (0): Linear(inFeatures: 2, outFeatures: 8, bias: true)
                  (1): Tanh()
                  (2): Residual(
                    (block): Sequential(
                      (0): Linear(inFeatures: 8, outFeatures: 8, bias: true)
                      (1): ReLU()
                    )
                  )
                  (3): Linear(inFeatures: 8, outFeatures: 1, bias: false)
                )
                """)
            #expect(LSTM(inputSize: 10, hiddenSize: 20, numLayers: 2).description == "LSTM(inputSize: 10, hiddenSize: 20, numLayers: 2)")
        }
    }
}
