// Operations that rearrange values without arithmetic: view/reshape, squeeze, permute, expand,
// repeat, cat, stack, chunk, split. Storage is always contiguous, so `view` and `reshape` are the
// same operation; neither shares values with its input (editing one in place, outside the tape,
// leaves the other as it was).

extension Tensor {
    /// The same values with a new shape; one dimension may be -1 (inferred): `x.view(-1, 3)`.
    public func view(_ shape: Int...) -> Tensor { reshape(shape, function: "view") }

    /// The same values with a new shape; one dimension may be -1 (inferred): `x.view([4, 3])`.
    public func view(_ shape: [Int]) -> Tensor { reshape(shape, function: "view") }

    /// The same values with the shape of `other` (PyTorch's `view_as`).
    public func viewAs(_ other: Tensor) -> Tensor { reshape(other.shape, function: "viewAs") }

    /// The same values with a new shape; one dimension may be -1 (inferred): `x.reshape(2, -1)`.
    public func reshape(_ shape: Int...) -> Tensor { reshape(shape, function: "reshape") }

    /// The same values with a new shape; one dimension may be -1 (inferred): `x.reshape([2, -1])`.
    public func reshape(_ shape: [Int]) -> Tensor { reshape(shape, function: "reshape") }

    /// The same values with the shape of `other` (PyTorch's `reshape_as`).
    public func reshapeAs(_ other: Tensor) -> Tensor { reshape(other.shape, function: "reshapeAs") }

    /// Same as `reshape(_:)`.
    public func reshaped(_ newShape: Int...) -> Tensor { reshape(newShape, function: "reshaped") }

    /// Same as `reshape(_:)`.
    public func reshaped(_ newShape: [Int]) -> Tensor { reshape(newShape, function: "reshaped") }

    private func reshape(_ newShape: [Int], function: String) -> Tensor {
        var target = newShape
        let inferred = target.indices.filter { target[$0] == -1 }
        require(inferred.count <= 1, "\(function): only one dimension can be -1, got \(newShape).")
        require(target.allSatisfy { $0 >= -1 }, "\(function): invalid size in shape \(newShape); sizes are non-negative or -1.")
        if let axis = inferred.first {
            let known = target.enumerated().filter { $0.offset != axis }.reduce(1) { $0 * $1.element }
            require(known > 0 && count % known == 0, "\(function): cannot reshape \(shape) (\(count) elements) into \(newShape).")
            target[axis] = count / known
        }
        require(shapeElementCount(target) == count, "\(function): cannot reshape \(shape) (\(count) elements) into \(newShape).")
        return Tensor(shape: target, storage: storage, parents: [self]) { g in [g] }
    }

    /// Dimensions `startDim` through `endDim` merged into one: `x.flatten(startDim: 1)` turns
    /// `[N, C, H, W]` into `[N, C·H·W]`. A zero-dimensional tensor becomes one-dimensional.
    public func flatten(startDim: Int = 0, endDim: Int = -1) -> Tensor {
        if rank == 0 { return reshape([1], function: "flatten") }
        let start = normalizedAxis(startDim, rank: rank, function: "flatten")
        let end = normalizedAxis(endDim, rank: rank, function: "flatten")
        require(start <= end, "flatten: startDim \(startDim) comes after endDim \(endDim) for shape \(shape).")
        let merged = shape[start...end].reduce(1, *)
        return reshape(Array(shape[..<start]) + [merged] + Array(shape[(end + 1)...]), function: "flatten")
    }

    /// All values in one dimension; same as `flatten()`.
    public func flattened() -> Tensor { flatten() }

    /// Inserts a dimension of size 1 at `dim` (which may be negative, counting from rank + 1):
    /// `Tensor.zeros(3).unsqueeze(0).shape == [1, 3]`.
    public func unsqueeze(_ dim: Int) -> Tensor {
        let axis = dim < 0 ? dim + rank + 1 : dim
        require(axis >= 0 && axis <= rank, "unsqueeze: dimension \(dim) is out of range for a tensor of shape \(shape) (valid: \(-rank - 1)...\(rank)).")
        var s = shape
        s.insert(1, at: axis)
        return reshape(s, function: "unsqueeze")
    }

    /// Same as `unsqueeze(_:)`.
    public func unsqueezed(_ dim: Int) -> Tensor { unsqueeze(dim) }

    /// Removes dimension `dim` if it has size 1 (otherwise returns the same values), or every
    /// size-1 dimension when `dim` is nil, as PyTorch's `squeeze`.
    public func squeeze(_ dim: Int? = nil) -> Tensor {
        guard let dim else { return reshape(shape.filter { $0 != 1 }, function: "squeeze") }
        return squeeze(dims: [dim])
    }

