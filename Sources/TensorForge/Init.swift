import Foundation

/// Weight initialisers, as in `torch.nn.init`. Each fills a tensor in place, outside the tape, from
/// the default generator unless one is given.
public enum Init {
    /// The non-linearity after a layer, for `calculateGain` and the Kaiming initialisers.
    public enum Nonlinearity: Sendable {
        case linear, sigmoid, tanh, relu, selu
        case leakyRelu(negativeSlope: Double)
    }

    /// Whether Kaiming initialisation preserves variance in the forward or backward pass.
    public enum FanMode: Sendable { case fanIn, fanOut }

    /// PyTorch's recommended gain: 1 for linear/sigmoid, 5/3 for tanh, √2 for ReLU,
    /// √(2/(1+slope²)) for leaky ReLU, 3/4 for SELU.
    public static func calculateGain(_ nonlinearity: Nonlinearity) -> Double {
        switch nonlinearity {
        case .linear, .sigmoid: return 1
        case .tanh: return 5.0 / 3
        case .relu: return 2.0.squareRoot()
        case .selu: return 3.0 / 4
        case .leakyRelu(let slope): return (2 / (1 + slope * slope)).squareRoot()
        }
    }

    /// (fan_in, fan_out) of a weight `[out, in, …]`, counting receptive-field size as PyTorch does.
    public static func fans(_ tensor: Tensor) -> (fanIn: Int, fanOut: Int) {
        require(tensor.rank >= 2, "Fan in and fan out need a tensor with at least 2 dimensions, got \(tensor.shape).")
        let receptive = tensor.shape.dropFirst(2).reduce(1, *)
        return (tensor.shape[1] * receptive, tensor.shape[0] * receptive)
    }

    /// U(low, high).
    public static func uniform(_ tensor: Tensor, low: Double = 0, high: Double = 1, generator: Generator? = nil) {
        tensor.storage = Tensor.uniform(shape: tensor.shape, low: low, high: high, generator: generator).storage
    }

    /// N(mean, std²).
    public static func normal(_ tensor: Tensor, mean: Double = 0, std: Double = 1, generator: Generator? = nil) {
        let g = generator ?? defaultGenerator
        tensor.storage = (0..<tensor.count).map { _ in mean + std * g.nextNormal() }
    }

    /// Every element set to `value`.
    public static func constant(_ tensor: Tensor, _ value: Double) { tensor.fill(value) }

    /// Zeros.
    public static func zeros(_ tensor: Tensor) { tensor.fill(0) }

    /// Ones.
    public static func ones(_ tensor: Tensor) { tensor.fill(1) }

    /// Glorot uniform: U(−a, a) with a = gain·√(6/(fan_in + fan_out)).
    public static func xavierUniform(_ tensor: Tensor, gain: Double = 1, generator: Generator? = nil) {
        let (fanIn, fanOut) = fans(tensor)
        let bound = gain * (6 / Double(fanIn + fanOut)).squareRoot()
        uniform(tensor, low: -bound, high: bound, generator: generator)
    }

    /// Glorot normal: N(0, σ²) with σ = gain·√(2/(fan_in + fan_out)).
    public static func xavierNormal(_ tensor: Tensor, gain: Double = 1, generator: Generator? = nil) {
        let (fanIn, fanOut) = fans(tensor)
        normal(tensor, std: gain * (2 / Double(fanIn + fanOut)).squareRoot(), generator: generator)
    }

    /// He uniform: U(−b, b) with b = gain·√(3/fan). PyTorch's defaults (`a = 0`, leaky ReLU)
    /// give gain √2.
    public static func kaimingUniform(_ tensor: Tensor, mode: FanMode = .fanIn,
                                      nonlinearity: Nonlinearity = .leakyRelu(negativeSlope: 0), generator: Generator? = nil) {
        let (fanIn, fanOut) = fans(tensor)
        let fan = Double(mode == .fanIn ? fanIn : fanOut)
        let bound = calculateGain(nonlinearity) * (3 / fan).squareRoot()
        uniform(tensor, low: -bound, high: bound, generator: generator)
    }

    /// He normal: N(0, σ²) with σ = gain/√fan.
    public static func kaimingNormal(_ tensor: Tensor, mode: FanMode = .fanIn,
                                     nonlinearity: Nonlinearity = .leakyRelu(negativeSlope: 0), generator: Generator? = nil) {
        let (fanIn, fanOut) = fans(tensor)
        let fan = Double(mode == .fanIn ? fanIn : fanOut)
        normal(tensor, std: calculateGain(nonlinearity) / fan.squareRoot(), generator: generator)
    }

    /// A (semi-)orthogonal matrix scaled by `gain`, from the QR decomposition of a Gaussian matrix
    /// with the signs fixed by R's diagonal, as PyTorch does. Extra dimensions are flattened.
    public static func orthogonal(_ tensor: Tensor, gain: Double = 1, generator: Generator? = nil) {
        require(tensor.rank >= 2, "orthogonal needs a tensor with at least 2 dimensions, got \(tensor.shape).")
        let rows = tensor.shape[0], columns = tensor.count / rows
        let g = generator ?? defaultGenerator
        // Orthonormalise the columns of a tall matrix (modified Gram–Schmidt), transposing back
        // when the target is wide.
        let tall = rows >= columns
        let m = tall ? rows : columns, n = tall ? columns : rows
        var a = (0..<(m * n)).map { _ in g.nextNormal() }  // m×n row-major
        for j in 0..<n {
            for k in 0..<j {
                var dot = 0.0
                for i in 0..<m { dot += a[i * n + k] * a[i * n + j] }
                for i in 0..<m { a[i * n + j] -= dot * a[i * n + k] }
            }
            var norm = 0.0
            for i in 0..<m { norm += a[i * n + j] * a[i * n + j] }
            norm = norm.squareRoot()
            for i in 0..<m { a[i * n + j] /= norm }
        }
        var values = [Double](repeating: 0, count: rows * columns)
        for i in 0..<m { for j in 0..<n {
            if tall { values[i * columns + j] = gain * a[i * n + j] } else { values[j * columns + i] = gain * a[i * n + j] }
        } }
        tensor.storage = values
    }
}
