import Foundation

/// A built-in module without sub-modules: it has no children to find by reflection.
protocol LeafModule: Module {}

extension LeafModule {
    public var children: [(name: String, module: any Module)] { [] }
}

/// A layer without parameters — an activation, `Identity`, `Dropout`. Each still stores its own
/// `isTraining` (an extension cannot), so that `eval()` shows on the layer and on a model whose
/// mode follows it.
protocol StatelessLayer: LeafModule {}

extension StatelessLayer {
    public var ownParameters: [(name: String, tensor: Tensor)] { [] }
}

/// y = x·Wᵀ + b. Weight `[out, in]` and bias `[out]` start as U(−1/√in, 1/√in), as in PyTorch.
public final class Linear: Module, LeafModule {
    /// `[outFeatures, inFeatures]`.
    public let weight: Tensor
    /// `[outFeatures]`, or nil when built with `bias: false`.
    public let bias: Tensor?
    /// Training (true) or evaluation mode; see `train()` and `eval()`.
    public var isTraining = true

    /// A fully connected layer: `Linear(16, 16)`, `Linear(16, 1, bias: false)`.
    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true, generator: Generator? = nil) {
        let bound = inFeatures > 0 ? 1 / Double(inFeatures).squareRoot() : 0
        weight = Tensor.uniform(shape: [outFeatures, inFeatures], low: -bound, high: bound, generator: generator)
        self.bias = bias ? Tensor.uniform(shape: [outFeatures], low: -bound, high: bound, generator: generator) : nil
        weight.requiresGrad = true
        self.bias?.requiresGrad = true
    }

    /// Same as `init(_:_:bias:)`, with PyTorch's argument names.
    public convenience init(inFeatures: Int, outFeatures: Int, bias: Bool = true, generator: Generator? = nil) {
        self.init(inFeatures, outFeatures, bias: bias, generator: generator)
    }

    public var ownParameters: [(name: String, tensor: Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public func callAsFunction(_ input: Tensor) -> Tensor { linear(input, weight: weight, bias: bias) }
}

/// Runs modules one after another; keys are the positions: `0.weight`, `2.bias`.
public final class Sequential: Module {
    /// The modules, in order.
    public let layers: [any Module<Tensor>]
    /// Training (true) or evaluation mode; see `train()` and `eval()`.
    public var isTraining = true

    /// `Sequential(Linear(2, 8), Tanh(), Linear(8, 1))`.
    public init(_ layers: any Module<Tensor>...) { self.layers = layers }

    /// A sequence built from an array, e.g. in a loop over depth.
    public init(_ layers: [any Module<Tensor>]) { self.layers = layers }

    /// A sequence built from an array of modules of any kind, e.g. `var layers: [any Module] = []`
    /// filled in a loop. Each must map a tensor to a tensor; one that returns something else (a
    /// recurrent layer's `(output, state)`) stops the program with a message naming it.
    public init(_ layers: [any Module]) {
        self.layers = layers.enumerated().map { index, layer in tensorModule(layer, "Sequential", position: index) }
    }

    public var ownParameters: [(name: String, tensor: Tensor)] { [] }
    public var children: [(name: String, module: any Module)] {
        layers.enumerated().map { ("\($0.offset)", $0.element as any Module) }
    }

    /// The module at a position.
    public subscript(index: Int) -> any Module<Tensor> { layers[index] }

    /// Number of modules.
    public var count: Int { layers.count }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        layers.reduce(input) { x, layer in layer(x) }
    }
}

/// x + block(x): a skip connection around `block`; keys are `block.…`.
public final class Residual: Module {
    /// The wrapped computation; its output must have the input's shape.
    public let block: any Module<Tensor>
    /// Training (true) or evaluation mode; see `train()` and `eval()`.
    public var isTraining = true

    /// Wraps `block` with an identity shortcut.
    public init(_ block: any Module<Tensor>) { self.block = block }

    /// Wraps `block`, a module of any kind that must map a tensor to a tensor.
    public init(_ block: any Module) { self.block = tensorModule(block, "Residual", position: nil) }

    public var ownParameters: [(name: String, tensor: Tensor)] { [] }
    public var children: [(name: String, module: any Module)] { [("block", block)] }

