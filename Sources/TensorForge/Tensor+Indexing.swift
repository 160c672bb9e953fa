// Picking values by position: subscripts with an index or a range per dimension, boolean masks,
// gather/scatter, indexSelect, where, maskedFill.
//
// Index tensors hold whole numbers stored as Doubles (as argmax and randint return them), and
// masks hold 0s and 1s (as the comparisons return them); both are checked when used.

// MARK: - Subscripts

/// One entry of a tensor subscript: an `Int`, a range of `Int`s (`1..<3`, `1...2`, `(-2)...`,
/// `..<2`), or a `TensorIndex` such as `.all`, `.newAxis`, `.ellipsis` or `.slice(0, nil, step: 2)`.
///
/// ```swift
/// x[0..., 1]           // x[:, 1]
/// x[.ellipsis, 0..<2]  // x[..., :2]
/// x[.newAxis, 1...]    // x[None, 1:]
/// ```
public protocol TensorIndexExpression {
    /// What this entry selects.
    var tensorIndex: TensorIndex { get }
}

/// What one entry of a tensor subscript selects, with Python's slicing rules: negative positions
/// count from the end, and slice bounds past either end are clamped (so `x[0..<100]` is all of a
/// shorter dimension), while a single index out of range is an error.
public struct TensorIndex: TensorIndexExpression, Sendable, Equatable {
    enum Kind: Equatable, Sendable {
        case single(Int)
        case slice(start: Int?, end: Int?, endIncluded: Bool, step: Int)
        case newAxis
        case ellipsis
    }
    let kind: Kind

    /// Itself.
    public var tensorIndex: TensorIndex { self }
}

extension TensorIndexExpression where Self == TensorIndex {
    /// Every position along the dimension (Python's `:`).
    public static var all: TensorIndex { TensorIndex(kind: .slice(start: nil, end: nil, endIncluded: false, step: 1)) }

    /// A new dimension of size 1 at this place (Python's `None`).
    public static var newAxis: TensorIndex { TensorIndex(kind: .newAxis) }

    /// As many `.all` as needed to cover the dimensions not indexed otherwise (Python's `...`).
    public static var ellipsis: TensorIndex { TensorIndex(kind: .ellipsis) }

    /// Positions `start`, `start + step`, … before `end` (Python's `start:end:step`); nil bounds
    /// mean the ends of the dimension: `x[.slice(step: 2)]` is `x[::2]`.
    public static func slice(_ start: Int? = nil, _ end: Int? = nil, step: Int = 1) -> TensorIndex {
        TensorIndex(kind: .slice(start: start, end: end, endIncluded: false, step: step))
    }
}

extension Int: TensorIndexExpression {
    /// One position; the dimension disappears.
    public var tensorIndex: TensorIndex { TensorIndex(kind: .single(self)) }
}

extension Range: TensorIndexExpression where Bound == Int {
    /// Positions `lowerBound..<upperBound`.
    public var tensorIndex: TensorIndex { TensorIndex(kind: .slice(start: lowerBound, end: upperBound, endIncluded: false, step: 1)) }
}

extension ClosedRange: TensorIndexExpression where Bound == Int {
    /// Positions `lowerBound...upperBound`.
    public var tensorIndex: TensorIndex { TensorIndex(kind: .slice(start: lowerBound, end: upperBound, endIncluded: true, step: 1)) }
}

extension PartialRangeFrom: TensorIndexExpression where Bound == Int {
    /// Positions from `lowerBound` to the end; `0...` is every position.
    public var tensorIndex: TensorIndex { TensorIndex(kind: .slice(start: lowerBound, end: nil, endIncluded: false, step: 1)) }
}

extension PartialRangeUpTo: TensorIndexExpression where Bound == Int {
    /// Positions before `upperBound`.
    public var tensorIndex: TensorIndex { TensorIndex(kind: .slice(start: nil, end: upperBound, endIncluded: false, step: 1)) }
}

extension PartialRangeThrough: TensorIndexExpression where Bound == Int {
    /// Positions up to and including `upperBound`.
    public var tensorIndex: TensorIndex { TensorIndex(kind: .slice(start: nil, end: upperBound, endIncluded: true, step: 1)) }
}

extension Tensor {
    /// The sub-tensor at `index` along the first dimension (negative counts from the end).
    public subscript(index: Int) -> Tensor { select(dim: 0, index: index) }

    /// An index or a range per dimension, as PyTorch's basic indexing: `x[1, 0..<2]`, `x[0..., -1]`
    /// (`x[:, -1]`), `x[.ellipsis, 0]`, `x[.newAxis]`. Dimensions not mentioned are taken whole;
    /// an `Int` removes its dimension, a range keeps it.
    public subscript(_ indices: any TensorIndexExpression...) -> Tensor {
        basicIndex(indices.map(\.tensorIndex))
    }

