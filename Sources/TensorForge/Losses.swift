import Foundation

/// How a loss combines per-element values.
public enum Reduction: Sendable {
    /// The average (PyTorch's default).
    case mean
    /// The total.
    case sum
    /// No reduction: one loss per element.
    case none
}

private func reduce(_ losses: Tensor, _ reduction: Reduction) -> Tensor {
    switch reduction {
    case .mean: return losses.mean()
    case .sum: return losses.sum()
    case .none: return losses
    }
}

/// Mean squared error between `input` and `target` (broadcasting as PyTorch does).
public func mseLoss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) -> Tensor {
    let difference = input - target
    return reduce(difference * difference, reduction)
}

/// Cross-entropy of `logits` `[N, C]` (or `[N, C, d₁, …]`, or `[C]` unbatched) against class
/// indices `[N]` (`[N, d₁, …]`, stored as whole Doubles) — `nllLoss` of `logSoftmax(dim: 1)` —
/// or against class probabilities shaped like `logits`, as PyTorch's `F.cross_entropy`.
///
/// - Parameters:
///   - weight: `[C]`, a weight per class; a weighted mean divides by the targets' total weight.
///   - ignoreIndex: targets equal to it add nothing (index targets only).
///   - labelSmoothing: ε in [0, 1]: the target becomes (1 − ε)·one-hot + ε/C.
///
/// ```swift
/// let loss = crossEntropy(model(x), labels)                     // mean over the batch
/// let perSample = crossEntropy(model(x), labels, reduction: .none)
/// ```
public func crossEntropy(_ logits: Tensor, _ target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
                         reduction: Reduction = .mean, labelSmoothing: Double = 0) -> Tensor {
    require(logits.rank >= 1, "crossEntropy: logits must be [batch, classes, …] or [classes], got \(logits.shape).")
    require(labelSmoothing >= 0 && labelSmoothing <= 1, "crossEntropy: labelSmoothing must be in [0, 1], got \(labelSmoothing).")
    let classDim = logits.rank == 1 ? 0 : 1
    let classes = logits.shape[classDim]
    if let weight { require(weight.shape == [classes], "crossEntropy: weight must have shape [\(classes)], got \(weight.shape).") }
    let logProbabilities = logits.logSoftmax(dim: classDim)
    // A weight per class, laid along the class dimension so that it broadcasts.
    let classWeights = weight.map { $0.reshaped([classes] + [Int](repeating: 1, count: logits.rank - classDim - 1)) }
    if target.shape == logits.shape {
        // Class probabilities: −Σ_c w_c·t_c·log p_c per sample; the mean divides by the sample count.
        var soft = target
        if labelSmoothing > 0 { soft = target * (1 - labelSmoothing) + labelSmoothing / Double(classes) }
        var terms = logProbabilities * soft
        if let classWeights { terms = terms * classWeights }
        let losses = -terms.sum(dim: classDim)
        switch reduction {
        case .mean: return losses.sum() / Double(Swift.max(1, logits.count / classes))
        case .sum: return losses.sum()
        case .none: return losses
        }
    }
    let nll = nllLoss(logProbabilities, target, weight: weight, ignoreIndex: ignoreIndex, reduction: reduction)
    guard labelSmoothing > 0 else { return nll }
    // As ATen: the smoothing term −Σ_c w_c·log p_c, zero at ignored targets, reduced like the NLL.
    var terms = logProbabilities
    if let classWeights { terms = terms * classWeights }
    let ignored = Tensor(scalars: target.storage.map { Int($0) == ignoreIndex ? 1 : 0 }, shape: target.shape)
    let smooth = (-terms.sum(dim: classDim)).maskedFill(ignored, 0)
    let smoothReduced: Tensor
    switch reduction {
    case .mean:
        let kept = target.storage.filter { Int($0) != ignoreIndex }
        let total = weight.map { w in kept.reduce(0) { $0 + w.storage[Int($1)] } } ?? Double(kept.count)
        smoothReduced = smooth.sum() / total
    case .sum: smoothReduced = smooth.sum()
    case .none: smoothReduced = smooth
    }
    return (1 - labelSmoothing) * nll + smoothReduced * (labelSmoothing / Double(classes))
}

