import Foundation

/// PyTorch's default for a convolution's weight and bias: Kaiming-uniform with a = √5 (which is
/// U(−1/√fanIn, 1/√fanIn)) for the weight, U(−1/√fanIn, 1/√fanIn) for the bias.
private func convolutionParameters(_ shape: [Int], bias: Bool, generator: Generator?) -> (Tensor, Tensor?) {
    let weight = Tensor.zeros(shape)
    Init.kaimingUniform(weight, nonlinearity: .leakyRelu(negativeSlope: 5.0.squareRoot()), generator: generator)
    weight.requiresGrad = true
    guard bias else { return (weight, nil) }
    let fanIn = Init.fans(weight).fanIn
    let bound = fanIn > 0 ? 1 / Double(fanIn).squareRoot() : 0
    let b = Tensor.uniform([shape[0]], low: -bound, high: bound, generator: generator)
    b.requiresGrad = true
    return (weight, b)
}

private func requireChannels(_ inChannels: Int, _ outChannels: Int, groups: Int, _ layer: String) {
    require(groups >= 1, "\(layer): groups must be at least 1, got \(groups).")
    require(inChannels % groups == 0 && outChannels % groups == 0,
            "\(layer): in channels \(inChannels) and out channels \(outChannels) must both be divisible by groups \(groups).")
}

/// A 2-D convolution over `[N, C, H, W]` (or `[C, H, W]`), PyTorch's `nn.Conv2d`: weight
/// `[out, in/groups, kh, kw]` and bias `[out]`, both U(−1/√fanIn, 1/√fanIn) with fanIn = in/groups·kh·kw.
///
/// ```swift
/// let conv = Conv2d(1, 16, kernelSize: 3, padding: 1)
/// conv(Tensor.randn(64, 1, 28, 28)).shape   // [64, 16, 28, 28]
/// ```
public final class Conv2d: Module, LeafModule {
    /// `[outChannels, inChannels / groups, kh, kw]`.
    public let weight: Tensor
    /// `[outChannels]`, or nil when built with `bias: false`.
    public let bias: Tensor?
    /// Step of the window.
    public let stride: Size2D
    /// Zeros added on each side.
    public let padding: Size2D
    /// Spacing between the kernel's taps.
    public let dilation: Size2D
    /// Channel groups: each output channel sees in/groups input channels.
    public let groups: Int
    /// Training (true) or evaluation mode; see `train()` and `eval()`.
    public var isTraining = true

