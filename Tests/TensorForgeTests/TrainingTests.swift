import Foundation
import Testing
@testable import TensorForge

extension EngineTests {
    @Suite struct OptimizerTests {
        /// Trains a 2-8-1 tanh network on XOR; returns the loss per step and the final logits.
        func trainXOR(steps: Int, _ makeOptimizer: ([Tensor]) -> any Optimizer) -> (losses: [Double], logits: [Double]) {
            let g = Generator(seed: 2024)
            let model = Sequential(Linear(2, 8, generator: g), Tanh(), Linear(8, 1, generator: g))
            let optimizer = makeOptimizer(model.parameters)
            let (x, y) = ToyData.xor()
            var losses: [Double] = []
            for _ in 0..<steps {
                let loss = binaryCrossEntropyWithLogits(model(x), y)
                optimizer.zeroGrad()
                loss.backward()
                optimizer.step()
                losses.append(loss.item)
            }
            return (losses, model(x).scalars)
        }

        static let optimizers: [(String, Int, @Sendable ([Tensor]) -> any Optimizer)] = [
            ("SGD", 2000, { SGD($0, lr: 0.5) }),
            ("SGD momentum", 600, { SGD($0, lr: 0.1, momentum: 0.9) }),
            ("SGD Nesterov + weight decay", 600, { SGD($0, lr: 0.1, momentum: 0.9, weightDecay: 1e-4, nesterov: true) }),
            ("Adam", 400, { Adam($0, lr: 0.05) }),
            ("AdamW", 400, { AdamW($0, lr: 0.05) }),
        ]

        @Test(arguments: optimizers.indices)
        func eachOptimizerLearnsXOR(_ index: Int) {
            let (name, steps, make) = Self.optimizers[index]
            let (losses, logits) = trainXOR(steps: steps, make)
            #expect(losses.last! < 0.05, "\(name): final loss \(losses.last!)")
            #expect(logits.map { $0 > 0 } == [false, true, true, false], "\(name): logits \(logits)")
            // Loss decreases over every window of 50 steps.
            for start in stride(from: 0, to: steps - 50, by: 50) {
                #expect(losses[start + 50] < losses[start], "\(name): loss rose between steps \(start) and \(start + 50)")
            }
        }

        @Test func plainGradientDescentDecreasesTheLossAtEveryStep() {
            let (losses, _) = trainXOR(steps: 300) { SGD($0, lr: 0.1) }
            for i in 1..<losses.count { #expect(losses[i] < losses[i - 1], "step \(i)") }
        }

        @Test func updateRulesMatchPyTorchByHand() {
            // One parameter w = 1 with gradient 0.5 each step.
            func run(_ optimizer: (Tensor) -> any Optimizer, steps: Int) -> Double {
                let w = Tensor([1.0], requiresGrad: true)
                let opt = optimizer(w)
                for _ in 0..<steps { w.grad = Tensor([0.5]); opt.step() }
                return w.item
            }
            // SGD momentum 0.9, weight decay 0.1: d = 0.5 + 0.1w; v1 = d1; v2 = 0.9 v1 + d2.
            let d1 = 0.5 + 0.1, w1 = 1 - 0.1 * d1
            let d2 = 0.5 + 0.1 * w1, w2 = w1 - 0.1 * (0.9 * d1 + d2)
            expectClose([run({ SGD([$0], lr: 0.1, momentum: 0.9, weightDecay: 0.1) }, steps: 2)], [w2], tolerance: 1e-15)
            // Nesterov: w -= lr (d + μ v).
            expectClose([run({ SGD([$0], lr: 0.1, momentum: 0.9, nesterov: true) }, steps: 1)], [1 - 0.1 * (0.5 + 0.9 * 0.5)], tolerance: 1e-15)
            // Adam's first step moves by lr·ĝ/(|ĝ| + ε) ≈ lr.
            expectClose([run({ Adam([$0], lr: 0.01) }, steps: 1)], [1 - 0.01 * 0.5 / (0.5 + 1e-8)], tolerance: 1e-15)
            // AdamW decays the weight first: w(1 − lr·λ), then the Adam step.
            expectClose([run({ AdamW([$0], lr: 0.01, weightDecay: 0.1) }, steps: 1)],
                        [1 * (1 - 0.001) - 0.01 * 0.5 / (0.5 + 1e-8)], tolerance: 1e-15)
        }

        @Test func clipGradNormScalesAllGradientsTogether() {
            let a = Tensor([0.0], requiresGrad: true), b = Tensor([0.0], requiresGrad: true)
            a.grad = Tensor([3]); b.grad = Tensor([4])
            let norm = clipGradNorm([a, b], maxNorm: 1)
            #expect(norm == 5)
            expectClose([a.grad!.item, b.grad!.item], [3 / (5 + 1e-6), 4 / (5 + 1e-6)], tolerance: 1e-15)
            #expect(clipGradNorm([a, b], maxNorm: 10) < 1.0000001)  // below the limit: unchanged
        }
    }