    /// The elements where `mask` is 1, as PyTorch's `x[mask]`: `x[x > 0]`.
    ///
    /// `mask` (0s and 1s) has the shape of `x` or of its leading dimensions; the result is
    /// one-dimensional, or keeps the trailing dimensions the mask does not cover. A tensor
    /// subscript is always a mask; to pick by integer positions use `indexSelect(dim:index:)`.
    public subscript(_ mask: Tensor) -> Tensor {
        require(mask.rank <= rank && Array(shape.prefix(mask.rank)) == mask.shape,
                "x[mask]: the mask's shape \(mask.shape) must equal the tensor's shape \(shape) or its leading dimensions.")
        let selected = maskValues(mask, "x[mask]", hint: " To pick by integer positions, use indexSelect(dim:index:).")
        let inner = shape[mask.rank...].reduce(1, *)
        let positions = selected.indices.filter { selected[$0] }
        var values = [Double]()
        values.reserveCapacity(positions.count * inner)
        for p in positions { values += storage[(p * inner)..<((p + 1) * inner)] }
        let total = count
        return Tensor(shape: [positions.count] + shape[mask.rank...], storage: values, parents: [self]) { g in
            var full = [Double](repeating: 0, count: total)
            for (k, p) in positions.enumerated() {
                for j in 0..<inner { full[p * inner + j] = g[k * inner + j] }
            }
            return [full]
        }
    }

    private func basicIndex(_ entries: [TensorIndex]) -> Tensor {
        let ellipses = entries.filter { $0.kind == .ellipsis }.count
        require(ellipses <= 1, "subscript: only one .ellipsis is allowed, got \(ellipses).")
        let consuming = entries.filter { if case .single = $0.kind { true } else if case .slice = $0.kind { true } else { false } }.count
        require(consuming <= rank, "subscript: \(consuming) indices are too many for a tensor of shape \(shape).")
        let fill = [TensorIndex](repeating: .all, count: rank - consuming)
        var resolved: [TensorIndex] = []
        for entry in entries { if entry.kind == .ellipsis { resolved += fill } else { resolved.append(entry) } }
        if ellipses == 0 { resolved += fill }

        let strides = contiguousStrides(shape)
        var outShape: [Int] = [], outStrides: [Int] = []
        var offset = 0, axis = 0
        for entry in resolved {
            switch entry.kind {
            case .newAxis:
                outShape.append(1); outStrides.append(0)
            case .single(let index):
                let size = shape[axis]
                let i = index < 0 ? index + size : index
                require(i >= 0 && i < size, "subscript: index \(index) is out of range for dimension \(axis) of size \(size) in shape \(shape).")
                offset += i * strides[axis]
                axis += 1
            case .slice(let start, let end, let endIncluded, let step):
                require(step > 0, "subscript: slice step must be positive, got \(step).")
                let size = shape[axis]
                func clamped(_ position: Int) -> Int { Swift.min(Swift.max(position < 0 ? position + size : position, 0), size) }
                let first = start.map(clamped) ?? 0
                var stop = size
                if let end { stop = endIncluded ? Swift.min(Swift.max((end < 0 ? end + size : end) + 1, 0), size) : clamped(end) }
                let length = stop > first ? (stop - first + step - 1) / step : 0
                outShape.append(length); outStrides.append(strides[axis] * step)
                if length > 0 { offset += first * strides[axis] }
                axis += 1
            case .ellipsis:
                requirementFailed("Internal error: an ellipsis survived resolution in \(entries).")
            }
        }
        let n = shapeElementCount(outShape)
        var sources = [Int](repeating: 0, count: n)
        forEachBroadcastPair(outShape, outStrides, [Int](repeating: 0, count: outShape.count)) { o, i, _ in sources[o] = offset + i }
        let values = sources.map { storage[$0] }
        let total = count
        return Tensor(shape: outShape, storage: values, parents: [self]) { g in
            var full = [Double](repeating: 0, count: total)
            for (o, i) in sources.enumerated() { full[i] += g[o] }
            return [full]
        }
    }
}

// MARK: - Gather, scatter, indexSelect

extension Tensor {
    /// Values picked along `dim` by `index`, as PyTorch's `gather`: for `dim: 1`,
    /// `out[i][j][k] = self[i][index[i][j][k]][k]`. `index` has this tensor's rank, is no larger
    /// outside `dim`, and gives the result its shape.
    ///
    /// ```swift
    /// let scores = Tensor([[1, 2, 3], [4, 5, 6]])
    /// scores.gather(dim: 1, index: Tensor([[2], [0]]))   // [[3], [4]]
    /// ```
    public func gather(dim: Int, index: Tensor) -> Tensor {
        let (axis, idx) = checkedScatterIndex(dim, index, source: nil, "gather")
        let sources = scatterTargets(axis, index.shape, idx)
        let values = sources.map { storage[$0] }
        let total = count
        return Tensor(shape: index.shape, storage: values, parents: [self]) { g in
            var full = [Double](repeating: 0, count: total)
            for (o, i) in sources.enumerated() { full[i] += g[o] }
            return [full]
        }
    }