    /// Removes those of the dimensions `dims` that have size 1.
    public func squeeze(dims: [Int]) -> Tensor {
        let axes = Set(dims.map { normalizedAxis($0, rank: rank, function: "squeeze") })
        if rank == 0 { return reshape(shape, function: "squeeze") }
        let kept = shape.enumerated().filter { !(axes.contains($0.offset) && $0.element == 1) }.map(\.element)
        return reshape(kept, function: "squeeze")
    }

    /// Same as `squeeze(_:)`.
    public func squeezed(_ dim: Int? = nil) -> Tensor { squeeze(dim) }

    /// Repeats size-1 dimensions (and adds leading ones) to reach `sizes`; -1 keeps a size:
    /// `Tensor.zeros(3, 1).expand(3, 4)`, `x.expand(2, -1, -1)`.
    public func expand(_ sizes: Int...) -> Tensor { expand(sizes) }

    /// Repeats size-1 dimensions (and adds leading ones) to reach `sizes`; -1 keeps a size.
    public func expand(_ sizes: [Int]) -> Tensor {
        require(sizes.count >= rank, "expand: the new shape \(sizes) has fewer dimensions than the tensor's shape \(shape).")
        let leading = sizes.count - rank
        let target = sizes.enumerated().map { i, size -> Int in
            if size == -1 {
                require(i >= leading, "expand: -1 is not allowed for the new leading dimension \(i) in \(sizes).")
                return shape[i - leading]
            }
            return size
        }
        return expanded(to: target, function: "expand")
    }

    /// Expanded to the shape of `other` (PyTorch's `expand_as`).
    public func expandAs(_ other: Tensor) -> Tensor { expanded(to: other.shape, function: "expandAs") }

    /// Repeats size-1 dimensions (and adds leading ones) to reach `target`, as `expand` does.
    public func expanded(to target: [Int]) -> Tensor { expanded(to: target, function: "expanded") }

    private func expanded(to target: [Int], function: String) -> Tensor {
        guard target.allSatisfy({ $0 >= 0 }), let check = broadcastShape(shape, target), check == target else {
            requirementFailed("\(function): shape \(shape) cannot be expanded to \(target); only dimensions of size 1 can grow.")
        }
        let original = shape
        return Tensor(shape: target, storage: expandValues(storage, from: shape, to: target), parents: [self]) { g in
            [reduceToShape(g, from: target, to: original)]
        }
    }

    /// Tiles the tensor `repeats[i]` times along dimension i (PyTorch's `repeat`, NumPy's
    /// `tile`); extra leading counts add dimensions: `Tensor([1, 2]).repeat(2, 2)` has shape [2, 4].
    public func `repeat`(_ repeats: Int...) -> Tensor { self.repeat(repeats) }