    public func callAsFunction(_ input: Tensor) -> Tensor { input + block(input) }
}

/// `module` as one that maps a tensor to a tensor, or a stop with a message naming it.
private func tensorModule(_ module: any Module, _ container: String, position: Int?) -> any Module<Tensor> {
    guard let tensorModule = module as? any Module<Tensor> else {
        let place = position.map { "layer \($0)" } ?? "the block"
        requirementFailed("\(container): \(place), \(type(of: module)), returns \(outputTypeName(module)), not a Tensor; "
            + "wrap it in a module whose callAsFunction returns the tensor to pass on.")
    }
    return tensorModule
}

private func outputTypeName<M: Module>(_ module: M) -> String { String(describing: M.Output.self) }

/// Elementwise σ(x).
public final class Sigmoid: Module, StatelessLayer {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ input: Tensor) -> Tensor { input.sigmoid() }
}

/// Elementwise tanh(x).
public final class Tanh: Module, StatelessLayer {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ input: Tensor) -> Tensor { input.tanh() }
}

/// Elementwise max(0, x).
public final class ReLU: Module, StatelessLayer {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ input: Tensor) -> Tensor { input.relu() }
}

/// Elementwise x or `negativeSlope`·x.
public final class LeakyReLU: Module, StatelessLayer {
    /// Slope for negative inputs (PyTorch's default 0.01).
    public let negativeSlope: Double
    public var isTraining = true
    public init(negativeSlope: Double = 0.01) { self.negativeSlope = negativeSlope }
    public func callAsFunction(_ input: Tensor) -> Tensor { input.leakyRelu(negativeSlope: negativeSlope) }
}

/// Elementwise GELU: exact, x·Φ(x) (the default), or with PyTorch's tanh approximation.
public final class GELU: Module, StatelessLayer {
    /// `.none` for the exact form, `.tanh` for the approximation.
    public let approximate: GELUApproximation
    public var isTraining = true
    /// `GELU()`, `GELU(approximate: .tanh)`.
    public init(approximate: GELUApproximation = .none) { self.approximate = approximate }
    public func callAsFunction(_ input: Tensor) -> Tensor { input.gelu(approximate: approximate) }
}

/// Elementwise log(1 + e^(βx))/β, linear above `threshold` (PyTorch's `nn.Softplus`).
public final class Softplus: Module, StatelessLayer {
    /// β, the sharpness (1 by default).
    public let beta: Double
    /// Above βx > threshold the output is x.
    public let threshold: Double
    public var isTraining = true
    /// `Softplus()`, `Softplus(beta: 2)`.
    public init(beta: Double = 1, threshold: Double = 20) { (self.beta, self.threshold) = (beta, threshold) }
    public func callAsFunction(_ input: Tensor) -> Tensor { input.softplus(beta: beta, threshold: threshold) }
}

/// Elementwise ELU: x for x > 0, α(eˣ − 1) otherwise (PyTorch's `nn.ELU`).
public final class ELU: Module, StatelessLayer {
    /// α, the value approached for very negative inputs is −α.
    public let alpha: Double
    public var isTraining = true
    /// `ELU()`, `ELU(alpha: 0.5)`.
    public init(alpha: Double = 1) { self.alpha = alpha }
    public func callAsFunction(_ input: Tensor) -> Tensor { input.elu(alpha: alpha) }
}

/// Elementwise SELU, λ·ELU(x, α) with PyTorch's constants (`nn.SELU`); pair it with
/// `AlphaDropout` and `Init.kaimingNormal(…, nonlinearity: .linear)`-style initialisation.
public final class SELU: Module, StatelessLayer {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ input: Tensor) -> Tensor { input.selu() }
}

/// Elementwise x·σ(x), also called swish (PyTorch's `nn.SiLU`).
public final class SiLU: Module, StatelessLayer {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ input: Tensor) -> Tensor { input.silu() }
}

