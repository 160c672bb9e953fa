import Testing
@testable import TensorForge

extension EngineTests.LayerTests {
    @Test func newActivationsDifferentiate() {
        let x = randomTensor([3, 4], seed: 41, scale: 2)
        for module in [ELU(), ELU(alpha: 0.5), SELU(), SiLU(), GELU(approximate: .tanh), Softplus(beta: 2, threshold: 3),
                       Softmax(dim: 1), LogSoftmax(dim: 0)] as [any Module<Tensor>] {
            expectGradients([x]) { module($0[0]) }
        }
    }

    @Test func activationValues() {
        // torch.nn.functional.elu / selu / silu / gelu(approximate="tanh") at -1 and 2.
        let x = Tensor([-1, 2])
        expectClose(ELU()(x).scalars, [-0.6321205588285577, 2], tolerance: 1e-15)
        expectClose(SELU()(x).scalars, [-1.1113307378125625, 2.101401974710961], tolerance: 1e-15)
        expectClose(SiLU()(x).scalars, [-0.2689414213699951, 1.7615941559557646], tolerance: 1e-15)
        expectClose(GELU(approximate: .tanh)(x).scalars, [-0.15880800939172324, 1.954597694087775], tolerance: 1e-15)
        expectClose(Softmax(dim: 0)(x).scalars, [0.04742587317756679, 0.9525741268224334], tolerance: 1e-15)
        #expect(Softplus(beta: 2, threshold: 3)(Tensor([2])).scalars == [2])
    }

    @Test func channelDropoutDropsWholeChannels() {
        let dropout = Dropout2d(0.5, generator: Generator(seed: 42))
        let y = dropout(Tensor.ones(4, 8, 3, 3))
        for n in 0..<4 {
            for c in 0..<8 {
                let plane = Set(y[n, c].scalars)
                #expect(plane == [0] || plane == [2])
            }
        }
        let kept = y.scalars.filter { $0 != 0 }.count
        #expect(kept > 0 && kept < y.count)
        let dropout1 = Dropout1d(0.3, generator: Generator(seed: 43))
        let z = dropout1(Tensor.ones(5, 7))
        for c in 0..<5 { #expect(Set(z[c].scalars).count == 1) }
        dropout.eval()
        #expect(dropout(Tensor.ones(1, 2, 2, 2)).scalars == [Double](repeating: 1, count: 8))
        // A fixed mask: the gradient is the scaled mask.
        let g = Generator(seed: 44)
        let layer = Dropout2d(0.4, generator: g)
        expectGradients([randomTensor([2, 3, 2, 2], seed: 45)]) { g.seed(46); return layer($0[0]) }
    }

    @Test func alphaDropoutKeepsSELUStatistics() {
        let dropout = AlphaDropout(0.2, generator: Generator(seed: 47))
        let y = dropout(Tensor.randn([100_000], generator: Generator(seed: 48)))
        let values = y.scalars
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(values.count)
        #expect(abs(mean) < 0.02 && abs(variance - 1) < 0.02)
        // Every dropped element takes the same value, a·(−α') + b.
        let alpha = 1.7580993408473766, p = 0.2
        let a = 1 / ((alpha * alpha * p + 1) * (1 - p)).squareRoot()
        let dropped = -alpha * a + alpha * a * p
        #expect(values.filter { abs($0 - dropped) < 1e-12 }.count > 15_000)
        let g = Generator(seed: 49)
        let layer = AlphaDropout(0.3, generator: g)
        expectGradients([randomTensor([3, 4], seed: 50)]) { g.seed(51); return layer($0[0]) }
        layer.eval()
        #expect(layer(Tensor([1, 2])).scalars == [1, 2])
    }

    @Test func moduleListKeysByPositionAndRefusesToRun() throws {
        final class Tower: Module {
            let blocks = ModuleList((0..<3).map { _ in Linear(2, 2) })
            let head = Linear(2, 1)
            func callAsFunction(_ x: Tensor) -> Tensor {
                var h = x
                for case let block as any Module<Tensor> in blocks { h = block(h).relu() }
                return head(h)
            }
        }
        let tower = Tower()
        #expect(tower.namedParameters.map(\.name) == ["blocks.0.weight", "blocks.0.bias", "blocks.1.weight", "blocks.1.bias",
                                                       "blocks.2.weight", "blocks.2.bias", "head.weight", "head.bias"])
        expectModuleGradients(tower, input: randomTensor([2, 2], seed: 52)) { tower($0) }
        let list = ModuleList(Linear(1, 1))
        list.append(ReLU())
        #expect(list.count == 2 && list.description.contains("(1): ReLU()"))
        tower.eval()
        #expect(!(tower.blocks[2] as! Linear).isTraining)
        try tower.loadStateDict(tower.stateDict())
    }
}
