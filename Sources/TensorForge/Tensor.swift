/// A multi-dimensional array of `Double`s that records the operations applied to it, so that
/// `backward()` can compute gradients by reverse-mode automatic differentiation.
///
/// `Tensor` has reference semantics, as in PyTorch: a layer's `weight` and the tensor an optimiser
/// updates are the same object. Storage is contiguous and row-major.
///
/// ```swift
/// let x = Tensor([[1, 2], [3, 4]], requiresGrad: true)
/// let loss = (x * x).sum()
/// loss.backward()
/// print(x.grad!)   // 2x
/// ```
public final class Tensor {
    /// The size of each dimension; `[]` for a scalar (zero-dimensional) tensor.
    public private(set) var shape: [Int]

    /// Row-major values. Internal code reads and writes this directly.
    @usableFromInline var storage: [Double]

    /// Whether operations on this tensor are recorded so that gradients can flow back to it.
    /// Only settable on leaves (tensors not produced by a recorded operation), as in PyTorch.
    public var requiresGrad: Bool {
        didSet {
            require(gradFunction == nil || requiresGrad,
                         "requiresGrad can only be turned off on a leaf tensor; use detach() instead.")
        }
    }

    /// The gradient accumulated by `backward()`: set on leaves that require grad and on
    /// intermediates that called `retainGrad()`. `nil` until a backward pass reaches this tensor.
    public var grad: Tensor?

    // MARK: The tape
    /// The tensors this one was computed from (empty for leaves and after the tape is released).
    var parents: [Tensor] = []
    /// What `backward()` does with this tensor's gradient (nil for leaves and after the tape is released).
    var gradFunction: GradFunction?
    /// True for a tensor produced by a recorded operation (even after its tape was released).
    var isProducedByOperation = false
    var retainsGrad = false
    /// Gradient summed from all consumers during one backward sweep.
    var pendingGrad: [Double]?
    /// On the first output of a multi-output operation: the gradients its other outputs handed
    /// over during the current sweep, by output index.
    var laterOutputGrads: [Int: [Double]] = [:]
    var visitMark = 0

    /// Creates a tensor from row-major values and a shape.
    ///
    /// - Precondition: `scalars.count` equals the product of `shape`.
    public init(scalars: [Double], shape: [Int], requiresGrad: Bool = false) {
        require(shape.allSatisfy { $0 >= 0 }, "Negative dimension in shape \(shape).")
        require(scalars.count == shapeElementCount(shape),
                     "\(scalars.count) scalars cannot fill a tensor of shape \(shape) (\(shapeElementCount(shape)) elements).")
        GradMode.heapTuning
        BLASKernels.selection
        self.storage = scalars
        self.shape = shape
        self.requiresGrad = requiresGrad
    }

    /// Creates a zero-dimensional tensor holding one value.
    public convenience init(_ value: Double, requiresGrad: Bool = false) {
        self.init(scalars: [value], shape: [], requiresGrad: requiresGrad)
    }

    /// Creates a one-dimensional tensor: `Tensor([1, 2, 3])`.
    public convenience init(_ values: [Double], requiresGrad: Bool = false) {
        self.init(scalars: values, shape: [values.count], requiresGrad: requiresGrad)
    }

    /// Creates a two-dimensional tensor from rows: `Tensor([[1, 2], [3, 4]])`.
    public convenience init(_ rows: [[Double]], requiresGrad: Bool = false) {
        let columns = rows.first?.count ?? 0
        require(rows.allSatisfy { $0.count == columns }, "Rows of a matrix literal must all have \(columns) values.")
        self.init(scalars: rows.flatMap { $0 }, shape: [rows.count, columns], requiresGrad: requiresGrad)
    }

    /// Creates a three-dimensional tensor from nested arrays.
    public convenience init(_ planes: [[[Double]]], requiresGrad: Bool = false) {
        let rows = planes.first?.count ?? 0
        let columns = planes.first?.first?.count ?? 0
        require(planes.allSatisfy { $0.count == rows && $0.allSatisfy { $0.count == columns } },
                     "Nested array literal is ragged; every plane must be \(rows)×\(columns).")
        self.init(scalars: planes.flatMap { $0.flatMap { $0 } }, shape: [planes.count, rows, columns],
                  requiresGrad: requiresGrad)
    }

    /// Result of a recorded operation; `backward` receives this tensor's gradient and returns one
    /// gradient (or nil) per parent, in order.
    convenience init(shape: [Int], storage: [Double], parents: [Tensor], backward: @escaping BackwardFunction) {
        self.init(shape: shape, storage: storage, parents: parents, gradFunction: .operation(backward))
    }