/// Softmax along `dim` (PyTorch's `nn.Softmax(dim=…)`): every slice along `dim` sums to 1.
///
/// ```swift
/// Softmax(dim: 1)(logits)   // [N, C] probabilities
/// ```
public final class Softmax: Module, StatelessLayer {
    /// The dimension normalised over (negative counts from the end).
    public let dim: Int
    public var isTraining = true
    /// `Softmax(dim: -1)`.
    public init(dim: Int) { self.dim = dim }
    public func callAsFunction(_ input: Tensor) -> Tensor { input.softmax(dim: dim) }
}

/// log(softmax(x)) along `dim`, computed directly (PyTorch's `nn.LogSoftmax(dim=…)`); the input
/// `nllLoss` expects.
public final class LogSoftmax: Module, StatelessLayer {
    /// The dimension normalised over (negative counts from the end).
    public let dim: Int
    public var isTraining = true
    /// `LogSoftmax(dim: 1)`.
    public init(dim: Int) { self.dim = dim }
    public func callAsFunction(_ input: Tensor) -> Tensor { input.logSoftmax(dim: dim) }
}

/// Returns its input unchanged (a placeholder, e.g. "no normalisation" in an experiment grid).
public final class Identity: Module, StatelessLayer {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ input: Tensor) -> Tensor { input }
}

/// In training, zeroes each element with probability `p` and scales the rest by 1/(1−p);
/// in evaluation, passes values through.
public final class Dropout: Module, StatelessLayer {
    /// Probability of zeroing an element.
    public let p: Double
    /// Drops elements only in training; see `train()` and `eval()`.
    public var isTraining = true
    private let generator: Generator?

    /// `Dropout(0.5)`.
    public init(_ p: Double = 0.5, generator: Generator? = nil) {
        require(p >= 0 && p <= 1, "Dropout probability must be in [0, 1], got \(p).")
        self.p = p
        self.generator = generator
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        guard isTraining && p > 0 else { return input }
        let g = generator ?? defaultGenerator
        let scale = p < 1 ? 1 / (1 - p) : 0
        let mask = (0..<input.count).map { _ in g.nextUniform() < p ? 0 : scale }
        return Tensor(shape: input.shape, storage: zipValues(input.storage, mask, *), parents: [input]) { grad in
            [zipValues(grad, mask, *)]
        }
    }
}

/// In training, zeroes whole channels — every value of `input[n, c]` together — with probability
/// `p` and scales the rest by 1/(1−p). `channelDims` is how many leading dimensions name a channel.
private func channelDropout(_ input: Tensor, p: Double, generator: Generator?, channelDims: Int) -> Tensor {
    let g = generator ?? defaultGenerator
    let scale = p < 1 ? 1 / (1 - p) : 0
    let maskShape = Array(input.shape.prefix(channelDims)) + [Int](repeating: 1, count: input.rank - channelDims)
    let mask = Tensor(scalars: (0..<shapeElementCount(maskShape)).map { _ in g.nextUniform() < p ? 0 : scale }, shape: maskShape)
    return input * mask
}

/// Zeroes whole channels of `[N, C, L]` (or `[C, L]`) input in training, PyTorch's `nn.Dropout1d`:
/// each `input[n, c, :]` is dropped with probability `p`, the rest scaled by 1/(1−p).
public final class Dropout1d: Module, StatelessLayer {
    /// Probability of zeroing a channel.
    public let p: Double
    /// Drops channels only in training; see `train()` and `eval()`.
    public var isTraining = true
    private let generator: Generator?

    /// `Dropout1d(0.2)`.
    public init(_ p: Double = 0.5, generator: Generator? = nil) {
        require(p >= 0 && p <= 1, "Dropout1d probability must be in [0, 1], got \(p).")
        (self.p, self.generator) = (p, generator)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        require(input.rank == 2 || input.rank == 3, "Dropout1d: input must be [N, C, L] or [C, L], got \(input.shape).")
        guard isTraining && p > 0 else { return input }
        return channelDropout(input, p: p, generator: generator, channelDims: input.rank - 1)
    }
}

/// Zeroes whole feature maps of `[N, C, H, W]` (or `[C, H, W]`) input in training, PyTorch's
/// `nn.Dropout2d`: each `input[n, c, :, :]` is dropped with probability `p`, the rest scaled by 1/(1−p).
public final class Dropout2d: Module, StatelessLayer {
    /// Probability of zeroing a channel.
    public let p: Double
    /// Drops channels only in training; see `train()` and `eval()`.
    public var isTraining = true
    private let generator: Generator?

