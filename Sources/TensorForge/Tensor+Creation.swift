import Foundation

// Factories, spelled as `torch.zeros`, `torch.arange`, `torch.randn` read. Every factory that
// takes a shape takes it either as separate sizes or as one array: `Tensor.zeros(8, 1)` and
// `Tensor.zeros([8, 1])` are the same tensor. The `…Like` forms take the shape of another tensor.

/// Checks a shape given by the user before anything is allocated for it.
func requireValidShape(_ shape: [Int], _ function: String) {
    require(shape.allSatisfy { $0 >= 0 }, "\(function): negative dimension in shape \(shape).")
}

// MARK: - From values

extension Tensor {
    /// A zero-dimensional tensor holding `value` (PyTorch's `torch.tensor(3.0)`).
    public static func tensor(_ value: Double, requiresGrad: Bool = false) -> Tensor {
        Tensor(value, requiresGrad: requiresGrad)
    }

    /// A one-dimensional tensor: `Tensor.tensor([1, 2, 3])`.
    public static func tensor(_ values: [Double], requiresGrad: Bool = false) -> Tensor {
        Tensor(values, requiresGrad: requiresGrad)
    }

    /// A two-dimensional tensor from rows: `Tensor.tensor([[1, 2], [3, 4]], requiresGrad: true)`.
    public static func tensor(_ rows: [[Double]], requiresGrad: Bool = false) -> Tensor {
        Tensor(rows, requiresGrad: requiresGrad)
    }

    /// A three-dimensional tensor from nested arrays.
    public static func tensor(_ planes: [[[Double]]], requiresGrad: Bool = false) -> Tensor {
        Tensor(planes, requiresGrad: requiresGrad)
    }

    /// A four-dimensional tensor from nested arrays (for example a batch of images).
    public static func tensor(_ blocks: [[[[Double]]]], requiresGrad: Bool = false) -> Tensor {
        let planes = blocks.first?.count ?? 0
        let rows = blocks.first?.first?.count ?? 0
        let columns = blocks.first?.first?.first?.count ?? 0
        require(blocks.allSatisfy { $0.count == planes && $0.allSatisfy { $0.count == rows && $0.allSatisfy { $0.count == columns } } },
                "Nested array literal is ragged; every block must be \(planes)×\(rows)×\(columns).")
        return Tensor(scalars: blocks.flatMap { $0.flatMap { $0.flatMap { $0 } } }, shape: [blocks.count, planes, rows, columns],
                      requiresGrad: requiresGrad)
    }
}

// MARK: - Filled with a constant

extension Tensor {
    /// A tensor of zeros: `Tensor.zeros(2, 3)`.
    public static func zeros(_ shape: Int..., requiresGrad: Bool = false) -> Tensor {
        full(shape, value: 0, requiresGrad: requiresGrad)
    }

    /// A tensor of zeros: `Tensor.zeros([2, 3])`.
    public static func zeros(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        full(shape, value: 0, requiresGrad: requiresGrad)
    }

    /// A tensor of zeros with the given shape.
    public static func zeros(shape: [Int], requiresGrad: Bool = false) -> Tensor {
        full(shape, value: 0, requiresGrad: requiresGrad)
    }

    /// A tensor of ones: `Tensor.ones(2, 3)`.
    public static func ones(_ shape: Int..., requiresGrad: Bool = false) -> Tensor {
        full(shape, value: 1, requiresGrad: requiresGrad)
    }

    /// A tensor of ones: `Tensor.ones([2, 3])`.
    public static func ones(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        full(shape, value: 1, requiresGrad: requiresGrad)
    }

    /// A tensor of ones with the given shape.
    public static func ones(shape: [Int], requiresGrad: Bool = false) -> Tensor {
        full(shape, value: 1, requiresGrad: requiresGrad)
    }

    /// A tensor filled with `value`: `Tensor.full(2, 3, value: 7)`.
    public static func full(_ shape: Int..., value: Double, requiresGrad: Bool = false) -> Tensor {
        full(shape, value: value, requiresGrad: requiresGrad)
    }

    /// A tensor filled with `value`: `Tensor.full([2, 3], value: 7)`.
    public static func full(_ shape: [Int], value: Double, requiresGrad: Bool = false) -> Tensor {
        requireValidShape(shape, "full")
        return Tensor(scalars: [Double](repeating: value, count: shapeElementCount(shape)), shape: shape,
                      requiresGrad: requiresGrad)
    }