/// Cross-entropy with integer class labels.
public func crossEntropy(_ logits: Tensor, _ classIndices: [Int], weight: Tensor? = nil, ignoreIndex: Int = -100,
                         reduction: Reduction = .mean, labelSmoothing: Double = 0) -> Tensor {
    crossEntropy(logits, Tensor(scalars: classIndices.map(Double.init), shape: [classIndices.count]), weight: weight,
                 ignoreIndex: ignoreIndex, reduction: reduction, labelSmoothing: labelSmoothing)
}

/// Negative log-likelihood of log-probabilities `input` `[N, C]` (or `[N, C, d₁, …]`, or `[C]`)
/// at class indices `target` `[N]` (`[N, d₁, …]`, or `[]`), PyTorch's `F.nll_loss`:
/// −w[t]·input[n, t] per sample; the mean divides by the total weight of the targets counted.
///
/// ```swift
/// let loss = nllLoss(model(x).logSoftmax(dim: 1), labels)
/// ```
public func nllLoss(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil, ignoreIndex: Int = -100,
                    reduction: Reduction = .mean) -> Tensor {
    require(input.rank >= 1, "nllLoss: input must be [batch, classes, …] or [classes], got \(input.shape).")
    let classDim = input.rank == 1 ? 0 : 1
    let classes = input.shape[classDim]
    let expectedTarget = input.rank == 1 ? [] : [input.shape[0]] + Array(input.shape.dropFirst(2))
    require(target.shape == expectedTarget,
            "nllLoss: for input \(input.shape) the class indices must have shape \(expectedTarget), got \(target.shape).")
    if let weight { require(weight.shape == [classes], "nllLoss: weight must have shape [\(classes)], got \(weight.shape).") }
    let targets = target.storage.map { value -> Int in
        let index = Int(exactly: value) ?? Int.min
        require(index == ignoreIndex || (index >= 0 && index < classes),
                "nllLoss: class index \(value) is not an integer in 0..<\(classes) (nor ignoreIndex \(ignoreIndex)).")
        return index
    }
    let classWeights = weight?.storage
    let inner = input.shape.dropFirst(2).reduce(1, *)   // positions per sample: d₁·d₂·…
    // Where sample i's target value lies in input, and its weight (0 when ignored).
    let positions = targets.indices.map { i -> Int in
        let (n, k) = (i / inner, i % inner)
        return targets[i] == ignoreIndex ? -1 : (n * classes + targets[i]) * inner + k
    }
    let weights = targets.map { $0 == ignoreIndex ? 0 : classWeights?[$0] ?? 1 }
    let x = input.storage
    let values = positions.indices.map { positions[$0] < 0 ? 0 : -weights[$0] * x[positions[$0]] }
    let count = input.count
    let losses = Tensor(shape: target.shape, storage: values, parents: [input]) { g in
        var dx = [Double](repeating: 0, count: count)
        for (i, position) in positions.enumerated() where position >= 0 { dx[position] = -weights[i] * g[i] }
        return [dx]
    }
    switch reduction {
    case .mean: return losses.sum() / weights.reduce(0, +)
    case .sum: return losses.sum()
    case .none: return losses
    }
}

/// Mean absolute error |input − target| (broadcasting), PyTorch's `F.l1_loss`; the gradient at
/// zero difference is 0.
public func l1Loss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean) -> Tensor {
    reduce((input - target).abs(), reduction)
}

