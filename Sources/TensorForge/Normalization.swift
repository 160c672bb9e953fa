import Foundation

/// Batch normalisation over the batch dimension, `nn.BatchNorm1d`, for input `[N, C]` or
/// `[N, C, L]`.
///
/// In training, normalises with the batch's biased variance and updates `running_mean` and
/// `running_var` (with the unbiased variance) by `momentum`; in evaluation, uses the running
/// statistics. Keys: `weight`, `bias`, `running_mean`, `running_var`, `num_batches_tracked`.
public final class BatchNorm1d: Module, LeafModule {
    /// Channels C.
    public let numFeatures: Int
    /// Added to the variance before the square root.
    public let eps: Double
    /// Weight of the newest batch in the running statistics.
    public let momentum: Double
    /// γ, `[C]`, starts at 1 (nil without affine parameters).
    public let weight: Tensor?
    /// β, `[C]`, starts at 0.
    public let bias: Tensor?
    /// Running mean, `[C]`, starts at 0.
    public let runningMean: Tensor
    /// Running (unbiased) variance, `[C]`, starts at 1.
    public let runningVar: Tensor
    /// Number of training batches seen (a zero-dimensional tensor, as in PyTorch).
    public let numBatchesTracked: Tensor
    /// Training (true) or evaluation mode; see `train()` and `eval()`.
    public var isTraining = true

    /// `BatchNorm1d(64)`.
    public init(_ numFeatures: Int, eps: Double = 1e-5, momentum: Double = 0.1, affine: Bool = true) {
        self.numFeatures = numFeatures
        self.eps = eps
        self.momentum = momentum
        weight = affine ? Tensor.ones(shape: [numFeatures], requiresGrad: true) : nil
        bias = affine ? Tensor.zeros(shape: [numFeatures], requiresGrad: true) : nil
        runningMean = Tensor.zeros(numFeatures)
        runningVar = Tensor.ones(numFeatures)
        numBatchesTracked = Tensor(0)
    }

    /// `BatchNorm1d(numFeatures: 128)`, PyTorch's `nn.BatchNorm1d(num_features=128)`.
    public convenience init(numFeatures: Int, eps: Double = 1e-5, momentum: Double = 0.1, affine: Bool = true) {
        self.init(numFeatures, eps: eps, momentum: momentum, affine: affine)
    }

    public var ownParameters: [(name: String, tensor: Tensor)] {
        if let weight, let bias { return [("weight", weight), ("bias", bias)] }
        return []
    }
    public var ownBuffers: [(name: String, tensor: Tensor)] {
        [("running_mean", runningMean), ("running_var", runningVar), ("num_batches_tracked", numBatchesTracked)]
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        require((input.rank == 2 || input.rank == 3) && input.shape[1] == numFeatures,
                     "BatchNorm1d(\(numFeatures)): input must be [N, \(numFeatures)] or [N, \(numFeatures), L], got \(input.shape).")
        if input.rank == 3 {
            // Channels last, normalise rows, and back.
            let (n, c, l) = (input.shape[0], input.shape[1], input.shape[2])
            let rows = input.permute(0, 2, 1).reshaped(n * l, c)
            return normalizeRows(rows).reshaped(n, l, c).permute(0, 2, 1)
        }
        return normalizeRows(input)
    }