    /// A tensor filled with `value`.
    public static func full(shape: [Int], value: Double, requiresGrad: Bool = false) -> Tensor {
        full(shape, value: value, requiresGrad: requiresGrad)
    }

    /// A tensor whose values are to be overwritten: `Tensor.empty(2, 3)`.
    ///
    /// Unlike PyTorch's uninitialised memory, the values are zeros, so that a program that reads
    /// them by mistake gives the same result on every run.
    public static func empty(_ shape: Int..., requiresGrad: Bool = false) -> Tensor {
        full(shape, value: 0, requiresGrad: requiresGrad)
    }

    /// A tensor whose values are to be overwritten (zeros): `Tensor.empty([2, 3])`.
    public static func empty(_ shape: [Int], requiresGrad: Bool = false) -> Tensor {
        full(shape, value: 0, requiresGrad: requiresGrad)
    }

    /// Zeros with the shape of `other`.
    public static func zeros(like other: Tensor) -> Tensor { zeros(other.shape) }

    /// Ones with the shape of `other`.
    public static func ones(like other: Tensor) -> Tensor { ones(other.shape) }

    /// Zeros with the shape of `other` (PyTorch's `torch.zeros_like`).
    public static func zerosLike(_ other: Tensor, requiresGrad: Bool = false) -> Tensor {
        zeros(other.shape, requiresGrad: requiresGrad)
    }

    /// Ones with the shape of `other` (PyTorch's `torch.ones_like`).
    public static func onesLike(_ other: Tensor, requiresGrad: Bool = false) -> Tensor {
        ones(other.shape, requiresGrad: requiresGrad)
    }

    /// `value` everywhere, with the shape of `other` (PyTorch's `torch.full_like`).
    public static func fullLike(_ other: Tensor, value: Double, requiresGrad: Bool = false) -> Tensor {
        full(other.shape, value: value, requiresGrad: requiresGrad)
    }

    /// A tensor to be overwritten (zeros), with the shape of `other` (PyTorch's `torch.empty_like`).
    public static func emptyLike(_ other: Tensor, requiresGrad: Bool = false) -> Tensor {
        zeros(other.shape, requiresGrad: requiresGrad)
    }

    /// The identity matrix n×n, or an n×m matrix with ones on the main diagonal: `Tensor.eye(3)`.
    public static func eye(_ n: Int, _ m: Int? = nil, requiresGrad: Bool = false) -> Tensor {
        let columns = m ?? n
        requireValidShape([n, columns], "eye")
        var values = [Double](repeating: 0, count: n * columns)
        for i in 0..<Swift.min(n, columns) { values[i * columns + i] = 1 }
        return Tensor(scalars: values, shape: [n, columns], requiresGrad: requiresGrad)
    }
}

// MARK: - Ranges

extension Tensor {
    /// `0, 1, …, end − 1`: `Tensor.arange(5)`.
    public static func arange(_ end: Int) -> Tensor { arange(0, Double(end)) }

    /// `0, 1, …` up to but excluding `end`.
    public static func arange(_ end: Double) -> Tensor { arange(0, end) }

    /// Values from `start` up to but excluding `end` in steps of `step`: `Tensor.arange(0, 1, step: 0.25)`.
    /// The count is ⌈(end − start) / step⌉, as in PyTorch.
    public static func arange(_ start: Double, _ end: Double, step: Double = 1) -> Tensor {
        require(step != 0 && step.isFinite, "arange: step must be finite and non-zero, got \(step).")
        require(start.isFinite && end.isFinite, "arange: start and end must be finite, got \(start) and \(end).")
        require(end == start || (end > start) == (step > 0),
                "arange: the step \(step) goes away from end \(end) when starting at \(start); use a step of the other sign.")
        let n = Swift.max(0, Int(((end - start) / step).rounded(.up)))
        return Tensor(scalars: (0..<n).map { start + Double($0) * step }, shape: [n])
    }

    /// Values from `start` up to but excluding `end` in steps of `step`, all positional as in
    /// `torch.arange(0, 10, 2)`: `Tensor.arange(0, 10, 2)`.
    public static func arange(_ start: Double, _ end: Double, _ step: Double) -> Tensor {
        arange(start, end, step: step)
    }