    /// `Conv2d(3, 8, kernelSize: 3)`, `Conv2d(3, 8, kernelSize: [3, 5], stride: 2, padding: [1, 2])`.
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Size2D, stride: Size2D = 1, padding: Size2D = 0,
                dilation: Size2D = 1, groups: Int = 1, bias: Bool = true, generator: Generator? = nil) {
        requireChannels(inChannels, outChannels, groups: groups, "Conv2d")
        (weight, self.bias) = convolutionParameters([outChannels, inChannels / groups, kernelSize.height, kernelSize.width],
                                                   bias: bias, generator: generator)
        (self.stride, self.padding, self.dilation, self.groups) = (stride, padding, dilation, groups)
    }

    /// `Conv2d(inChannels: 3, outChannels: 8, kernelSize: 3)`, PyTorch's argument names.
    public convenience init(inChannels: Int, outChannels: Int, kernelSize: Size2D, stride: Size2D = 1, padding: Size2D = 0,
                            dilation: Size2D = 1, groups: Int = 1, bias: Bool = true, generator: Generator? = nil) {
        self.init(inChannels, outChannels, kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation,
                  groups: groups, bias: bias, generator: generator)
    }

    /// `Conv2d(c, 2 * c, kernelSize: k, padding: k / 2)` with integers held in variables.
    public convenience init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                            dilation: Int = 1, groups: Int = 1, bias: Bool = true, generator: Generator? = nil) {
        self.init(inChannels, outChannels, kernelSize: Size2D(kernelSize), stride: Size2D(stride), padding: Size2D(padding),
                  dilation: Size2D(dilation), groups: groups, bias: bias, generator: generator)
    }

    /// Input channels.
    public var inChannels: Int { weight.shape[1] * groups }
    /// Output channels.
    public var outChannels: Int { weight.shape[0] }
    /// Kernel height and width.
    public var kernelSize: Size2D { Size2D(weight.shape[2], weight.shape[3]) }

    public var ownParameters: [(name: String, tensor: Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        conv2d(input, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
    }
}

/// A 1-D convolution over `[N, C, L]` (or `[C, L]`), PyTorch's `nn.Conv1d`: weight
/// `[out, in/groups, k]` and bias `[out]`, both U(−1/√fanIn, 1/√fanIn) with fanIn = in/groups·k.
///
/// ```swift
/// let conv = Conv1d(4, 8, kernelSize: 3, padding: 1)
/// conv(Tensor.randn(2, 4, 50)).shape   // [2, 8, 50]
/// ```
public final class Conv1d: Module, LeafModule {
    /// `[outChannels, inChannels / groups, k]`.
    public let weight: Tensor
    /// `[outChannels]`, or nil when built with `bias: false`.
    public let bias: Tensor?
    /// Step of the window.
    public let stride: Int
    /// Zeros added on each side.
    public let padding: Int
    /// Spacing between the kernel's taps.
    public let dilation: Int
    /// Channel groups: each output channel sees in/groups input channels.
    public let groups: Int
    /// Training (true) or evaluation mode; see `train()` and `eval()`.
    public var isTraining = true

    /// `Conv1d(4, 8, kernelSize: 3)`.
    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                dilation: Int = 1, groups: Int = 1, bias: Bool = true, generator: Generator? = nil) {
        requireChannels(inChannels, outChannels, groups: groups, "Conv1d")
        (weight, self.bias) = convolutionParameters([outChannels, inChannels / groups, kernelSize], bias: bias, generator: generator)
        (self.stride, self.padding, self.dilation, self.groups) = (stride, padding, dilation, groups)
    }

    /// `Conv1d(inChannels: 4, outChannels: 8, kernelSize: 3)`, PyTorch's argument names.
    public convenience init(inChannels: Int, outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                            dilation: Int = 1, groups: Int = 1, bias: Bool = true, generator: Generator? = nil) {
        self.init(inChannels, outChannels, kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation,
                  groups: groups, bias: bias, generator: generator)
    }

    /// Input channels.
    public var inChannels: Int { weight.shape[1] * groups }
    /// Output channels.
    public var outChannels: Int { weight.shape[0] }
    /// Kernel length.
    public var kernelSize: Int { weight.shape[2] }

    public var ownParameters: [(name: String, tensor: Tensor)] {
        [("weight", weight)] + (bias.map { [("bias", $0)] } ?? [])
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        conv1d(input, weight: weight, bias: bias, stride: stride, padding: padding, dilation: dilation, groups: groups)
    }
}

/// The largest value in each window, PyTorch's `nn.MaxPool2d`; `stride` defaults to the kernel size.
///
/// ```swift
/// MaxPool2d(2)(Tensor.randn(8, 16, 28, 28)).shape   // [8, 16, 14, 14]
/// ```
public final class MaxPool2d: Module, StatelessLayer {
    /// Window height and width.
    public let kernelSize: Size2D
    /// Step of the window.
    public let stride: Size2D
    /// −∞ added on each side (at most half the kernel).
    public let padding: Size2D
    /// Spacing between the window's taps.
    public let dilation: Size2D
    /// Rounds the output size up, so that windows may run past the end.
    public let ceilMode: Bool
    public var isTraining = true

    /// `MaxPool2d(2)`, `MaxPool2d(3, stride: 2, padding: 1)`.
    public init(_ kernelSize: Size2D, stride: Size2D? = nil, padding: Size2D = 0, dilation: Size2D = 1, ceilMode: Bool = false) {
        (self.kernelSize, self.stride, self.padding, self.dilation, self.ceilMode) = (kernelSize, stride ?? kernelSize, padding, dilation, ceilMode)
    }

