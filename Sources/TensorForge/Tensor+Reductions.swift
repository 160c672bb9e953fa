import Foundation

// Reductions over all elements or over given dimensions, and the softmax family.

extension Tensor {
    /// Shape of a reduction over `axes` with reduced dimensions kept as 1.
    fileprivate func keptShape(_ axes: Set<Int>) -> [Int] {
        shape.enumerated().map { axes.contains($0.offset) ? 1 : $0.element }
    }

    fileprivate func resolvedAxes(_ dims: [Int], _ function: String) -> Set<Int> {
        let axes = Set(dims.map { normalizedAxis($0, rank: rank, function: function) })
        require(axes.count == dims.count, "\(function): dimension listed twice in \(dims).")
        return axes
    }

    fileprivate func outputShape(_ axes: Set<Int>, keepDim: Bool) -> [Int] {
        keepDim ? keptShape(axes) : shape.enumerated().filter { !axes.contains($0.offset) }.map(\.element)
    }

    /// Sum of all elements (a zero-dimensional tensor).
    public func sum() -> Tensor {
        var total = 0.0
        storage.withUnsafeBufferPointer { for v in $0 { total += v } }
        let n = count
        return Tensor(shape: [], storage: [total], parents: [self]) { g in
            [[Double](repeating: g[0], count: n)]
        }
    }

    /// Sum over the given dimensions.
    public func sum(dims: [Int], keepDim: Bool = false) -> Tensor {
        let axes = resolvedAxes(dims, "sum")
        let kept = keptShape(axes), inputShape = shape
        let values = reduceToShape(storage, from: shape, to: kept)
        return Tensor(shape: outputShape(axes, keepDim: keepDim), storage: values, parents: [self]) { g in
            [expandValues(g, from: kept, to: inputShape)]
        }
    }

    /// Sum over one dimension.
    public func sum(dim: Int, keepDim: Bool = false) -> Tensor { sum(dims: [dim], keepDim: keepDim) }

    /// Mean of all elements.
    public func mean() -> Tensor { sum() / Double(count) }

    /// Mean over the given dimensions.
    public func mean(dims: [Int], keepDim: Bool = false) -> Tensor {
        let axes = resolvedAxes(dims, "mean")
        let n = axes.reduce(1) { $0 * shape[$1] }
        return sum(dims: dims, keepDim: keepDim) / Double(n)
    }

    /// Mean over one dimension.
    public func mean(dim: Int, keepDim: Bool = false) -> Tensor { mean(dims: [dim], keepDim: keepDim) }

    /// Variance of all elements; `unbiased` divides by n − 1 as PyTorch's `var` does by default.
    public func variance(unbiased: Bool = true) -> Tensor {
        variance(dims: Array(0..<rank), unbiased: unbiased)
    }

    /// Variance over the given dimensions.
    public func variance(dims: [Int], unbiased: Bool = true, keepDim: Bool = false) -> Tensor {
        let axes = resolvedAxes(dims, "variance")
        let n = axes.reduce(1) { $0 * shape[$1] }
        let centered = self - mean(dims: dims, keepDim: true)
        return (centered * centered).sum(dims: dims, keepDim: keepDim) / Double(unbiased ? n - 1 : n)
    }

    /// Variance over one dimension.
    public func variance(dim: Int, unbiased: Bool = true, keepDim: Bool = false) -> Tensor {
        variance(dims: [dim], unbiased: unbiased, keepDim: keepDim)
    }

    /// Standard deviation over the given dimensions (all when nil).
    public func standardDeviation(dims: [Int]? = nil, unbiased: Bool = true, keepDim: Bool = false) -> Tensor {
        variance(dims: dims ?? Array(0..<rank), unbiased: unbiased, keepDim: keepDim).sqrt()
    }

    /// The Euclidean (L2) norm of all elements; its gradient at 0 is 0.
    public func norm() -> Tensor {
        var s = 0.0
        storage.withUnsafeBufferPointer { for v in $0 { s += v * v } }
        let value = Foundation.sqrt(s)
        let x = storage
        return Tensor(shape: [], storage: [value], parents: [self]) { g in
            [value == 0 ? [Double](repeating: 0, count: x.count) : mapValues(x) { g[0] * $0 / value }]
        }
    }

    /// The L2 norm over the given dimensions.
    public func norm(dims: [Int], keepDim: Bool = false) -> Tensor {
        (self * self).sum(dims: dims, keepDim: keepDim).sqrt()
    }

    /// Largest element; the gradient goes to its first occurrence.
    public func max() -> Tensor { extreme(dims: Array(0..<rank), keepDim: false, largest: true) }

    /// Smallest element; the gradient goes to its first occurrence.
    public func min() -> Tensor { extreme(dims: Array(0..<rank), keepDim: false, largest: false) }

    /// Largest values over the given dimensions (PyTorch's `amax`).
    public func max(dims: [Int], keepDim: Bool = false) -> Tensor { extreme(dims: dims, keepDim: keepDim, largest: true) }

    /// Smallest values over the given dimensions (PyTorch's `amin`).
    public func min(dims: [Int], keepDim: Bool = false) -> Tensor { extreme(dims: dims, keepDim: keepDim, largest: false) }

