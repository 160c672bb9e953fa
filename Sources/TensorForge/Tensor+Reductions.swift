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

    /// Variance over `dims` (all when nil) with Bessel's `correction`, as PyTorch's `var`:
    /// Σ(x − mean)² / max(0, n − correction), so the default divides by n − 1 and
    /// `correction: 0` gives the population variance. `x.var()`, `x.var(dims: [0, 1], keepDim: true)`.
    public func `var`(dims: [Int]? = nil, correction: Int = 1, keepDim: Bool = false) -> Tensor {
        let dims = dims ?? Array(0..<rank)
        let axes = resolvedAxes(dims, "var")
        let n = axes.reduce(1) { $0 * shape[$1] }
        let centered = self - mean(dims: dims, keepDim: true)
        return (centered * centered).sum(dims: dims, keepDim: keepDim) / Double(Swift.max(0, n - correction))
    }

    /// Variance along one dimension with Bessel's `correction` (default 1): `x.var(dim: 0)`.
    public func `var`(dim: Int, correction: Int = 1, keepDim: Bool = false) -> Tensor {
        self.var(dims: [dim], correction: correction, keepDim: keepDim)
    }

    /// Standard deviation over `dims` (all when nil): √var, with the same `correction` (default 1).
    public func std(dims: [Int]? = nil, correction: Int = 1, keepDim: Bool = false) -> Tensor {
        self.var(dims: dims, correction: correction, keepDim: keepDim).sqrt()
    }

    /// Standard deviation along one dimension: `x.std(dim: 1, keepDim: true)`.
    public func std(dim: Int, correction: Int = 1, keepDim: Bool = false) -> Tensor {
        self.var(dims: [dim], correction: correction, keepDim: keepDim).sqrt()
    }

    /// Variance of all elements; `unbiased` divides by n − 1 as PyTorch's `var` does by default.
    public func variance(unbiased: Bool = true) -> Tensor { self.var(correction: unbiased ? 1 : 0) }

    /// Variance over the given dimensions.
    public func variance(dims: [Int], unbiased: Bool = true, keepDim: Bool = false) -> Tensor {
        self.var(dims: dims, correction: unbiased ? 1 : 0, keepDim: keepDim)
    }

    /// Variance over one dimension.
    public func variance(dim: Int, unbiased: Bool = true, keepDim: Bool = false) -> Tensor {
        self.var(dims: [dim], correction: unbiased ? 1 : 0, keepDim: keepDim)
    }

    /// Standard deviation over the given dimensions (all when nil).
    public func standardDeviation(dims: [Int]? = nil, unbiased: Bool = true, keepDim: Bool = false) -> Tensor {
        std(dims: dims, correction: unbiased ? 1 : 0, keepDim: keepDim)
    }

    /// The p-norm over `dims` (all when nil), as PyTorch's `norm` and `linalg.vector_norm`:
    /// (Σ|x|ᵖ)^(1/p); `p: .infinity` is max|x|, `p: 0` counts non-zero elements. Where the norm is 0
    /// the gradient is 0; at ties of the ∞-norm it is shared evenly.
    public func norm(p: Double = 2, dims: [Int]? = nil, keepDim: Bool = false) -> Tensor {
        let axes = dims.map { resolvedAxes($0, "norm") } ?? Set(0..<rank)
        let kept = keptShape(axes), inputShape = shape
        let x = storage
        let magnitudes = mapValues(x) { Swift.abs($0) }
        let values: [Double]
        switch p {
        case .infinity, -.infinity:
            require(count > 0, "norm: the \(p)-norm of an empty tensor (shape \(shape)) is undefined.")
            values = groupExtremes(magnitudes, kept: kept, largest: p > 0)
        case 0: values = reduceToShape(mapValues(x) { $0 != 0 ? 1 : 0 }, from: shape, to: kept)
        case 1: values = reduceToShape(magnitudes, from: shape, to: kept)
        case 2: values = mapValues(reduceToShape(mapValues(x) { $0 * $0 }, from: shape, to: kept), Foundation.sqrt)
        default: values = mapValues(reduceToShape(mapValues(magnitudes) { Foundation.pow($0, p) }, from: shape, to: kept)) { Foundation.pow($0, 1 / p) }
        }
        return Tensor(shape: outputShape(axes, keepDim: keepDim), storage: values, parents: [self]) { g in
            let gs = expandValues(g, from: kept, to: inputShape), norms = expandValues(values, from: kept, to: inputShape)
            var dx = [Double](repeating: 0, count: x.count)
            switch p {
            case 0: break
            case 1: for i in x.indices { dx[i] = x[i] > 0 ? gs[i] : (x[i] < 0 ? -gs[i] : 0) }
            case 2: for i in x.indices where norms[i] != 0 { dx[i] = gs[i] * x[i] / norms[i] }
            case .infinity, -.infinity:
                let ties = zipValues(magnitudes, norms) { $0 == $1 ? 1 : 0 }
                let counts = expandValues(reduceToShape(ties, from: inputShape, to: kept), from: kept, to: inputShape)
                for i in x.indices where ties[i] == 1 && x[i] != 0 { dx[i] = (x[i] > 0 ? gs[i] : -gs[i]) / counts[i] }
            default:
                for i in x.indices where x[i] != 0 && norms[i] != 0 {
                    dx[i] = gs[i] * x[i] * Foundation.pow(magnitudes[i], p - 2) / Foundation.pow(norms[i], p - 1)
                }
            }
            return [dx]
        }
    }

    /// The p-norm along one dimension: `x.norm(p: 1, dim: 1)`.
    public func norm(p: Double = 2, dim: Int, keepDim: Bool = false) -> Tensor {
        norm(p: p, dims: [dim], keepDim: keepDim)
    }

    /// Product of all elements (a zero-dimensional tensor).
    public func prod() -> Tensor { flatten().prod(dim: 0) }

    /// Product along `dim`; the gradient is right where elements are zero (the product of the others).
    public func prod(dim: Int, keepDim: Bool = false) -> Tensor {
        let (axis, outer, size, inner) = along(dim, "prod")
        let x = storage
        var values = [Double](repeating: 1, count: outer * inner)
        for o in 0..<outer { for j in 0..<size { for k in 0..<inner { values[o * inner + k] *= x[(o * size + j) * inner + k] } } }
        return Tensor(shape: outputShape(axis.map { [$0] } ?? [], keepDim: keepDim), storage: values, parents: [self]) { g in
            // ∂/∂xⱼ = Π_{i≠j} xᵢ = (product before j)·(product after j), exact with zeros.
            var dx = [Double](repeating: 0, count: x.count)
            for o in 0..<outer {
                for k in 0..<inner {
                    var before = 1.0
                    var after = [Double](repeating: 1, count: size + 1)
                    for j in stride(from: size - 1, through: 0, by: -1) { after[j] = after[j + 1] * x[(o * size + j) * inner + k] }
                    for j in 0..<size {
                        let i = (o * size + j) * inner + k
                        dx[i] = g[o * inner + k] * before * after[j + 1]
                        before *= x[i]
                    }
                }
            }
            return [dx]
        }
    }

    /// log Σ exp(x) over `dims`, computed with the maximum subtracted so that it neither overflows
    /// nor underflows (PyTorch's `logsumexp`): `logits.logsumexp(dim: 1)`.
    public func logsumexp(dims: [Int], keepDim: Bool = false) -> Tensor {
        let axes = resolvedAxes(dims, "logsumexp")
        let kept = keptShape(axes), inputShape = shape
        let x = storage
        // An infinite maximum (all −∞, or a +∞) is not subtracted: the result is then that infinity.
        let shifts = mapValues(groupExtremes(x, kept: kept, largest: true)) { $0.isFinite ? $0 : 0 }
        let shifted = zipValues(x, expandValues(shifts, from: kept, to: shape)) { Foundation.exp($0 - $1) }
        let values = zipValues(reduceToShape(shifted, from: shape, to: kept), shifts) { Foundation.log($0) + $1 }
        return Tensor(shape: outputShape(axes, keepDim: keepDim), storage: values, parents: [self]) { g in
            // ∂/∂x = softmax(x) = exp(x − logsumexp).
            let gs = expandValues(g, from: kept, to: inputShape), out = expandValues(values, from: kept, to: inputShape)
            return [x.indices.map { gs[$0] * Foundation.exp(x[$0] - out[$0]) }]
        }
    }

    /// log Σ exp(x) along one dimension.
    public func logsumexp(dim: Int, keepDim: Bool = false) -> Tensor { logsumexp(dims: [dim], keepDim: keepDim) }

    /// Running sums along `dim` (PyTorch's `cumsum`): `Tensor([1, 2, 3]).cumsum(dim: 0)` is `[1, 3, 6]`.
    public func cumsum(dim: Int) -> Tensor {
        let (_, outer, size, inner) = along(dim, "cumsum")
        var values = storage
        for o in 0..<outer { for j in 1..<Swift.max(size, 1) { for k in 0..<inner { values[(o * size + j) * inner + k] += values[(o * size + j - 1) * inner + k] } } }
        return Tensor(shape: shape, storage: values, parents: [self]) { g in
            // The adjoint of a running sum is a running sum from the end.
            var dx = g
            for o in 0..<outer {
                for j in stride(from: size - 2, through: 0, by: -1) { for k in 0..<inner { dx[(o * size + j) * inner + k] += dx[(o * size + j + 1) * inner + k] } }
            }
            return [dx]
        }
    }

    /// Largest element; at ties the gradient is shared evenly, as in PyTorch.
    public func max() -> Tensor { extreme(dims: Array(0..<rank), keepDim: false, largest: true, "max") }

    /// Smallest element; at ties the gradient is shared evenly, as in PyTorch.
    public func min() -> Tensor { extreme(dims: Array(0..<rank), keepDim: false, largest: false, "min") }

    /// Largest values over `dims` (PyTorch's `amax`); at ties the gradient is shared evenly.
    public func amax(dims: [Int], keepDim: Bool = false) -> Tensor { extreme(dims: dims, keepDim: keepDim, largest: true, "amax") }

    /// Smallest values over `dims` (PyTorch's `amin`); at ties the gradient is shared evenly.
    public func amin(dims: [Int], keepDim: Bool = false) -> Tensor { extreme(dims: dims, keepDim: keepDim, largest: false, "amin") }

    /// Largest values along one dimension, without indices (PyTorch's `amax`).
    public func amax(dim: Int, keepDim: Bool = false) -> Tensor { amax(dims: [dim], keepDim: keepDim) }

    /// Smallest values along one dimension, without indices (PyTorch's `amin`).
    public func amin(dim: Int, keepDim: Bool = false) -> Tensor { amin(dims: [dim], keepDim: keepDim) }

    /// Largest values along `dim` and their positions (the first at ties, a NaN if any), as
    /// PyTorch's `max(dim)`; the gradient goes to those positions:
    /// `let (values, indices) = logits.max(dim: 1)`.
    public func max(dim: Int, keepDim: Bool = false) -> (values: Tensor, indices: Tensor) {
        extremeAlong(dim, keepDim: keepDim, largest: true, "max")
    }

    /// Smallest values along `dim` and their positions (the first at ties), as PyTorch's `min(dim)`.
    public func min(dim: Int, keepDim: Bool = false) -> (values: Tensor, indices: Tensor) {
        extremeAlong(dim, keepDim: keepDim, largest: false, "min")
    }

    /// Position of the largest element in the flattened tensor (the first at ties), as a
    /// zero-dimensional tensor: `x.argmax().item`.
    public func argmax() -> Tensor { flatten().extremeAlong(0, keepDim: false, largest: true, "argmax").indices }

    /// Position of the smallest element in the flattened tensor (the first at ties).
    public func argmin() -> Tensor { flatten().extremeAlong(0, keepDim: false, largest: false, "argmin").indices }

    /// Positions of the largest values along `dim` (the first at ties), as whole-number Doubles;
    /// not differentiable.
    public func argmax(dim: Int, keepDim: Bool = false) -> Tensor {
        extremeAlong(dim, keepDim: keepDim, largest: true, "argmax").indices
    }

    /// Positions of the smallest values along `dim` (the first at ties); not differentiable.
    public func argmin(dim: Int, keepDim: Bool = false) -> Tensor {
        extremeAlong(dim, keepDim: keepDim, largest: false, "argmin").indices
    }

    /// Dimension `dim` resolved (nil for a zero-dimensional tensor, treated as one element) and the
    /// sizes before, along and after it.
    private func along(_ dim: Int, _ function: String) -> (axis: Int?, outer: Int, size: Int, inner: Int) {
        let axis = normalizedAxis(dim, rank: rank, function: function)
        if rank == 0 { return (nil, 1, 1, 1) }
        return (axis, shape[..<axis].reduce(1, *), shape[axis], shape[(axis + 1)...].reduce(1, *))
    }

    private func extremeAlong(_ dim: Int, keepDim: Bool, largest: Bool, _ function: String) -> (values: Tensor, indices: Tensor) {
        let (axis, outer, size, inner) = along(dim, function)
        require(size > 0, "\(function): dimension \(dim) of shape \(shape) is empty, so it has no \(largest ? "largest" : "smallest") value.")
        let x = storage
        var best = [Double](repeating: 0, count: outer * inner)
        var position = [Int](repeating: 0, count: outer * inner)
        for o in 0..<outer {
            for k in 0..<inner {
                var bestValue = x[o * size * inner + k], bestIndex = 0
                for j in 1..<Swift.max(size, 1) where !bestValue.isNaN {
                    let v = x[(o * size + j) * inner + k]
                    // NaN wins, as in PyTorch; a strict comparison keeps the first of equal values.
                    if v.isNaN || (largest ? v > bestValue : v < bestValue) { bestValue = v; bestIndex = j }
                }
                best[o * inner + k] = bestValue
                position[o * inner + k] = bestIndex
            }
        }
        let outShape = outputShape(axis.map { [$0] } ?? [], keepDim: keepDim)
        let values = Tensor(shape: outShape, storage: best, parents: [self]) { g in
            var dx = [Double](repeating: 0, count: x.count)
            for o in 0..<outer { for k in 0..<inner { dx[(o * size + position[o * inner + k]) * inner + k] = g[o * inner + k] } }
            return [dx]
        }
        return (values, Tensor(scalars: position.map(Double.init), shape: outShape))
    }

    private func extreme(dims: [Int], keepDim: Bool, largest: Bool, _ function: String) -> Tensor {
        require(count > 0, "\(function): the tensor of shape \(shape) is empty, so it has no \(largest ? "largest" : "smallest") value.")
        let axes = resolvedAxes(dims, function)
        let kept = keptShape(axes), inputShape = shape
        let x = storage
        let best = groupExtremes(x, kept: kept, largest: largest)
        return Tensor(shape: outputShape(axes, keepDim: keepDim), storage: best, parents: [self]) { g in
            let winners = zipValues(x, expandValues(best, from: kept, to: inputShape)) { $0 == $1 ? 1 : 0 }
            let counts = expandValues(reduceToShape(winners, from: inputShape, to: kept), from: kept, to: inputShape)
            let gs = expandValues(g, from: kept, to: inputShape)
            return [x.indices.map { winners[$0] == 1 ? gs[$0] / counts[$0] : 0 }]
        }
    }

    /// The largest (or smallest) of `values` (laid out as this tensor) in each group that reduces
    /// to one element of `kept`; NaN wins, as in PyTorch.
    private func groupExtremes(_ values: [Double], kept: [Int], largest: Bool) -> [Double] {
        var best = [Double](repeating: largest ? -.infinity : .infinity, count: shapeElementCount(kept))
        let strides = broadcastStrides(kept, to: shape)
        values.withUnsafeBufferPointer { x in
            forEachBroadcastPair(shape, strides, [Int](repeating: 0, count: rank)) { i, o, _ in
                let v = x[i]
                if v.isNaN || (largest ? v > best[o] : v < best[o]) { if !best[o].isNaN { best[o] = v } }
            }
        }
        return best
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

    func splitAround(_ dim: Int, function: String = #function) -> (outer: Int, size: Int, inner: Int) {
        require(rank > 0, "\(function): needs a tensor with at least one dimension, got shape \(shape).")
        let axis = normalizedAxis(dim, rank: rank, function: function)
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