    /// `MaxPool2d(kernelSize: 2)`, PyTorch's argument name.
    public convenience init(kernelSize: Size2D, stride: Size2D? = nil, padding: Size2D = 0, dilation: Size2D = 1, ceilMode: Bool = false) {
        self.init(kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        maxPool2d(input, kernelSize: kernelSize, stride: stride, padding: padding, dilation: dilation, ceilMode: ceilMode)
    }
}

/// The mean of each window, PyTorch's `nn.AvgPool2d`; `stride` defaults to the kernel size.
public final class AvgPool2d: Module, StatelessLayer {
    /// Window height and width.
    public let kernelSize: Size2D
    /// Step of the window.
    public let stride: Size2D
    /// Zeros added on each side (at most half the kernel).
    public let padding: Size2D
    /// Rounds the output size up, so that windows may run past the end.
    public let ceilMode: Bool
    /// Whether padded zeros count in the mean.
    public let countIncludePad: Bool
    /// Divides by this instead of the window's size.
    public let divisorOverride: Int?
    public var isTraining = true

    /// `AvgPool2d(2)`, `AvgPool2d(3, stride: 1, padding: 1, countIncludePad: false)`.
    public init(_ kernelSize: Size2D, stride: Size2D? = nil, padding: Size2D = 0, ceilMode: Bool = false,
                countIncludePad: Bool = true, divisorOverride: Int? = nil) {
        (self.kernelSize, self.stride, self.padding) = (kernelSize, stride ?? kernelSize, padding)
        (self.ceilMode, self.countIncludePad, self.divisorOverride) = (ceilMode, countIncludePad, divisorOverride)
    }

    /// `AvgPool2d(kernelSize: 2)`, PyTorch's argument name.
    public convenience init(kernelSize: Size2D, stride: Size2D? = nil, padding: Size2D = 0, ceilMode: Bool = false,
                            countIncludePad: Bool = true, divisorOverride: Int? = nil) {
        self.init(kernelSize, stride: stride, padding: padding, ceilMode: ceilMode, countIncludePad: countIncludePad,
                  divisorOverride: divisorOverride)
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        avgPool2d(input, kernelSize: kernelSize, stride: stride, padding: padding, ceilMode: ceilMode,
                  countIncludePad: countIncludePad, divisorOverride: divisorOverride)
    }
}

/// Average pooling to a fixed output size whatever the input's, PyTorch's `nn.AdaptiveAvgPool2d`.
///
/// ```swift
/// AdaptiveAvgPool2d(1)(Tensor.randn(8, 64, 7, 7)).shape   // [8, 64, 1, 1]
/// ```
public final class AdaptiveAvgPool2d: Module, StatelessLayer {
    /// Output height and width.
    public let outputSize: Size2D
    public var isTraining = true

    /// `AdaptiveAvgPool2d(1)`, `AdaptiveAvgPool2d([4, 2])`.
    public init(_ outputSize: Size2D) { self.outputSize = outputSize }

    /// `AdaptiveAvgPool2d(outputSize: 1)`, PyTorch's argument name.
    public convenience init(outputSize: Size2D) { self.init(outputSize) }

    public func callAsFunction(_ input: Tensor) -> Tensor { adaptiveAvgPool2d(input, outputSize: outputSize) }
}

/// Merges dimensions `startDim` through `endDim` (by default all but the batch), PyTorch's `nn.Flatten`.
///
/// ```swift
/// Flatten()(Tensor.zeros(8, 32, 7, 7)).shape   // [8, 1568]
/// ```
public final class Flatten: Module, StatelessLayer {
    /// The first dimension merged.
    public let startDim: Int
    /// The last dimension merged.
    public let endDim: Int
    public var isTraining = true

    /// `Flatten()` keeps the batch dimension; `Flatten(startDim: 0)` flattens everything.
    public init(startDim: Int = 1, endDim: Int = -1) { (self.startDim, self.endDim) = (startDim, endDim) }

    public func callAsFunction(_ input: Tensor) -> Tensor { input.flatten(startDim: startDim, endDim: endDim) }
}
