// Comparisons. Each returns a mask: a tensor of 0s and 1s with the broadcast shape, outside the
// tape (PyTorch's boolean tensors never require grad). Masks feed `x[mask]`, `Tensor.where`,
// `maskedFill`, and arithmetic (`(x > 0).sum()` counts).
//
// `<`, `<=`, `>`, `>=` compare elementwise, as in PyTorch. Elementwise equality is `.==` and `.!=`
// (Swift's elementwise spelling, as for SIMD vectors) or `eq`/`ne`: `==` is left undefined, since
// in Swift it answers one yes-or-no question, and `x == y` failing to compile is better than a
// tensor where a Bool was meant. `equal(_:)` and `allClose(_:)` answer that question.

extension Tensor {
    private func compare(_ other: Tensor, _ name: String, _ test: (Double, Double) -> Bool) -> Tensor {
        guard let outShape = broadcastShape(shape, other.shape) else {
            requirementFailed("\(name): shapes \(shape) and \(other.shape) cannot be broadcast together.")
        }
        let values = broadcastCombine(storage, shape, other.storage, other.shape, outShape) { test($0, $1) ? 1 : 0 }
        return Tensor(scalars: values, shape: outShape)
    }

    /// 1 where self < other, 0 elsewhere (with broadcasting): PyTorch's `lt`.
    public func lt(_ other: Tensor) -> Tensor { compare(other, "lt") { $0 < $1 } }
    /// 1 where self ≤ other, 0 elsewhere: PyTorch's `le`.
    public func le(_ other: Tensor) -> Tensor { compare(other, "le") { $0 <= $1 } }
    /// 1 where self > other, 0 elsewhere: PyTorch's `gt`.
    public func gt(_ other: Tensor) -> Tensor { compare(other, "gt") { $0 > $1 } }
    /// 1 where self ≥ other, 0 elsewhere: PyTorch's `ge`.
    public func ge(_ other: Tensor) -> Tensor { compare(other, "ge") { $0 >= $1 } }
    /// 1 where self = other, 0 elsewhere (NaN equals nothing): PyTorch's `eq`.
    public func eq(_ other: Tensor) -> Tensor { compare(other, "eq") { $0 == $1 } }
    /// 1 where self ≠ other, 0 elsewhere: PyTorch's `ne`.
    public func ne(_ other: Tensor) -> Tensor { compare(other, "ne") { $0 != $1 } }

    /// 1 where self < other, 0 elsewhere.
    public func lt(_ other: Double) -> Tensor { lt(Tensor(other)) }
    /// 1 where self ≤ other, 0 elsewhere.
    public func le(_ other: Double) -> Tensor { le(Tensor(other)) }
    /// 1 where self > other, 0 elsewhere.
    public func gt(_ other: Double) -> Tensor { gt(Tensor(other)) }
    /// 1 where self ≥ other, 0 elsewhere.
    public func ge(_ other: Double) -> Tensor { ge(Tensor(other)) }
    /// 1 where self = other, 0 elsewhere.
    public func eq(_ other: Double) -> Tensor { eq(Tensor(other)) }
    /// 1 where self ≠ other, 0 elsewhere.
    public func ne(_ other: Double) -> Tensor { ne(Tensor(other)) }

    /// Elementwise `lhs < rhs` as a mask: `x[x < 0]`.
    public static func < (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.lt(rhs) }
    /// Elementwise `lhs ≤ rhs` as a mask.
    public static func <= (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.le(rhs) }
    /// Elementwise `lhs > rhs` as a mask.
    public static func > (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.gt(rhs) }
    /// Elementwise `lhs ≥ rhs` as a mask.
    public static func >= (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.ge(rhs) }
    /// Elementwise `lhs = rhs` as a mask (`torch.eq`).
    public static func .== (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.eq(rhs) }
    /// Elementwise `lhs ≠ rhs` as a mask (`torch.ne`).
    public static func .!= (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.ne(rhs) }

    /// Elementwise `lhs < rhs` as a mask: `x < 0`.
    public static func < (lhs: Tensor, rhs: Double) -> Tensor { lhs.lt(rhs) }
    /// Elementwise `lhs ≤ rhs` as a mask.
    public static func <= (lhs: Tensor, rhs: Double) -> Tensor { lhs.le(rhs) }
    /// Elementwise `lhs > rhs` as a mask: `x > 0`.
    public static func > (lhs: Tensor, rhs: Double) -> Tensor { lhs.gt(rhs) }
    /// Elementwise `lhs ≥ rhs` as a mask.
    public static func >= (lhs: Tensor, rhs: Double) -> Tensor { lhs.ge(rhs) }
    /// Elementwise `lhs = rhs` as a mask: `labels .== 3`.
    public static func .== (lhs: Tensor, rhs: Double) -> Tensor { lhs.eq(rhs) }
    /// Elementwise `lhs ≠ rhs` as a mask.
    public static func .!= (lhs: Tensor, rhs: Double) -> Tensor { lhs.ne(rhs) }