    private func normalizeRows(_ x: Tensor) -> Tensor {
        let rows = x.shape[0], c = numFeatures
        if !isTraining {
            let scale = (runningVar + eps).sqrt()
            let normalized = (x - runningMean.detach()) / scale.detach()
            guard let weight, let bias else { return normalized }
            return normalized * weight + bias
        }
        require(rows > 1, "BatchNorm1d: expected more than 1 value per channel when training, got input of shape \(x.shape).")
        let values = x.storage
        var mean = [Double](repeating: 0, count: c), variance = [Double](repeating: 0, count: c)
        for r in 0..<rows { for j in 0..<c { mean[j] += values[r * c + j] } }
        for j in 0..<c { mean[j] /= Double(rows) }
        for r in 0..<rows { for j in 0..<c { let d = values[r * c + j] - mean[j]; variance[j] += d * d } }
        for j in 0..<c { variance[j] /= Double(rows) }
        let invStd = variance.map { 1 / ($0 + eps).squareRoot() }
        var normalized = [Double](repeating: 0, count: rows * c)
        for r in 0..<rows { for j in 0..<c { normalized[r * c + j] = (values[r * c + j] - mean[j]) * invStd[j] } }
        withNoGrad {
            let unbiased = Double(rows) / Double(rows - 1)
            for j in 0..<c {
                runningMean.storage[j] = (1 - momentum) * runningMean.storage[j] + momentum * mean[j]
                runningVar.storage[j] = (1 - momentum) * runningVar.storage[j] + momentum * variance[j] * unbiased
            }
            numBatchesTracked.storage[0] += 1
        }
        let gamma = weight?.storage ?? [Double](repeating: 1, count: c)
        var y = normalized
        if let weight, let bias {
            let w = weight.storage, b = bias.storage
            for r in 0..<rows { for j in 0..<c { y[r * c + j] = y[r * c + j] * w[j] + b[j] } }
        }
        let parents = [x] + [weight, bias].compactMap { $0 }
        let needX = x.requiresGrad, needAffine = weight?.requiresGrad ?? false
        let xhat = normalized
        return Tensor(shape: x.shape, storage: y, parents: parents) { g in
            var sumG = [Double](repeating: 0, count: c), sumGX = [Double](repeating: 0, count: c)
            for r in 0..<rows { for j in 0..<c { let v = g[r * c + j]; sumG[j] += v; sumGX[j] += v * xhat[r * c + j] } }
            var dx: [Double]? = nil
            if needX {
                // dx = γ·invStd/N · (N·dy − Σdy − x̂·Σ(dy·x̂))
                var d = [Double](repeating: 0, count: rows * c)
                let n = Double(rows)
                for r in 0..<rows { for j in 0..<c {
                    let i = r * c + j
                    d[i] = gamma[j] * invStd[j] / n * (n * g[i] - sumG[j] - xhat[i] * sumGX[j])
                } }
                dx = d
            }
            return parents.count == 3 ? [dx, needAffine ? sumGX : nil, needAffine ? sumG : nil] : [dx]
        }
    }
}

/// Layer normalisation, `nn.LayerNorm`: normalises over the last dimensions given by
/// `normalizedShape` with the biased variance, then scales by `weight` and shifts by `bias`.
public final class LayerNorm: Module, LeafModule {
    /// The trailing dimensions normalised over.
    public let normalizedShape: [Int]
    /// Added to the variance before the square root.
    public let eps: Double
    /// Scale, shaped `normalizedShape`, starts at 1.
    public let weight: Tensor?
    /// Shift, shaped `normalizedShape`, starts at 0.
    public let bias: Tensor?
    /// Training (true) or evaluation mode; see `train()` and `eval()`.
    public var isTraining = true

    /// `LayerNorm([64])`.
    public init(_ normalizedShape: [Int], eps: Double = 1e-5, elementwiseAffine: Bool = true) {
        self.normalizedShape = normalizedShape
        self.eps = eps
        weight = elementwiseAffine ? Tensor.ones(shape: normalizedShape, requiresGrad: true) : nil
        bias = elementwiseAffine ? Tensor.zeros(shape: normalizedShape, requiresGrad: true) : nil
    }

    /// `LayerNorm(normalizedShape: [64])`, PyTorch's `nn.LayerNorm(normalized_shape=[64])`.
    public convenience init(normalizedShape: [Int], eps: Double = 1e-5, elementwiseAffine: Bool = true) {
        self.init(normalizedShape, eps: eps, elementwiseAffine: elementwiseAffine)
    }