    /// `steps` evenly spaced values from `start` to `end`, both included: `Tensor.linspace(-1, 1, 5)`.
    ///
    /// The second half is computed from `end` backwards, as PyTorch does, so both ends are exact.
    public static func linspace(_ start: Double, _ end: Double, _ steps: Int, requiresGrad: Bool = false) -> Tensor {
        require(steps >= 0, "linspace: number of steps must be non-negative, got \(steps).")
        if steps == 1 { return Tensor(scalars: [start], shape: [1], requiresGrad: requiresGrad) }
        let step = (end - start) / Double(steps - 1)
        let half = steps / 2
        let values = (0..<steps).map { i in i < half ? start + step * Double(i) : end - step * Double(steps - 1 - i) }
        return Tensor(scalars: values, shape: [steps], requiresGrad: requiresGrad)
    }

    /// `steps` values from base^start to base^end, evenly spaced in the exponent:
    /// `Tensor.logspace(-3, 0, 4)` is `[0.001, 0.01, 0.1, 1]`.
    public static func logspace(_ start: Double, _ end: Double, _ steps: Int, base: Double = 10,
                                requiresGrad: Bool = false) -> Tensor {
        let exponents = linspace(start, end, steps).storage
        return Tensor(scalars: exponents.map { Foundation.pow(base, $0) }, shape: [steps], requiresGrad: requiresGrad)
    }
}

// MARK: - Random

extension Tensor {
    /// Standard normal samples: `Tensor.randn(3, 4)`.
    public static func randn(_ shape: Int..., generator: Generator? = nil, requiresGrad: Bool = false) -> Tensor {
        randn(shape, generator: generator, requiresGrad: requiresGrad)
    }

    /// Standard normal samples: `Tensor.randn([3, 4])`.
    public static func randn(_ shape: [Int], generator: Generator? = nil, requiresGrad: Bool = false) -> Tensor {
        normal(shape, mean: 0, std: 1, generator: generator, requiresGrad: requiresGrad)
    }

    /// Standard normal samples with the given shape.
    public static func randn(shape: [Int], generator: Generator? = nil, requiresGrad: Bool = false) -> Tensor {
        randn(shape, generator: generator, requiresGrad: requiresGrad)
    }

    /// Uniform samples in [0, 1): `Tensor.rand(3, 4)`.
    public static func rand(_ shape: Int..., generator: Generator? = nil, requiresGrad: Bool = false) -> Tensor {
        rand(shape, generator: generator, requiresGrad: requiresGrad)
    }

    /// Uniform samples in [0, 1): `Tensor.rand([3, 4])`.
    public static func rand(_ shape: [Int], generator: Generator? = nil, requiresGrad: Bool = false) -> Tensor {
        uniform(shape, low: 0, high: 1, generator: generator, requiresGrad: requiresGrad)
    }

    /// Uniform samples in [0, 1) with the given shape.
    public static func rand(shape: [Int], generator: Generator? = nil, requiresGrad: Bool = false) -> Tensor {
        rand(shape, generator: generator, requiresGrad: requiresGrad)
    }

    /// Normal samples with mean `mean` and standard deviation `std`: `Tensor.normal(3, 4, mean: 0, std: 0.1)`.
    public static func normal(_ shape: Int..., mean: Double = 0, std: Double = 1, generator: Generator? = nil,
                              requiresGrad: Bool = false) -> Tensor {
        normal(shape, mean: mean, std: std, generator: generator, requiresGrad: requiresGrad)
    }

    /// Normal samples with mean `mean` and standard deviation `std`: `Tensor.normal([3, 4], std: 0.1)`.
    public static func normal(_ shape: [Int], mean: Double = 0, std: Double = 1, generator: Generator? = nil,
                              requiresGrad: Bool = false) -> Tensor {
        requireValidShape(shape, "normal")
        require(std >= 0, "normal: std must be non-negative, got \(std).")
        let g = generator ?? defaultGenerator
        let values = (0..<shapeElementCount(shape)).map { _ in mean + std * g.nextNormal() }
        return Tensor(scalars: values, shape: shape, requiresGrad: requiresGrad)
    }

