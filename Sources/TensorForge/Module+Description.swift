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
extension GELU: CustomStringConvertible {
    public var description: String { approximate == .none ? "GELU()" : "GELU(approximate: .tanh)" }
}
extension Softplus: CustomStringConvertible {
    public var description: String { beta == 1 && threshold == 20 ? "Softplus()" : "Softplus(beta: \(beta), threshold: \(threshold))" }
}
extension ELU: CustomStringConvertible { public var description: String { "ELU(alpha: \(alpha))" } }
extension SELU: CustomStringConvertible { public var description: String { "SELU()" } }
extension SiLU: CustomStringConvertible { public var description: String { "SiLU()" } }
extension Softmax: CustomStringConvertible { public var description: String { "Softmax(dim: \(dim))" } }
extension LogSoftmax: CustomStringConvertible { public var description: String { "LogSoftmax(dim: \(dim))" } }
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
extension Dropout1d: CustomStringConvertible { public var description: String { "Dropout1d(p: \(p))" } }
extension Dropout2d: CustomStringConvertible { public var description: String { "Dropout2d(p: \(p))" } }
extension AlphaDropout: CustomStringConvertible { public var description: String { "AlphaDropout(p: \(p))" } }

extension ModuleList: CustomStringConvertible {
    /// One line per module, indented, with its key.
    public var description: String {
        guard !modules.isEmpty else { return "ModuleList()" }
        let lines = modules.enumerated().map { index, module in
            "  (\(index)): " + String(describing: module).replacingOccurrences(of: "\n", with: "\n  ")
        }
        return "ModuleList(\n" + lines.joined(separator: "\n") + "\n)"
    }
}

extension Conv1d: CustomStringConvertible {
    public var description: String {
        var text = "Conv1d(\(inChannels), \(outChannels), kernelSize: \(kernelSize)"
        if stride != 1 { text += ", stride: \(stride)" }
        if padding != 0 { text += ", padding: \(padding)" }
        if dilation != 1 { text += ", dilation: \(dilation)" }
        if groups != 1 { text += ", groups: \(groups)" }
        return text + (bias == nil ? ", bias: false)" : ")")
    }
}

extension Conv2d: CustomStringConvertible {
    public var description: String {
        var text = "Conv2d(\(inChannels), \(outChannels), kernelSize: \(kernelSize)"
        if stride != 1 { text += ", stride: \(stride)" }
        if padding != 0 { text += ", padding: \(padding)" }
        if dilation != 1 { text += ", dilation: \(dilation)" }
        if groups != 1 { text += ", groups: \(groups)" }
        return text + (bias == nil ? ", bias: false)" : ")")
    }
}

extension MaxPool2d: CustomStringConvertible {
    public var description: String { "MaxPool2d(kernelSize: \(kernelSize), stride: \(stride), padding: \(padding))" }
}
extension AvgPool2d: CustomStringConvertible {
    public var description: String { "AvgPool2d(kernelSize: \(kernelSize), stride: \(stride), padding: \(padding))" }
}
extension AdaptiveAvgPool2d: CustomStringConvertible {
    public var description: String { "AdaptiveAvgPool2d(outputSize: \(outputSize))" }
}
extension Flatten: CustomStringConvertible {
    public var description: String { "Flatten(startDim: \(startDim), endDim: \(endDim))" }
}
extension Embedding: CustomStringConvertible {
    public var description: String {
        "Embedding(\(numEmbeddings), \(embeddingDim)" + (paddingIdx.map { ", paddingIdx: \($0))" } ?? ")")
    }
}
