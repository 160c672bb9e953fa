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

/// Cross-entropy of `logits` `[N, C]` against class indices `[N]` (stored as whole Doubles):
/// the mean of −log softmax(logits)[n, target[n]].
public func crossEntropy(_ logits: Tensor, _ classIndices: Tensor, reduction: Reduction = .mean) -> Tensor {
    require(logits.rank == 2, "crossEntropy: logits must be [batch, classes], got \(logits.shape).")
    require(classIndices.shape == [logits.shape[0]],
                 "crossEntropy: class indices must have shape [\(logits.shape[0])], got \(classIndices.shape).")
    let classes = logits.shape[1]
    let targets = classIndices.scalars.map { value -> Int in
        let index = Int(value)
        require(Double(index) == value && index >= 0 && index < classes,
                     "crossEntropy: class index \(value) is not an integer in 0..<\(classes).")
        return index
    }
    let logProbabilities = logits.logSoftmax(dim: 1)
    let batch = logits.shape[0]
    // Picks −logp[n, target[n]] as one recorded operation.
    let values = (0..<batch).map { -logProbabilities.storage[$0 * classes + targets[$0]] }
    let picked = Tensor(shape: [batch], storage: values, parents: [logProbabilities]) { g in
        var full = [Double](repeating: 0, count: batch * classes)
        for n in 0..<batch { full[n * classes + targets[n]] = -g[n] }
        return [full]
    }
    return reduce(picked, reduction)
}

/// Cross-entropy with integer class labels.
public func crossEntropy(_ logits: Tensor, _ classIndices: [Int], reduction: Reduction = .mean) -> Tensor {
    crossEntropy(logits, Tensor(scalars: classIndices.map(Double.init), shape: [classIndices.count]), reduction: reduction)
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