    /// Uniform samples in [low, high): `Tensor.uniform(3, 4, low: -1, high: 1)`.
    public static func uniform(_ shape: Int..., low: Double = 0, high: Double = 1, generator: Generator? = nil,
                               requiresGrad: Bool = false) -> Tensor {
        uniform(shape, low: low, high: high, generator: generator, requiresGrad: requiresGrad)
    }

    /// Uniform samples in [low, high): `Tensor.uniform([3, 4], low: -1, high: 1)`.
    public static func uniform(_ shape: [Int], low: Double = 0, high: Double = 1, generator: Generator? = nil,
                               requiresGrad: Bool = false) -> Tensor {
        requireValidShape(shape, "uniform")
        require(low <= high, "uniform: low must not exceed high, got low \(low) and high \(high).")
        let g = generator ?? defaultGenerator
        let values = (0..<shapeElementCount(shape)).map { _ in low + (high - low) * g.nextUniform() }
        return Tensor(scalars: values, shape: shape, requiresGrad: requiresGrad)
    }

    /// Uniform samples in [low, high) with the given shape.
    public static func uniform(shape: [Int], low: Double, high: Double, generator: Generator? = nil) -> Tensor {
        uniform(shape, low: low, high: high, generator: generator)
    }

    /// Uniform integers in `low..<high` (stored as Doubles), e.g. class labels: `Tensor.randint(0, 10, [8])`.
    public static func randint(_ low: Int, _ high: Int, _ shape: [Int], generator: Generator? = nil) -> Tensor {
        requireValidShape(shape, "randint")
        require(high > low, "randint: the range \(low)..<\(high) is empty; high must exceed low.")
        let g = generator ?? defaultGenerator
        return Tensor(scalars: (0..<shapeElementCount(shape)).map { _ in Double(g.nextInt(low, high)) }, shape: shape)
    }

    /// Uniform integers in `0..<high`: `Tensor.randint(10, [8])`, as `torch.randint(10, (8,))`.
    public static func randint(_ high: Int, _ shape: [Int], generator: Generator? = nil) -> Tensor {
        randint(0, high, shape, generator: generator)
    }

    /// Uniform integers in `low..<high`: `Tensor.randint(0, 10, shape: [8])`.
    public static func randint(_ low: Int, _ high: Int, shape: [Int], generator: Generator? = nil) -> Tensor {
        randint(low, high, shape, generator: generator)
    }

    /// Uniform integers in `low..<high`: `Tensor.randint(0, 10, shape: 4, 2)`.
    public static func randint(_ low: Int, _ high: Int, shape: Int..., generator: Generator? = nil) -> Tensor {
        randint(low, high, shape, generator: generator)
    }

    /// Uniform integers in `0..<high`: `Tensor.randint(10, shape: 4, 2)`.
    public static func randint(_ high: Int, shape: Int..., generator: Generator? = nil) -> Tensor {
        randint(0, high, shape, generator: generator)
    }

    /// A random permutation of 0..<n (as Doubles), for shuffling data.
    public static func randperm(_ n: Int, generator: Generator? = nil) -> Tensor {
        require(n >= 0, "randperm: n must be non-negative, got \(n).")
        let g = generator ?? defaultGenerator
        var values = (0..<n).map(Double.init)
        if n > 1 {
            for i in stride(from: n - 1, to: 0, by: -1) { values.swapAt(i, g.nextInt(0, i + 1)) }
        }
        return Tensor(scalars: values, shape: [n])
    }

    /// Standard normal samples with the shape of `other` (PyTorch's `torch.randn_like`).
    public static func randnLike(_ other: Tensor, generator: Generator? = nil, requiresGrad: Bool = false) -> Tensor {
        randn(other.shape, generator: generator, requiresGrad: requiresGrad)
    }

    /// Uniform samples in [0, 1) with the shape of `other` (PyTorch's `torch.rand_like`).
    public static func randLike(_ other: Tensor, generator: Generator? = nil, requiresGrad: Bool = false) -> Tensor {
        rand(other.shape, generator: generator, requiresGrad: requiresGrad)
    }

    /// Uniform integers in `low..<high` with the shape of `other` (PyTorch's `torch.randint_like`).
    public static func randintLike(_ other: Tensor, _ low: Int, _ high: Int, generator: Generator? = nil) -> Tensor {
        randint(low, high, other.shape, generator: generator)
    }
}