    /// A tensor produced by an operation, recorded on the tape when grad mode is on and a parent
    /// requires grad.
    init(shape: [Int], storage: [Double], parents: [Tensor], gradFunction: GradFunction) {
        GradMode.heapTuning
        BLASKernels.selection
        self.shape = shape
        self.storage = storage
        let needsGrad = GradMode.isEnabled && parents.contains { $0.requiresGrad }
        self.requiresGrad = needsGrad
        if needsGrad {
            self.parents = parents
            self.gradFunction = gradFunction
            self.isProducedByOperation = true
        }
    }

    /// Row-major values (a copy, since arrays are values). Setting replaces the values in place
    /// (same count), which is how parameters are edited: `layer.bias.scalars = ...`.
    public var scalars: [Double] {
        get { storage }
        set {
            require(newValue.count == storage.count,
                         "Cannot assign \(newValue.count) scalars to a tensor of shape \(shape) (\(storage.count) elements).")
            storage = newValue
        }
    }

    /// Number of dimensions.
    public var rank: Int { shape.count }

    /// Total number of elements.
    public var count: Int { storage.count }

    /// Total number of elements (PyTorch's `numel()`): `Tensor.zeros(2, 3).numel == 6`.
    public var numel: Int { storage.count }

    /// Number of dimensions (PyTorch's `ndim`); same as `rank`.
    public var ndim: Int { shape.count }

    /// The size of dimension `dim`, negative counting from the end (PyTorch's `size(dim)`): `x.size(-1)`.
    public func size(_ dim: Int) -> Int {
        require(rank > 0, "size: a zero-dimensional tensor has no dimension \(dim).")
        return shape[normalizedAxis(dim, rank: rank, function: "size")]
    }

    /// The shape (PyTorch's `size()`).
    public func size() -> [Int] { shape }

    /// The value of a one-element tensor.
    public var item: Double {
        require(storage.count == 1, "item needs a tensor with exactly one element; this one has shape \(shape).")
        return storage[0]
    }

    /// True for tensors created by the user rather than by a recorded operation.
    public var isLeaf: Bool { !isProducedByOperation }

    /// A tensor sharing these values but cut off from the tape (PyTorch's `detach()`).
    public func detach() -> Tensor {
        Tensor(scalars: storage, shape: shape)
    }

    /// The value at a multi-dimensional index (negative indices count from the end).
    public func scalar(at indices: Int...) -> Double {
        require(indices.count == shape.count, "scalar(at:) needs \(shape.count) indices for shape \(shape), got \(indices.count).")
        var offset = 0
        for (axis, index) in indices.enumerated() {
            let size = shape[axis]
            let i = index < 0 ? index + size : index
            require(i >= 0 && i < size, "Index \(index) is out of range for dimension \(axis) of size \(size).")
            offset = offset * size + i
        }
        return storage[offset]
    }

    /// Replaces this tensor's values with another's (same shape), outside the tape.
    /// Useful to copy weights between models: `target.weight.copy(from: source.weight)`.
    public func copy(from other: Tensor) {
        require(other.shape == shape, "copy(from:) needs equal shapes, got \(other.shape) into \(shape).")
        storage = other.storage
    }

    /// Sets every element to `value`, outside the tape.
    public func fill(_ value: Double) {
        storage = [Double](repeating: value, count: storage.count)
    }

    /// Changes the recorded shape without touching the data (internal helper for views).
    func reshapeInPlace(_ newShape: [Int]) {
        require(shapeElementCount(newShape) == storage.count)
        shape = newShape
    }
}

/// Gradient of an operation's output → gradients of its inputs (nil where none is needed).
typealias BackwardFunction = ([Double]) -> [[Double]?]

// MARK: - Shape arithmetic shared by all ops

@inline(__always)
func shapeElementCount(_ shape: [Int]) -> Int {
    var n = 1
    for d in shape { n *= d }
    return n
}

func contiguousStrides(_ shape: [Int]) -> [Int] {
    var strides = [Int](repeating: 1, count: shape.count)
    var running = 1
    for axis in stride(from: shape.count - 1, through: 0, by: -1) {
        strides[axis] = running
        running *= shape[axis]
    }
    return strides
}

/// Resolves a possibly negative dimension index against a rank.
func normalizedAxis(_ axis: Int, rank: Int, function: String = #function) -> Int {
    let a = axis < 0 ? axis + rank : axis
    require(a >= 0 && a < Swift.max(rank, 1), "\(function): dimension \(axis) is out of range for a tensor of rank \(rank).")
    return a
}
