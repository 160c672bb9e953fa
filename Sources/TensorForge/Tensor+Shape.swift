// Operations that rearrange values without arithmetic: reshape, permute, select, slice, cat, stack.

extension Tensor {
    /// The same values with a new shape; one dimension may be -1 (inferred).
    public func reshaped(_ newShape: Int...) -> Tensor { reshaped(newShape) }

    /// The same values with a new shape; one dimension may be -1 (inferred).
    public func reshaped(_ newShape: [Int]) -> Tensor {
        var target = newShape
        let inferred = target.indices.filter { target[$0] == -1 }
        require(inferred.count <= 1, "reshaped: only one dimension can be -1, got \(newShape).")
        if let axis = inferred.first {
            let known = target.enumerated().filter { $0.offset != axis }.reduce(1) { $0 * $1.element }
            require(known > 0 && count % known == 0, "reshaped: cannot reshape \(shape) into \(newShape).")
            target[axis] = count / known
        }
        require(shapeElementCount(target) == count, "reshaped: cannot reshape \(shape) (\(count) elements) into \(newShape).")
        return Tensor(shape: target, storage: storage, parents: [self]) { g in [g] }
    }

    /// All values in one dimension.
    public func flattened() -> Tensor { reshaped([count]) }

    /// Inserts a dimension of size 1 at `dim`.
    public func unsqueezed(_ dim: Int) -> Tensor {
        let axis = dim < 0 ? dim + rank + 1 : dim
        require(axis >= 0 && axis <= rank, "unsqueezed: dimension \(dim) is out of range for rank \(rank).")
        var s = shape
        s.insert(1, at: axis)
        return reshaped(s)
    }

    /// Removes dimension `dim` if it has size 1, or every size-1 dimension when `dim` is nil.
    public func squeezed(_ dim: Int? = nil) -> Tensor {
        if let dim {
            let axis = normalizedAxis(dim, rank: rank)
            guard shape[axis] == 1 else { return self }
            var s = shape
            s.remove(at: axis)
            return reshaped(s)
        }
        return reshaped(shape.filter { $0 != 1 })
    }

    /// Repeats size-1 dimensions (and adds leading ones) to reach `target`, as `expand` does.
    public func expanded(to target: [Int]) -> Tensor {
        guard let check = broadcastShape(shape, target), check == target else {
            requirementFailed("expanded: shape \(shape) cannot be expanded to \(target).")
        }
        let original = shape
        return Tensor(shape: target, storage: expandValues(storage, from: shape, to: target), parents: [self]) { g in
            [reduceToShape(g, from: target, to: original)]
        }
    }

    /// Reorders dimensions: result dimension i is input dimension `dims[i]`.
    public func permute(_ dims: Int...) -> Tensor { permute(dims) }

    /// Reorders dimensions: result dimension i is input dimension `dims[i]`.
    public func permute(_ dims: [Int]) -> Tensor {
        let axes = dims.map { normalizedAxis($0, rank: rank) }
        require(axes.sorted() == Array(0..<rank), "permute: \(dims) is not a permutation of the \(rank) dimensions of \(shape).")
        var inverse = [Int](repeating: 0, count: rank)
        for (i, a) in axes.enumerated() { inverse[a] = i }
        let outShape = axes.map { shape[$0] }
        let values = permuteValues(storage, shape: shape, axes: axes)
        return Tensor(shape: outShape, storage: values, parents: [self]) { g in
            [permuteValues(g, shape: outShape, axes: inverse)]
        }
    }

    /// Swaps two dimensions; without arguments, the matrix transpose of a 2-D tensor.
    public func transposed(_ dim0: Int = -2, _ dim1: Int = -1) -> Tensor {
        require(rank >= 2 || (rank == 1 && dim0 == -2 && dim1 == -1), "transposed: needs at least 2 dimensions, got shape \(shape).")
        if rank < 2 { return self }
        var axes = Array(0..<rank)
        axes.swapAt(normalizedAxis(dim0, rank: rank), normalizedAxis(dim1, rank: rank))
        return permute(axes)
    }

    /// The matrix transpose of a 2-D tensor (PyTorch's `.T`).
    public var T: Tensor { transposed() }

    /// The sub-tensor at `index` along the first dimension (negative counts from the end).
    public subscript(index: Int) -> Tensor { select(dim: 0, index: index) }

    /// Rows `range` along the first dimension.
    public subscript(range: Range<Int>) -> Tensor { narrow(dim: 0, range: range) }

    /// Two indices: `x[i, j]` selects along the first two dimensions.
    public subscript(i: Int, j: Int) -> Tensor { select(dim: 0, index: i).select(dim: 0, index: j) }

    /// The sub-tensor at `index` along `dim`; that dimension disappears.
    public func select(dim: Int, index: Int) -> Tensor {
        let axis = normalizedAxis(dim, rank: rank)
        let size = shape[axis]
        let i = index < 0 ? index + size : index
        require(i >= 0 && i < size, "select: index \(index) is out of range for dimension \(axis) of size \(size) in shape \(shape).")
        var s = shape
        s.remove(at: axis)
        return narrow(dim: axis, range: i..<(i + 1)).reshaped(s)
    }