    /// Tiles the tensor `repeats[i]` times along dimension i.
    public func `repeat`(_ repeats: [Int]) -> Tensor {
        require(repeats.count >= rank,
                "repeat: \(repeats.count) repeat counts \(repeats) are fewer than the \(rank) dimensions of shape \(shape).")
        require(repeats.allSatisfy { $0 >= 0 }, "repeat: repeat counts must be non-negative, got \(repeats).")
        let padded = [Int](repeating: 1, count: repeats.count - rank) + shape
        // Each size s with count r becomes the pair (1, s) expanded to (r, s), then merged into r·s.
        let pairs = padded.flatMap { [1, $0] }
        let tiled = zip(repeats, padded).flatMap { [$0, $1] }
        return reshape(pairs, function: "repeat").expanded(to: tiled, function: "repeat")
            .reshape(zip(repeats, padded).map { $0 * $1 }, function: "repeat")
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

    /// Swaps dimensions `dim0` and `dim1` (negative counts from the end): `x.transpose(0, 1)`.
    public func transpose(_ dim0: Int, _ dim1: Int) -> Tensor {
        let a = normalizedAxis(dim0, rank: rank, function: "transpose"), b = normalizedAxis(dim1, rank: rank, function: "transpose")
        if rank < 2 || a == b { return permute(Array(0..<rank)) }
        var axes = Array(0..<rank)
        axes.swapAt(a, b)
        return permute(axes)
    }

    /// Swaps two dimensions; without arguments, the last two (the matrix transpose).
    public func transposed(_ dim0: Int = -2, _ dim1: Int = -1) -> Tensor {
        require(rank >= 2 || (rank == 1 && dim0 == -2 && dim1 == -1), "transposed: needs at least 2 dimensions, got shape \(shape).")
        if rank < 2 { return self }
        return transpose(dim0, dim1)
    }

    /// The dimensions in reverse order (PyTorch's `.T`): the transpose of a matrix; a tensor of
    /// fewer than two dimensions is returned as it is.
    public var T: Tensor { rank < 2 ? self : permute(Array((0..<rank).reversed())) }

    /// The last two dimensions swapped (PyTorch's `.mT`): a batch of matrices, each transposed.
    public var mT: Tensor {
        require(rank >= 2, "mT: needs at least 2 dimensions, got shape \(shape).")
        return transpose(-2, -1)
    }

    /// The sub-tensor at `index` along `dim`; that dimension disappears.
    public func select(dim: Int, index: Int) -> Tensor {
        require(rank > 0, "select: a zero-dimensional tensor cannot be indexed.")
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
        require(rank > 0, "narrow: a zero-dimensional tensor cannot be sliced.")
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
    require(tensors.allSatisfy { $0.rank > 0 }, "cat: zero-dimensional tensors cannot be concatenated; use stack, or unsqueeze(0) them first.")
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

extension Tensor {
    /// Joins tensors along an existing dimension (PyTorch's `torch.cat`); same as the free function `cat`.
    public static func cat(_ tensors: [Tensor], dim: Int = 0) -> Tensor { TensorForge.cat(tensors, dim: dim) }

    /// Joins tensors of equal shape along a new dimension (PyTorch's `torch.stack`); same as the free function `stack`.
    public static func stack(_ tensors: [Tensor], dim: Int = 0) -> Tensor { TensorForge.stack(tensors, dim: dim) }

    /// Splits into `chunks` pieces along `dim`, each ⌈size / chunks⌉ long except the last, as
    /// PyTorch's `chunk` (so there may be fewer than `chunks` pieces): `x.chunk(3, dim: 1)`.
    public func chunk(_ chunks: Int, dim: Int = 0) -> [Tensor] {
        require(chunks > 0, "chunk: the number of chunks must be positive, got \(chunks).")
        require(rank > 0, "chunk: a zero-dimensional tensor cannot be split.")
        let size = shape[normalizedAxis(dim, rank: rank, function: "chunk")]
        if size == 0 { return split([Int](repeating: 0, count: chunks), dim: dim) }
        return split((size + chunks - 1) / chunks, dim: dim)
    }

    /// Splits into pieces of `splitSize` along `dim`; the last piece is shorter when `splitSize`
    /// does not divide the size: `Tensor.arange(5).split(2)` gives `[0, 1]`, `[2, 3]`, `[4]`.
    public func split(_ splitSize: Int, dim: Int = 0) -> [Tensor] {
        require(rank > 0, "split: a zero-dimensional tensor cannot be split.")
        let axis = normalizedAxis(dim, rank: rank, function: "split")
        let size = shape[axis]
        require(splitSize > 0 || (splitSize == 0 && size == 0), "split: split size must be positive, got \(splitSize) for dimension \(axis) of shape \(shape).")
        if size == 0 { return [narrow(dim: axis, range: 0..<0)] }
        return stride(from: 0, to: size, by: splitSize).map { narrow(dim: axis, range: $0..<Swift.min($0 + splitSize, size)) }
    }

    /// Splits along `dim` into pieces of the given sizes, which must add up to that dimension's
    /// size: `x.split([2, 1], dim: 1)`.
    public func split(_ sizes: [Int], dim: Int = 0) -> [Tensor] {
        require(rank > 0, "split: a zero-dimensional tensor cannot be split.")
        let axis = normalizedAxis(dim, rank: rank, function: "split")
        require(sizes.allSatisfy { $0 >= 0 } && sizes.reduce(0, +) == shape[axis],
                "split: sizes \(sizes) must be non-negative and add up to \(shape[axis]), the size of dimension \(axis) of shape \(shape).")
        var start = 0
        return sizes.map { size in
            defer { start += size }
            return narrow(dim: axis, range: start..<(start + size))
        }
    }

    /// The slices along `dim`, each without that dimension (PyTorch's `unbind`).
    public func unbind(dim: Int = 0) -> [Tensor] {
        require(rank > 0, "unbind: a zero-dimensional tensor has no dimension to unbind.")
        let axis = normalizedAxis(dim, rank: rank, function: "unbind")
        return (0..<shape[axis]).map { select(dim: axis, index: $0) }
    }
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