    /// A copy with values from `src` written at the positions `index` gives along `dim`, as
    /// PyTorch's `scatter`: for `dim: 0`, `out[index[i][j]][j] = src[i][j]`. Where `index` repeats a
    /// position, the last write wins (PyTorch leaves that order unspecified).
    public func scatter(dim: Int, index: Tensor, src: Tensor) -> Tensor {
        scatter(dim: dim, index: index, src: src, accumulate: false, function: "scatter")
    }

    /// A copy with `value` written at the positions `index` gives along `dim`.
    public func scatter(dim: Int, index: Tensor, value: Double) -> Tensor {
        scatter(dim: dim, index: index, src: Tensor.full(index.shape, value: value), accumulate: false, function: "scatter")
    }

    /// A copy with values from `src` added at the positions `index` gives along `dim` (repeated
    /// positions add up), as PyTorch's `scatter_add`.
    public func scatterAdd(dim: Int, index: Tensor, src: Tensor) -> Tensor {
        scatter(dim: dim, index: index, src: src, accumulate: true, function: "scatterAdd")
    }

    private func scatter(dim: Int, index: Tensor, src: Tensor, accumulate: Bool, function: String) -> Tensor {
        let (axis, idx) = checkedScatterIndex(dim, index, source: src, function)
        let targets = scatterTargets(axis, index.shape, idx)
        var sources = [Int](repeating: 0, count: idx.count)
        forEachBroadcastPair(index.shape, contiguousStrides(src.shape), [Int](repeating: 0, count: rank)) { o, s, _ in sources[o] = s }
        var values = storage
        let from = src.storage
        for (o, t) in targets.enumerated() {
            if accumulate { values[t] += from[sources[o]] } else { values[t] = from[sources[o]] }
        }
        let srcCount = src.count
        let needSelf = requiresGrad, needSrc = src.requiresGrad
        return Tensor(shape: shape, storage: values, parents: [self, src]) { g in
            var gSelf: [Double]? = nil, gSrc: [Double]? = nil
            if needSelf {
                var d = g
                if !accumulate { for t in targets { d[t] = 0 } }
                gSelf = d
            }
            if needSrc {
                var d = [Double](repeating: 0, count: srcCount)
                for (o, t) in targets.enumerated() { d[sources[o]] = g[t] }
                gSrc = d
            }
            return [gSelf, gSrc]
        }
    }

    /// Validates an index for gather/scatter and returns the dimension and the positions.
    private func checkedScatterIndex(_ dim: Int, _ index: Tensor, source: Tensor?, _ function: String) -> (Int, [Int]) {
        require(rank > 0, "\(function): needs a tensor with at least one dimension, got shape \(shape).")
        let axis = normalizedAxis(dim, rank: rank, function: function)
        require(index.rank == rank, "\(function): index of shape \(index.shape) must have as many dimensions as the tensor of shape \(shape).")
        require((0..<rank).allSatisfy { $0 == axis || index.shape[$0] <= shape[$0] },
                "\(function): index of shape \(index.shape) is larger than the tensor's shape \(shape) outside dimension \(axis).")
        if let source {
            require(source.rank == rank && (0..<rank).allSatisfy { index.shape[$0] <= source.shape[$0] },
                    "\(function): index of shape \(index.shape) is larger than src of shape \(source.shape).")
        }
        return (axis, integerIndices(index, bound: shape[axis], function, axis: axis))
    }

    /// Flat positions in this tensor for each element of an index of `indexShape` along `axis`.
    private func scatterTargets(_ axis: Int, _ indexShape: [Int], _ idx: [Int]) -> [Int] {
        var strides = contiguousStrides(shape)
        let step = strides[axis]
        strides[axis] = 0
        var targets = [Int](repeating: 0, count: idx.count)
        forEachBroadcastPair(indexShape, strides, [Int](repeating: 0, count: rank)) { o, base, _ in targets[o] = base + idx[o] * step }
        return targets
    }