    /// `LayerNorm(64)`.
    public convenience init(_ normalizedShape: Int, eps: Double = 1e-5, elementwiseAffine: Bool = true) {
        self.init([normalizedShape], eps: eps, elementwiseAffine: elementwiseAffine)
    }

    public var ownParameters: [(name: String, tensor: Tensor)] {
        if let weight, let bias { return [("weight", weight), ("bias", bias)] }
        return []
    }

    public func callAsFunction(_ input: Tensor) -> Tensor {
        require(Array(input.shape.suffix(normalizedShape.count)) == normalizedShape,
                     "LayerNorm(\(normalizedShape)): input shape \(input.shape) does not end in \(normalizedShape).")
        return layerNorm(input, width: shapeElementCount(normalizedShape), weight: weight, bias: bias, eps: eps)
    }
}

/// Normalises each run of `width` values (the last dimensions) to zero mean and unit biased
/// variance, then scales and shifts: one recorded operation with a hand-written backward pass
/// (a Transformer layer runs two per step).
private func layerNorm(_ input: Tensor, width: Int, weight: Tensor?, bias: Tensor?, eps: Double) -> Tensor {
    let rows = width > 0 ? input.count / width : 0
    let x = input.storage
    var normalized = [Double](repeating: 0, count: x.count)
    var invStd = [Double](repeating: 0, count: rows)
    x.withUnsafeBufferPointer { px in
        normalized.withUnsafeMutableBufferPointer { pn in
            for r in 0..<rows {
                let row = px.baseAddress! + r * width, out = pn.baseAddress! + r * width
                var mean = 0.0
                for j in 0..<width { mean += row[j] }
                mean /= Double(width)
                var variance = 0.0
                for j in 0..<width { let d = row[j] - mean; out[j] = d; variance += d * d }
                let scale = 1 / (variance / Double(width) + eps).squareRoot()
                invStd[r] = scale
                for j in 0..<width { out[j] *= scale }
            }
        }
    }
    var y = normalized
    if let w = weight?.storage, let b = bias?.storage {
        y.withUnsafeMutableBufferPointer { py in
            for r in 0..<rows { let row = py.baseAddress! + r * width; for j in 0..<width { row[j] = row[j] * w[j] + b[j] } }
        }
    }
    let parents = [input] + [weight, bias].compactMap { $0 }
    let gamma = weight?.storage
    let needX = input.requiresGrad, needAffine = (weight?.requiresGrad ?? false) || (bias?.requiresGrad ?? false)
    let xhat = normalized
    return Tensor(shape: input.shape, storage: y, parents: parents) { g in
        var dx: [Double]? = nil
        if needX {
            // dx = invStd/D · (D·ĝ − Σĝ − x̂·Σ(ĝ·x̂)) with ĝ = g·γ.
            var d = [Double](repeating: 0, count: g.count)
            let n = Double(width)
            g.withUnsafeBufferPointer { pg in
                xhat.withUnsafeBufferPointer { ph in
                    d.withUnsafeMutableBufferPointer { pd in
                        for r in 0..<rows {
                            let gr = pg.baseAddress! + r * width, hr = ph.baseAddress! + r * width, out = pd.baseAddress! + r * width
                            var sum = 0.0, dot = 0.0
                            for j in 0..<width {
                                let v = gr[j] * (gamma?[j] ?? 1)
                                out[j] = v; sum += v; dot += v * hr[j]
                            }
                            let scale = invStd[r] / n
                            for j in 0..<width { out[j] = scale * (n * out[j] - sum - hr[j] * dot) }
                        }
                    }
                }
            }
            dx = d
        }
        guard parents.count == 3 else { return [dx] }
        guard needAffine else { return [dx, nil, nil] }
        var dw = [Double](repeating: 0, count: width), db = [Double](repeating: 0, count: width)
        for r in 0..<rows {
            for j in 0..<width { let v = g[r * width + j]; dw[j] += v * xhat[r * width + j]; db[j] += v }
        }
        return [dx, dw, db]
    }
}