    /// `Dropout2d(0.2)`.
    public init(_ p: Double = 0.5, generator: Generator? = nil) {
        require(p >= 0 && p <= 1, "Dropout2d probability must be in [0, 1], got \(p).")
        (self.p, self.generator) = (p, generator)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        require(input.rank == 3 || input.rank == 4, "Dropout2d: input must be [N, C, H, W] or [C, H, W], got \(input.shape).")
        guard isTraining && p > 0 else { return input }
        return channelDropout(input, p: p, generator: generator, channelDims: input.rank - 2)
    }
}

/// Dropout for SELU networks, PyTorch's `nn.AlphaDropout`: in training, a dropped element takes
/// SELU's negative saturation value and an affine map a·x + b restores zero mean and unit
/// variance; in evaluation, values pass through.
public final class AlphaDropout: Module, StatelessLayer {
    /// Probability of dropping an element.
    public let p: Double
    /// Drops elements only in training; see `train()` and `eval()`.
    public var isTraining = true
    private let generator: Generator?

    /// `AlphaDropout(0.1)`.
    public init(_ p: Double = 0.5, generator: Generator? = nil) {
        require(p >= 0 && p <= 1, "AlphaDropout probability must be in [0, 1], got \(p).")
        (self.p, self.generator) = (p, generator)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        guard isTraining && p > 0 else { return input }
        if p == 1 { return input * 0 }
        // As ATen's alpha dropout: α' = λα of SELU, a = 1/√((α'²p + 1)(1 − p)).
        let alpha = 1.7580993408473766
        let a = 1 / ((alpha * alpha * p + 1) * (1 - p)).squareRoot()
        let g = generator ?? defaultGenerator
        let keep = (0..<input.count).map { _ in g.nextUniform() < p ? 0.0 : 1.0 }
        let scale = Tensor(scalars: keep.map { $0 * a }, shape: input.shape)
        let shift = Tensor(scalars: keep.map { ($0 - 1) * alpha * a + alpha * a * p }, shape: input.shape)
        return input * scale + shift
    }
}

/// Holds sub-modules in a list, PyTorch's `nn.ModuleList`: their parameters are found and keyed
/// by position (`0.weight`, `1.bias`, …), but the list does not run them — a model's
/// `callAsFunction` does, in whatever order it likes.
///
/// ```swift
/// final class Tower: Module {
///     let blocks = ModuleList((0..<3).map { _ in Linear(8, 8) })
///     func callAsFunction(_ x: Tensor) -> Tensor {
///         var h = x
///         for case let block as any Module<Tensor> in blocks { h = block(h).relu() }
///         return h
///     }
/// }
/// ```
public final class ModuleList: Module, RandomAccessCollection {
    /// The modules, in order.
    public private(set) var modules: [any Module]
    /// Training (true) or evaluation mode; see `train()` and `eval()`.
    public var isTraining = true

    /// A list of modules of any kind.
    public init(_ modules: [any Module] = []) { self.modules = modules }

    /// `ModuleList(Linear(2, 4), Linear(4, 1))`.
    public convenience init(_ modules: any Module...) { self.init(modules) }

    /// Adds a module at the end (its key is its position).
    public func append(_ module: any Module) { modules.append(module) }

    /// Adds modules at the end.
    public func extend(_ more: [any Module]) { modules += more }

    public var startIndex: Int { 0 }
    public var endIndex: Int { modules.count }
    /// The module at a position.
    public subscript(index: Int) -> any Module { modules[index] }

    public var ownParameters: [(name: String, tensor: Tensor)] { [] }
    public var children: [(name: String, module: any Module)] {
        modules.enumerated().map { ("\($0.offset)", $0.element) }
    }

    /// A module list does not run its modules (as in PyTorch); calling it stops with a message,
    /// and `Sequential` refuses it.
    public func callAsFunction(_ input: Tensor) -> Never {
        requirementFailed("ModuleList holds modules but does not run them; call its modules in your model's callAsFunction, e.g. list[0](x).")
    }
}
