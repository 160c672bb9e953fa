import Testing
@testable import TensorForge

extension EngineTests { @Suite struct CreationTests {
    @Test func shapesAsSizesOrArrays() {
        #expect(Tensor.zeros([8, 1]).shape == [8, 1])
        #expect(Tensor.zeros(8, 1).shape == [8, 1])
        #expect(Tensor.ones([2, 3]).scalars == [1, 1, 1, 1, 1, 1])
        #expect(Tensor.ones(2).scalars == [1, 1])
        #expect(Tensor.zeros().shape == [])
        #expect(Tensor.full([2, 2], value: 7).scalars == [7, 7, 7, 7])
        #expect(Tensor.full(3, value: -1).scalars == [-1, -1, -1])
        #expect(Tensor.empty(2, 3).shape == [2, 3])
        #expect(Tensor.empty([0, 3]).count == 0)
        #expect(Tensor.zeros(2, requiresGrad: true).requiresGrad)
        #expect(Tensor.randn([8, 16]).shape == [8, 16])
        #expect(Tensor.rand(4).shape == [4])
        #expect(Tensor.normal([3], std: 2).shape == [3])
        #expect(Tensor.uniform(2, 2, low: -1, high: 1).shape == [2, 2])
    }

    @Test func bothSpellingsDrawTheSameNumbers() {
        #expect(Tensor.randn(8, 16, generator: Generator(seed: 3)).scalars
                == Tensor.randn([8, 16], generator: Generator(seed: 3)).scalars)
        #expect(Tensor.randn(shape: [4], generator: Generator(seed: 3)).scalars
                == Tensor.normal(4, generator: Generator(seed: 3)).scalars)
        #expect(Tensor.rand(5, generator: Generator(seed: 4)).scalars
                == Tensor.uniform([5], generator: Generator(seed: 4)).scalars)
    }

    @Test func fromValues() {
        let m = Tensor.tensor([[1, 2], [3, 4]], requiresGrad: true)
        #expect(m.shape == [2, 2] && m.requiresGrad)
        #expect(Tensor.tensor(3).shape == [])
        #expect(Tensor.tensor([1, 2, 3]).scalars == [1, 2, 3])
        #expect(Tensor.tensor([[[1], [2]]]).shape == [1, 2, 1])
        let blocks = Tensor.tensor([[[[1, 2]], [[3, 4]]], [[[5, 6]], [[7, 8]]]])
        #expect(blocks.shape == [2, 2, 1, 2])
        #expect(blocks.scalars == [1, 2, 3, 4, 5, 6, 7, 8])
    }

    @Test func ranges() {
        #expect(Tensor.linspace(-1, 1, 5).scalars == [-1, -0.5, 0, 0.5, 1])
        #expect(Tensor.linspace(0, 1, 1).scalars == [0])
        #expect(Tensor.linspace(0, 1, 0).shape == [0])
        let even = Tensor.linspace(0, 1, 4).scalars
        #expect(even.first == 0 && even.last == 1)
        expectClose(even, [0, 1.0 / 3, 2.0 / 3, 1], tolerance: 1e-15)
        expectClose(Tensor.logspace(-3, 0, 4).scalars, [0.001, 0.01, 0.1, 1], tolerance: 1e-15)
        #expect(Tensor.logspace(0, 3, 4, base: 2).scalars == [1, 2, 4, 8])
        #expect(Tensor.arange(5).scalars == [0, 1, 2, 3, 4])
        #expect(Tensor.arange(2.5).scalars == [0, 1, 2])
        #expect(Tensor.arange(0, 10, 2).scalars == [0, 2, 4, 6, 8])
        #expect(Tensor.arange(1, 2.5, step: 0.5).scalars == [1, 1.5, 2])
        #expect(Tensor.arange(5, 0, -2).scalars == [5, 3, 1])
        #expect(Tensor.arange(0).shape == [0])
        #expect(Tensor.eye(2).scalars == [1, 0, 0, 1])
        #expect(Tensor.eye(2, 3).scalars == [1, 0, 0, 0, 1, 0])
        #expect(Tensor.eye(3, 1).scalars == [1, 0, 0])
    }

    @Test func likeForms() {
        let x = Tensor.randn(2, 3, requiresGrad: true)
        let made: [Tensor] = [.zerosLike(x), .onesLike(x), .fullLike(x, value: 2), .emptyLike(x), .randnLike(x), .randLike(x),
                              .randintLike(x, 0, 3), .zeros(like: x), .ones(like: x)]
        for t in made {
            #expect(t.shape == [2, 3])
            #expect(!t.requiresGrad)  // a new leaf; the source requiring grad is not inherited, as in PyTorch
        }
        #expect(Tensor.zerosLike(x).scalars == [0, 0, 0, 0, 0, 0])
        #expect(Tensor.fullLike(x, value: 2).scalars == [2, 2, 2, 2, 2, 2])
        #expect(Tensor.onesLike(x, requiresGrad: true).requiresGrad)
    }

    @Test func randomDistributions() {
        let g = Generator(seed: 11)
        let labels = Tensor.randint(0, 10, [2000], generator: g).scalars
        #expect(labels.allSatisfy { $0 == $0.rounded() && $0 >= 0 && $0 < 10 })
        #expect(Set(labels).count == 10)
        #expect(Tensor.randint(3, shape: 4, 2, generator: g).shape == [4, 2])
        #expect(Tensor.randint(-2, 2, shape: 5).scalars.allSatisfy { $0 >= -2 && $0 < 2 })
        #expect(Tensor.randint(5, [3], generator: g).scalars.allSatisfy { $0 >= 0 && $0 < 5 })
        #expect(Tensor.randperm(10, generator: g).scalars.sorted() == (0..<10).map(Double.init))

        let samples = Tensor.normal([20000], mean: 3, std: 2, generator: g)
        #expect(abs(samples.mean().item - 3) < 0.05)
        #expect(abs(samples.std().item - 2) < 0.05)
        let uniform = Tensor.uniform([20000], low: -1, high: 3, generator: g)
        #expect(uniform.scalars.allSatisfy { $0 >= -1 && $0 < 3 })
        #expect(abs(uniform.mean().item - 1) < 0.05)
        let unit = Tensor.rand([20000], generator: g)
        #expect(unit.scalars.allSatisfy { $0 >= 0 && $0 < 1 })
    }
} }