/// Smooth L1 loss, PyTorch's `F.smooth_l1_loss`: ½d²/β where |d| < β, |d| − ½β elsewhere
/// (d = input − target); β = 0 is the L1 loss.
public func smoothL1Loss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean, beta: Double = 1) -> Tensor {
    require(beta >= 0, "smoothL1Loss: beta must be non-negative, got \(beta).")
    if beta == 0 { return l1Loss(input, target, reduction: reduction) }
    let losses = (input - target).unary({ d in
        let a = Swift.abs(d)
        return a < beta ? 0.5 * d * d / beta : a - 0.5 * beta
    }, derivative: { d, _ in Swift.abs(d) < beta ? d / beta : (d > 0 ? 1 : -1) })
    return reduce(losses, reduction)
}

/// Huber loss, PyTorch's `F.huber_loss`: ½d² where |d| < δ, δ(|d| − ½δ) elsewhere
/// (d = input − target) — `smoothL1Loss` scaled by δ.
public func huberLoss(_ input: Tensor, _ target: Tensor, reduction: Reduction = .mean, delta: Double = 1) -> Tensor {
    require(delta > 0, "huberLoss: delta must be positive, got \(delta).")
    let losses = (input - target).unary({ d in
        let a = Swift.abs(d)
        return a < delta ? 0.5 * d * d : delta * (a - 0.5 * delta)
    }, derivative: { d, _ in Swift.abs(d) < delta ? d : (d > 0 ? delta : -delta) })
    return reduce(losses, reduction)
}

/// Binary cross-entropy of probabilities `input` (in [0, 1]) against `target` of the same shape,
/// PyTorch's `F.binary_cross_entropy`: −w·(t·log x + (1 − t)·log(1 − x)), each log clamped at
/// −100 as PyTorch does. Prefer `binaryCrossEntropyWithLogits` on raw scores: it is stabler.
///
/// - Parameter weight: a weight per element (broadcast to the input's shape), or nil.
public func binaryCrossEntropy(_ input: Tensor, _ target: Tensor, weight: Tensor? = nil, reduction: Reduction = .mean) -> Tensor {
    require(input.shape == target.shape,
            "binaryCrossEntropy: input \(input.shape) and target \(target.shape) must have the same shape.")
    let x = input.storage, t = target.storage
    require(x.allSatisfy { $0 >= 0 && $0 <= 1 }, "binaryCrossEntropy: input values must be probabilities in [0, 1]; apply sigmoid() first, or use binaryCrossEntropyWithLogits.")
    let values = zipValues(x, t) { x, t in
        -(t * Swift.max(Foundation.log(x), -100) + (1 - t) * Swift.max(Foundation.log1p(-x), -100))
    }
    let losses = Tensor(shape: input.shape, storage: values, parents: [input, target]) { g in
        // As ATen: ∂/∂x = (x − t)/max(x(1 − x), 1e-12), ∂/∂t = log(1 − x) − log(x).
        [zipValues(zipValues(x, t) { x, t in (x - t) / Swift.max(x * (1 - x), 1e-12) }, g, *),
         zipValues(zipValues(x, t) { x, _ in Swift.max(Foundation.log1p(-x), -100) - Swift.max(Foundation.log(x), -100) }, g, *)]
    }
    return reduce(weight.map { losses * $0 } ?? losses, reduction)
}

/// Binary cross-entropy on logits, computed stably:
/// max(x, 0) − x·t + log(1 + e^−|x|), averaged.
public func binaryCrossEntropyWithLogits(_ logits: Tensor, _ target: Tensor, reduction: Reduction = .mean) -> Tensor {
    require(logits.shape == target.shape,
                 "binaryCrossEntropyWithLogits: logits \(logits.shape) and targets \(target.shape) must have the same shape.")
    let x = logits.storage, t = target.storage
    let values = zipValues(x, t) { x, t in Swift.max(x, 0) - x * t + Foundation.log1p(Foundation.exp(-Swift.abs(x))) }
    let losses = Tensor(shape: logits.shape, storage: values, parents: [logits, target]) { g in
        [zipValues(zipValues(x, t) { logistic($0) - $1 }, g, *),
         zipValues(x, g) { -$0 * $1 }]
    }
    return reduce(losses, reduction)
}