    @Suite struct DeterminismTests {
        @Test func generatorSequenceIsFixedOnEveryMachine() {
            // xoshiro256** seeded by SplitMix64 is pure integer arithmetic: these values are the
            // same everywhere. A change here changes every book's numbers.
            let g = Generator(seed: 0)
            #expect(g.nextUInt64() == 11_091_344_671_253_066_420)
            let first = Generator(seed: 42).nextUniform()
            #expect(first >= 0 && first < 1)
            #expect(Generator(seed: 42).nextUniform() == first)
        }

        @Test func normalSamplesHaveUnitVariance() {
            let x = Tensor.randn(shape: [20_000], generator: Generator(seed: 5))
            #expect(abs(x.mean().item) < 0.03)
            #expect(abs(x.variance().item - 1) < 0.03)
            let ints = Tensor.randint(0, 3, shape: [1000], generator: Generator(seed: 1)).scalars
            #expect(Set(ints) == [0, 1, 2])
            #expect(Tensor.randperm(10, generator: Generator(seed: 1)).scalars.sorted() == (0..<10).map(Double.init))
        }

        func seededTraining() -> [Double] {
            manualSeed(7)
            let model = Sequential(Linear(2, 16), Tanh(), Linear(16, 1))
            let optimizer = Adam(model.parameters, lr: 0.01)
            let lstm = LSTM(inputSize: 2, hiddenSize: 4)
            var trace: [Double] = []
            for _ in 0..<20 {
                let x = Tensor.randn(8, 2), y = Tensor.rand(8, 1)
                let loss = mseLoss(model(x), y) + lstm(ToyData.addingProblem(sequenceLength: 5, batchSize: 2).inputs).output.mean()
                optimizer.zeroGrad()
                loss.backward()
                optimizer.step()
                trace.append(loss.item)
            }
            return trace + model.parameters.flatMap(\.scalars)
        }

        @Test func sameSeedGivesBitIdenticalResults() {
            let first = seededTraining(), second = seededTraining()
            #expect(first.map(\.bitPattern) == second.map(\.bitPattern))
            manualSeed(8)
            let other = Tensor.randn(3).scalars
            manualSeed(7)
            #expect(Tensor.randn(3).scalars != other)
        }
    }

    @Suite struct ToyDataTests {
        @Test func addingProblemMarksOneValueInEachHalf() {
            let (x, y) = ToyData.addingProblem(sequenceLength: 50, batchSize: 32, generator: Generator(seed: 1))
            #expect(x.shape == [50, 32, 2] && y.shape == [32, 1])
            for b in 0..<32 {
                let markers = (0..<50).filter { x.scalar(at: $0, b, 1) == 1 }
                #expect(markers.count == 2 && markers[0] < 25 && markers[1] >= 25)
                let sum = markers.map { x.scalar(at: $0, b, 0) }.reduce(0, +)
                #expect(abs(sum - y.scalar(at: b, 0)) < 1e-15)
            }
        }

        @Test func spiralsAndXOR() {
            let (points, labels) = ToyData.twoSpirals(pointsPerClass: 50, generator: Generator(seed: 1))
            #expect(points.shape == [100, 2] && labels.shape == [100])
            #expect(labels.sum().item == 50)
            // Without noise, the second spiral is the first rotated by π.
            expectClose([points.scalar(at: 60, 0), points.scalar(at: 60, 1)], [-points.scalar(at: 10, 0), -points.scalar(at: 10, 1)])
            #expect(ToyData.xor().targets.scalars == [0, 1, 1, 0])
        }
    }
}