    /// Elementwise `lhs < rhs` as a mask.
    public static func < (lhs: Double, rhs: Tensor) -> Tensor { rhs.gt(lhs) }
    /// Elementwise `lhs ≤ rhs` as a mask.
    public static func <= (lhs: Double, rhs: Tensor) -> Tensor { rhs.ge(lhs) }
    /// Elementwise `lhs > rhs` as a mask.
    public static func > (lhs: Double, rhs: Tensor) -> Tensor { rhs.lt(lhs) }
    /// Elementwise `lhs ≥ rhs` as a mask.
    public static func >= (lhs: Double, rhs: Tensor) -> Tensor { rhs.le(lhs) }
    /// Elementwise `lhs = rhs` as a mask.
    public static func .== (lhs: Double, rhs: Tensor) -> Tensor { rhs.eq(lhs) }
    /// Elementwise `lhs ≠ rhs` as a mask.
    public static func .!= (lhs: Double, rhs: Tensor) -> Tensor { rhs.ne(lhs) }
}

// MARK: - Logic on masks

extension Tensor {
    /// 1 where both are non-zero (PyTorch's `logical_and`); also spelled `a & b`.
    public func logicalAnd(_ other: Tensor) -> Tensor { compare(other, "logicalAnd") { $0 != 0 && $1 != 0 } }

    /// 1 where either is non-zero (PyTorch's `logical_or`); also spelled `a | b`.
    public func logicalOr(_ other: Tensor) -> Tensor { compare(other, "logicalOr") { $0 != 0 || $1 != 0 } }

    /// 1 where exactly one is non-zero (PyTorch's `logical_xor`); also spelled `a ^ b`.
    public func logicalXor(_ other: Tensor) -> Tensor { compare(other, "logicalXor") { ($0 != 0) != ($1 != 0) } }

    /// 1 where the element is zero (PyTorch's `logical_not`); also spelled `~mask`.
    public func logicalNot() -> Tensor { Tensor(scalars: storage.map { $0 == 0 ? 1 : 0 }, shape: shape) }

    /// Both masks: `(x > 0) & (x < 1)`.
    public static func & (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.logicalAnd(rhs) }
    /// Either mask: `(x < 0) | (x > 1)`.
    public static func | (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.logicalOr(rhs) }
    /// Exactly one of two masks.
    public static func ^ (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.logicalXor(rhs) }
    /// The inverted mask: `x[~(x > 0)]`.
    public static prefix func ~ (mask: Tensor) -> Tensor { mask.logicalNot() }
}

// MARK: - Closeness

extension Tensor {
    /// 1 where |self − other| ≤ atol + rtol·|other| (with broadcasting), as PyTorch's `isclose`:
    /// equal infinities are close, and NaNs are close to each other only with `equalNaN`.
    public func isClose(_ other: Tensor, rtol: Double = 1e-5, atol: Double = 1e-8, equalNaN: Bool = false) -> Tensor {
        require(rtol >= 0 && atol >= 0, "isClose: rtol and atol must be non-negative, got rtol \(rtol) and atol \(atol).")
        return compare(other, "isClose") { a, b in
            if a == b || (equalNaN && a.isNaN && b.isNaN) { return true }
            let error = Swift.abs(a - b)
            return error.isFinite && error <= atol + Swift.abs(rtol * b)
        }
    }

    /// Whether every element is close to `other`'s (see `isClose`), as PyTorch's `allclose`:
    /// `#expect(y.allClose(expected, atol: 1e-6))`.
    public func allClose(_ other: Tensor, rtol: Double = 1e-5, atol: Double = 1e-8, equalNaN: Bool = false) -> Bool {
        isClose(other, rtol: rtol, atol: atol, equalNaN: equalNaN).storage.allSatisfy { $0 == 1 }
    }

    /// Whether `other` has the same shape and exactly the same values (PyTorch's `torch.equal`).
    public func equal(_ other: Tensor) -> Bool { shape == other.shape && storage == other.storage }
}
