/// A neural-network component with parameters, buffers and sub-modules — PyTorch's `nn.Module`.
///
/// Conforming classes implement `callAsFunction`. Parameters and sub-modules stored in properties
/// are found by reflection, keyed by property name, so a custom model needs no registration:
///
/// ```swift
/// final class Net: Module {
///     let hidden = Linear(2, 8)
///     let output = Linear(8, 1)
///     func callAsFunction(_ x: Tensor) -> Tensor { output(hidden(x).tanh()) }
/// }
/// Net().stateDict().keys   // hidden.weight, hidden.bias, output.weight, output.bias
/// ```
/// Built-in layers list their parameters explicitly with PyTorch's state-dict keys.
public protocol Module<Output>: AnyObject {
    /// What the module returns: a `Tensor` for most layers, `(output, state)` for recurrent ones.
    associatedtype Output
    /// Runs the module on `input`.
    func callAsFunction(_ input: Tensor) -> Output
    /// Parameters owned by this module itself (not by children), in order, with their keys.
    var ownParameters: [(name: String, tensor: Tensor)] { get }
    /// Non-trainable state owned by this module itself (e.g. BatchNorm's running statistics).
    var ownBuffers: [(name: String, tensor: Tensor)] { get }
    /// Direct sub-modules, in order, with their key prefixes.
    var children: [(name: String, module: any Module)] { get }
    /// Training mode (true) or evaluation mode (false); changed through `train()` / `eval()`.
    var isTraining: Bool { get set }
}

extension Module {
    /// Tensor-valued stored properties that require grad, found by reflection.
    public var ownParameters: [(name: String, tensor: Tensor)] {
        Mirror(reflecting: self).children.compactMap { child in
            guard let label = child.label, let tensor = child.value as? Tensor, tensor.requiresGrad else { return nil }
            return (label, tensor)
        }
    }

    /// None by default.
    public var ownBuffers: [(name: String, tensor: Tensor)] { [] }

    /// Module-valued stored properties (and arrays of modules, keyed `name.0`, `name.1`, …).
    public var children: [(name: String, module: any Module)] {
        var result: [(name: String, module: any Module)] = []
        for child in Mirror(reflecting: self).children {
            guard let label = child.label else { continue }
            if let module = child.value as? any Module {
                result.append((label, module))
            } else if let modules = child.value as? [any Module] {
                for (i, module) in modules.enumerated() { result.append(("\(label).\(i)", module)) }
            }
        }
        return result
    }

    /// Follows the first child's mode; modules whose behaviour depends on the mode store it.
    public var isTraining: Bool {
        get { children.first?.module.isTraining ?? true }
        set {}
    }

    /// Every parameter of this module and its descendants, keyed as PyTorch's `state_dict` does
    /// (`0.weight`, `block.bias`, `weight_ih_l0`, …).
    public var namedParameters: [(name: String, tensor: Tensor)] {
        var result = ownParameters
        for (prefix, child) in children {
            result += child.namedParameters.map { ("\(prefix).\($0.name)", $0.tensor) }
        }
        return result
    }

    /// Every parameter, in the order of `namedParameters` — what an optimiser takes.
    public var parameters: [Tensor] { namedParameters.map(\.tensor) }

    /// Every buffer of this module and its descendants, with keys.
    public var namedBuffers: [(name: String, tensor: Tensor)] {
        var result = ownBuffers
        for (prefix, child) in children {
            result += child.namedBuffers.map { ("\(prefix).\($0.name)", $0.tensor) }
        }
        return result
    }

    /// Parameters and buffers in PyTorch's state-dict order (per module: parameters, buffers,
    /// then children).
    public var namedState: [(name: String, tensor: Tensor)] {
        var result = ownParameters + ownBuffers
        for (prefix, child) in children {
            result += child.namedState.map { ("\(prefix).\($0.name)", $0.tensor) }
        }
        return result
    }

    /// Snapshots of all parameters and buffers by key, detached from the tape. Save it with
    /// `Safetensors.save` or load it into another model with `loadStateDict`.
    public func stateDict() -> [String: Tensor] {
        Dictionary(namedState.map { ($0.name, $0.tensor.detach()) }, uniquingKeysWith: { first, _ in first })
    }

    /// Copies values from `stateDict` into this module's parameters and buffers.
    ///
    /// With `strict` (the default), missing and unexpected keys are errors; shape mismatches are
    /// always errors. Nothing is changed when an error is thrown.
    public func loadStateDict(_ stateDict: [String: Tensor], strict: Bool = true) throws(StateDictError) {
        let own = namedState
        let ownKeys = Set(own.map(\.name))
        let missing = strict ? own.map(\.name).filter { stateDict[$0] == nil } : []
        let unexpected = strict ? stateDict.keys.filter { !ownKeys.contains($0) }.sorted() : []
        let mismatched: [StateDictError.ShapeMismatch] = own.compactMap { name, tensor in
            guard let given = stateDict[name], given.shape != tensor.shape else { return nil }
            return .init(key: name, expected: tensor.shape, found: given.shape)
        }
        if !missing.isEmpty || !unexpected.isEmpty || !mismatched.isEmpty {
            throw StateDictError(missingKeys: missing, unexpectedKeys: unexpected, shapeMismatches: mismatched)
        }
        for (name, tensor) in own {
            if let given = stateDict[name] { tensor.storage = given.storage }
        }
    }

    /// Puts this module and all descendants in training mode (or evaluation mode with `false`).
    public func train(_ mode: Bool = true) {
        isTraining = mode
        for (_, child) in children { child.train(mode) }
    }

    /// Puts this module and all descendants in evaluation mode: Dropout passes values through,
    /// BatchNorm uses its running statistics.
    public func eval() { train(false) }

    /// Clears the gradients of all parameters (sets them to nil, as PyTorch does by default).
    public func zeroGrad() {
        for p in parameters { p.grad = nil }
    }
}

/// Why `loadStateDict` refused a state dict: every problem found, at once.
public struct StateDictError: Error, CustomStringConvertible, Equatable {
    /// A key present in both with different shapes.
    public struct ShapeMismatch: Equatable, Sendable {
        public let key: String
        public let expected: [Int]
        public let found: [Int]
    }
    /// Keys the module has and the state dict lacks.
    public let missingKeys: [String]
    /// Keys the state dict has and the module lacks.
    public let unexpectedKeys: [String]
    /// Keys whose shapes differ.
    public let shapeMismatches: [ShapeMismatch]

    /// One sentence per problem, with what to do.
    public var description: String {
        var lines = ["Error(s) in loading state dict:"]
        if !missingKeys.isEmpty {
            lines.append("  Missing key(s): \(missingKeys.map { "\"\($0)\"" }.joined(separator: ", ")).")
        }
        if !unexpectedKeys.isEmpty {
            lines.append("  Unexpected key(s): \(unexpectedKeys.map { "\"\($0)\"" }.joined(separator: ", ")).")
        }
        for m in shapeMismatches {
            lines.append("  Size mismatch for \"\(m.key)\": the state dict has shape \(m.found), the model expects \(m.expected).")
        }
        if !missingKeys.isEmpty || !unexpectedKeys.isEmpty {
            lines.append("  Check that the model was built with the same layers, or pass strict: false to load the keys that match.")
        }
        return lines.joined(separator: "\n")
    }
}