    /// Elements `range` along `dim` (a slice; PyTorch's `narrow` or `x[:, a:b]`).
    public func narrow(dim: Int, range: Range<Int>) -> Tensor {
        let axis = normalizedAxis(dim, rank: rank)
        let size = shape[axis]
        require(range.lowerBound >= 0 && range.upperBound <= size,
                     "narrow: range \(range) is out of bounds for dimension \(axis) of size \(size) in shape \(shape).")
        let outer = shape[..<axis].reduce(1, *), inner = shape[(axis + 1)...].reduce(1, *)
        let length = range.count
        var outShape = shape
        outShape[axis] = length
        let start = range.lowerBound
        let source = storage
        let values = [Double](unsafeUninitializedCapacity: outer * length * inner) { out, initialized in
            source.withUnsafeBufferPointer { src in
                for o in 0..<outer {
                    let from = (o * size + start) * inner, to = o * length * inner
                    for k in 0..<(length * inner) { out[to + k] = src[from + k] }
                }
            }
            initialized = outer * length * inner
        }
        let fullCount = count
        return Tensor(shape: outShape, storage: values, parents: [self]) { g in
            var full = [Double](repeating: 0, count: fullCount)
            for o in 0..<outer {
                let to = (o * size + start) * inner, from = o * length * inner
                for k in 0..<(length * inner) { full[to + k] = g[from + k] }
            }
            return [full]
        }
    }
}

/// Joins tensors along an existing dimension; all other dimensions must match.
public func cat(_ tensors: [Tensor], dim: Int = 0) -> Tensor {
    require(!tensors.isEmpty, "cat: needs at least one tensor.")
    let first = tensors[0]
    let axis = normalizedAxis(dim, rank: first.rank)
    for t in tensors {
        var a = t.shape, b = first.shape
        require(a.count == b.count, "cat: tensors must have the same rank, got \(first.shape) and \(t.shape).")
        a[axis] = 0; b[axis] = 0
        require(a == b, "cat: shapes \(first.shape) and \(t.shape) differ outside dimension \(axis).")
    }
    let outer = first.shape[..<axis].reduce(1, *), inner = first.shape[(axis + 1)...].reduce(1, *)
    let sizes = tensors.map { $0.shape[axis] }
    let total = sizes.reduce(0, +)
    var outShape = first.shape
    outShape[axis] = total
    var values = [Double](repeating: 0, count: outer * total * inner)
    var offset = 0
    for (t, size) in zip(tensors, sizes) {
        let chunk = size * inner
        t.storage.withUnsafeBufferPointer { src in
            for o in 0..<outer {
                let to = (o * total + offset) * inner
                for k in 0..<chunk { values[to + k] = src[o * chunk + k] }
            }
        }
        offset += size
    }
    return Tensor(shape: outShape, storage: values, parents: tensors) { g in
        var grads: [[Double]?] = []
        var offset = 0
        for (t, size) in zip(tensors, sizes) {
            defer { offset += size }
            guard t.requiresGrad else { grads.append(nil); continue }
            let chunk = size * inner
            var part = [Double](repeating: 0, count: outer * chunk)
            for o in 0..<outer {
                let from = (o * total + offset) * inner
                for k in 0..<chunk { part[o * chunk + k] = g[from + k] }
            }
            grads.append(part)
        }
        return grads
    }
}

/// Joins tensors of equal shape along a new dimension.
public func stack(_ tensors: [Tensor], dim: Int = 0) -> Tensor {
    require(!tensors.isEmpty, "stack: needs at least one tensor.")
    let shape = tensors[0].shape
    for t in tensors { require(t.shape == shape, "stack: all tensors need the same shape, got \(shape) and \(t.shape).") }
    let axis = dim < 0 ? dim + shape.count + 1 : dim
    require(axis >= 0 && axis <= shape.count, "stack: dimension \(dim) is out of range for rank \(shape.count + 1).")
    return cat(tensors.map { $0.unsqueezed(axis) }, dim: axis)
}

/// Reorders a row-major array of `shape` so that result dimension i is source dimension `axes[i]`.
func permuteValues(_ values: [Double], shape: [Int], axes: [Int]) -> [Double] {
    let rank = shape.count
    if axes == Array(0..<rank) { return values }
    let n = values.count
    let sourceStrides = contiguousStrides(shape)
    let outShape = axes.map { shape[$0] }
    if rank == 2 {
        let rows = shape[0], cols = shape[1]
        return [Double](unsafeUninitializedCapacity: n) { out, initialized in
            values.withUnsafeBufferPointer { src in
                for r in 0..<rows { for c in 0..<cols { out[c * rows + r] = src[r * cols + c] } }
            }
            initialized = n
        }
    }
    let strides = axes.map { sourceStrides[$0] }
    let zeros = [Int](repeating: 0, count: rank)
    return [Double](unsafeUninitializedCapacity: n) { out, initialized in
        values.withUnsafeBufferPointer { src in
            forEachBroadcastPair(outShape, strides, zeros) { o, i, _ in out[o] = src[i] }
        }
        initialized = n
    }
}
