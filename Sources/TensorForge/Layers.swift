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

/// Elementwise exact GELU, x·Φ(x).
public final class GELU: Module, StatelessLayer {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ input: Tensor) -> Tensor { input.gelu() }
}

/// Elementwise log(1 + eˣ).
public final class Softplus: Module, StatelessLayer {
    public var isTraining = true
    public init() {}
    public func callAsFunction(_ input: Tensor) -> Tensor { input.softplus() }
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
        let mask = Tensor(scalars: (0..<input.count).map { _ in g.nextUniform() < p ? 0 : scale }, shape: input.shape)
        return input * mask
    }
}
