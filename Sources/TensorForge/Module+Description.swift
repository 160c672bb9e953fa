// Readable module summaries in PyTorch's layout, so `print(model)` shows the architecture.

extension Linear: CustomStringConvertible {
    /// `Linear(inFeatures: 16, outFeatures: 8, bias: true)`.
    public var description: String {
        "Linear(inFeatures: \(weight.shape[1]), outFeatures: \(weight.shape[0]), bias: \(bias != nil))"
    }
}

extension Sequential: CustomStringConvertible {
    /// One line per layer, indented, with its key.
    public var description: String {
        guard !layers.isEmpty else { return "Sequential()" }
        let lines = layers.enumerated().map { index, layer in
            "  (\(index)): " + String(describing: layer).replacingOccurrences(of: "\n", with: "\n  ")
        }
        return "Sequential(\n" + lines.joined(separator: "\n") + "\n)"
    }
}

extension Residual: CustomStringConvertible {
    /// `Residual(` block `)`.
    public var description: String {
        "Residual(\n  (block): " + String(describing: block).replacingOccurrences(of: "\n", with: "\n  ") + "\n)"
    }
}

extension Sigmoid: CustomStringConvertible { public var description: String { "Sigmoid()" } }
extension Tanh: CustomStringConvertible { public var description: String { "Tanh()" } }
extension ReLU: CustomStringConvertible { public var description: String { "ReLU()" } }
extension GELU: CustomStringConvertible { public var description: String { "GELU()" } }
extension Softplus: CustomStringConvertible { public var description: String { "Softplus()" } }
extension Identity: CustomStringConvertible { public var description: String { "Identity()" } }
extension LeakyReLU: CustomStringConvertible {
    public var description: String { "LeakyReLU(negativeSlope: \(negativeSlope))" }
}
extension Dropout: CustomStringConvertible { public var description: String { "Dropout(p: \(p))" } }

extension BatchNorm1d: CustomStringConvertible {
    public var description: String { "BatchNorm1d(\(numFeatures), eps: \(eps), momentum: \(momentum), affine: \(weight != nil))" }
}

extension LayerNorm: CustomStringConvertible {
    public var description: String { "LayerNorm(\(normalizedShape), eps: \(eps), elementwiseAffine: \(weight != nil))" }
}

extension RNN: CustomStringConvertible {
    public var description: String {
        "RNN(inputSize: \(inputSize), hiddenSize: \(hiddenSize), numLayers: \(numLayers), nonlinearity: .\(nonlinearity))"
    }
}

extension LSTM: CustomStringConvertible {
    public var description: String { "LSTM(inputSize: \(inputSize), hiddenSize: \(hiddenSize), numLayers: \(numLayers))" }
}

extension GRU: CustomStringConvertible {
    public var description: String { "GRU(inputSize: \(inputSize), hiddenSize: \(hiddenSize), numLayers: \(numLayers))" }
}