    /// The slices at positions `index` along `dim`, in that order (repeats allowed), as PyTorch's
    /// `index_select`: `x.indexSelect(dim: 0, index: Tensor([2, 0]))`.
    public func indexSelect(dim: Int, index: Tensor) -> Tensor {
        require(index.rank <= 1, "indexSelect: index must be one-dimensional, got shape \(index.shape).")
        require(rank > 0, "indexSelect: needs a tensor with at least one dimension, got shape \(shape).")
        let axis = normalizedAxis(dim, rank: rank, function: "indexSelect")
        let idx = integerIndices(index, bound: shape[axis], "indexSelect", axis: axis)
        let (outer, size, inner) = splitAround(axis)
        var outShape = shape
        outShape[axis] = idx.count
        var values = [Double](repeating: 0, count: outer * idx.count * inner)
        for o in 0..<outer {
            for (k, j) in idx.enumerated() {
                for i in 0..<inner { values[(o * idx.count + k) * inner + i] = storage[(o * size + j) * inner + i] }
            }
        }
        let total = count
        return Tensor(shape: outShape, storage: values, parents: [self]) { g in
            var full = [Double](repeating: 0, count: total)
            for o in 0..<outer {
                for (k, j) in idx.enumerated() {
                    for i in 0..<inner { full[(o * size + j) * inner + i] += g[(o * idx.count + k) * inner + i] }
                }
            }
            return [full]
        }
    }

    /// The slices at positions `index` along `dim`: `x.indexSelect(dim: 1, index: [0, 0, 2])`.
    public func indexSelect(dim: Int, index: [Int]) -> Tensor {
        indexSelect(dim: dim, index: Tensor(scalars: index.map(Double.init), shape: [index.count]))
    }
}

// MARK: - Choosing by a mask

extension Tensor {
    /// `input` where `condition` is 1 and `other` where it is 0, all three broadcast together
    /// (PyTorch's `torch.where`): `Tensor.where(x > 0, x, y)`.
    public static func `where`(_ condition: Tensor, _ input: Tensor, _ other: Tensor) -> Tensor {
        guard let pair = broadcastShape(condition.shape, input.shape), let outShape = broadcastShape(pair, other.shape) else {
            requirementFailed("where: condition \(condition.shape), input \(input.shape) and other \(other.shape) cannot be broadcast together.")
        }
        let chosen = maskValues(Tensor(scalars: expandValues(condition.storage, from: condition.shape, to: outShape), shape: outShape), "where")
        let a = expandValues(input.storage, from: input.shape, to: outShape)
        let b = expandValues(other.storage, from: other.shape, to: outShape)
        let values = chosen.indices.map { chosen[$0] ? a[$0] : b[$0] }
        let aShape = input.shape, bShape = other.shape
        let needA = input.requiresGrad, needB = other.requiresGrad
        return Tensor(shape: outShape, storage: values, parents: [input, other]) { g in
            [needA ? reduceToShape(g.indices.map { chosen[$0] ? g[$0] : 0 }, from: outShape, to: aShape) : nil,
             needB ? reduceToShape(g.indices.map { chosen[$0] ? 0 : g[$0] }, from: outShape, to: bShape) : nil]
        }
    }

    /// `input` where `condition` is 1, `other` elsewhere: `Tensor.where(x > 0, x, 0)`.
    public static func `where`(_ condition: Tensor, _ input: Tensor, _ other: Double) -> Tensor {
        Tensor.where(condition, input, Tensor(other))
    }

    /// `input` where `condition` is 1, `other` elsewhere.
    public static func `where`(_ condition: Tensor, _ input: Double, _ other: Tensor) -> Tensor {
        Tensor.where(condition, Tensor(input), other)
    }

    /// `input` where `condition` is 1, `other` elsewhere.
    public static func `where`(_ condition: Tensor, _ input: Double, _ other: Double) -> Tensor {
        Tensor.where(condition, Tensor(input), Tensor(other))
    }

    /// A copy with `value` where `mask` is 1 (PyTorch's `masked_fill`); `mask` broadcasts to this
    /// tensor's shape: `scores.maskedFill(padding, -.infinity)`.
    public func maskedFill(_ mask: Tensor, _ value: Double) -> Tensor {
        require(broadcastShape(shape, mask.shape) == shape,
                "maskedFill: mask of shape \(mask.shape) cannot be broadcast to the tensor's shape \(shape).")
        return Tensor.where(mask, Tensor(value), self)
    }
}

// MARK: - Reading index and mask tensors

/// The whole numbers in `index`, each checked to lie in `0..<bound`.
func integerIndices(_ index: Tensor, bound: Int, _ function: String, axis: Int) -> [Int] {
    index.storage.map { value in
        guard let i = Int(exactly: value), i >= 0, i < bound else {
            requirementFailed("\(function): index \(value) is not a whole number in 0..<\(bound), the size of dimension \(axis).")
        }
        return i
    }
}

/// The elements of a mask as Booleans, checking that each is 0 or 1.
func maskValues(_ mask: Tensor, _ function: String, hint: String = "") -> [Bool] {
    mask.storage.enumerated().map { offset, value in
        require(value == 0 || value == 1,
                "\(function): a mask holds 0s and 1s (as comparisons return them), found \(value) at element \(offset).\(hint)")
        return value == 1
    }
}