    /// Largest values along one dimension.
    public func max(dim: Int, keepDim: Bool = false) -> Tensor { max(dims: [dim], keepDim: keepDim) }

    /// Smallest values along one dimension.
    public func min(dim: Int, keepDim: Bool = false) -> Tensor { min(dims: [dim], keepDim: keepDim) }

    private func extreme(dims: [Int], keepDim: Bool, largest: Bool) -> Tensor {
        require(count > 0, "max/min of an empty tensor is undefined.")
        let axes = resolvedAxes(dims, largest ? "max" : "min")
        let kept = keptShape(axes)
        let m = shapeElementCount(kept)
        var best = [Double](repeating: largest ? -.infinity : .infinity, count: m)
        var position = [Int](repeating: -1, count: m)
        let strides = broadcastStrides(kept, to: shape)
        let zeros = [Int](repeating: 0, count: rank)
        storage.withUnsafeBufferPointer { x in
            forEachBroadcastPair(shape, strides, zeros) { i, o, _ in
                let v = x[i]
                // NaN propagates, as in PyTorch.
                if position[o] < 0 || (largest ? v > best[o] : v < best[o]) || (v.isNaN && !best[o].isNaN) {
                    best[o] = v; position[o] = i
                }
            }
        }
        let n = count
        return Tensor(shape: outputShape(axes, keepDim: keepDim), storage: best, parents: [self]) { g in
            var full = [Double](repeating: 0, count: n)
            for (o, i) in position.enumerated() { full[i] += g[o] }
            return [full]
        }
    }

    /// Index of the largest value along `dim` (as Doubles, not differentiable).
    public func argmax(dim: Int, keepDim: Bool = false) -> Tensor {
        let axis = normalizedAxis(dim, rank: rank)
        let outer = shape[..<axis].reduce(1, *), size = shape[axis], inner = shape[(axis + 1)...].reduce(1, *)
        var result = [Double](repeating: 0, count: outer * inner)
        for o in 0..<outer {
            for k in 0..<inner {
                var bestIndex = 0
                var bestValue = -Double.infinity
                for j in 0..<size {
                    let v = storage[(o * size + j) * inner + k]
                    if v > bestValue { bestValue = v; bestIndex = j }
                }
                result[o * inner + k] = Double(bestIndex)
            }
        }
        return Tensor(scalars: result, shape: outputShape([axis], keepDim: keepDim))
    }

    /// Softmax along `dim`: eˣ / Σeˣ, computed with the maximum subtracted for stability.
    public func softmax(dim: Int) -> Tensor {
        let (outer, size, inner) = splitAround(dim)
        let y = softmaxValues(outer, size, inner, log: false)
        return Tensor(shape: shape, storage: y, parents: [self]) { g in
            // dx = y ⊙ (g − Σ g⊙y)
            var dx = [Double](repeating: 0, count: g.count)
            for o in 0..<outer {
                for k in 0..<inner {
                    var dot = 0.0
                    for j in 0..<size { let i = (o * size + j) * inner + k; dot += g[i] * y[i] }
                    for j in 0..<size { let i = (o * size + j) * inner + k; dx[i] = y[i] * (g[i] - dot) }
                }
            }
            return [dx]
        }
    }

    /// log(softmax(x)) along `dim`, computed directly (stable for very negative logits).
    public func logSoftmax(dim: Int) -> Tensor {
        let (outer, size, inner) = splitAround(dim)
        let y = softmaxValues(outer, size, inner, log: true)
        return Tensor(shape: shape, storage: y, parents: [self]) { g in
            // dx = g − softmax ⊙ Σ g
            var dx = [Double](repeating: 0, count: g.count)
            for o in 0..<outer {
                for k in 0..<inner {
                    var total = 0.0
                    for j in 0..<size { total += g[(o * size + j) * inner + k] }
                    for j in 0..<size { let i = (o * size + j) * inner + k; dx[i] = g[i] - Foundation.exp(y[i]) * total }
                }
            }
            return [dx]
        }
    }

    func splitAround(_ dim: Int) -> (outer: Int, size: Int, inner: Int) {
        let axis = normalizedAxis(dim, rank: rank)
        return (shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }

    private func softmaxValues(_ outer: Int, _ size: Int, _ inner: Int, log: Bool) -> [Double] {
        var y = [Double](repeating: 0, count: count)
        storage.withUnsafeBufferPointer { x in
            for o in 0..<outer {
                for k in 0..<inner {
                    var m = -Double.infinity
                    for j in 0..<size { m = Swift.max(m, x[(o * size + j) * inner + k]) }
                    var total = 0.0
                    for j in 0..<size { let i = (o * size + j) * inner + k; let e = Foundation.exp(x[i] - m); y[i] = e; total += e }
                    if log {
                        let logTotal = Foundation.log(total)
                        for j in 0..<size { let i = (o * size + j) * inner + k; y[i] = x[i] - m - logTotal }
                    } else {
                        for j in 0..<size { y[(o * size + j) * inner + k] /= total }
                    }
                }
            }
        }
        return y
    }
}
