// NumPy/PyTorch broadcasting: shapes are aligned on the right; a dimension of 1 stretches.
// The fast paths cover what networks do all the time (same shape, scalar, bias row); the
// general path walks an odometer over the output.

/// The broadcast shape of two shapes, or nil when they are incompatible.
func broadcastShape(_ a: [Int], _ b: [Int]) -> [Int]? {
    let rank = Swift.max(a.count, b.count)
    var result = [Int](repeating: 1, count: rank)
    for i in 0..<rank {
        let da = i < rank - a.count ? 1 : a[i - (rank - a.count)]
        let db = i < rank - b.count ? 1 : b[i - (rank - b.count)]
        if da == db || db == 1 { result[i] = da } else if da == 1 { result[i] = db } else { return nil }
    }
    return result
}

/// Strides for reading a tensor of `shape` as if expanded to `target` (0 on stretched dimensions).
func broadcastStrides(_ shape: [Int], to target: [Int]) -> [Int] {
    let own = contiguousStrides(shape)
    let offset = target.count - shape.count
    return (0..<target.count).map { i in
        i < offset || shape[i - offset] == 1 ? 0 : own[i - offset]
    }
}

/// True when `shape`, padded with leading ones, is a suffix of `target`: it repeats as a block.
func isTrailingBlock(_ shape: [Int], of target: [Int]) -> Bool {
    var s = shape
    while let first = s.first, first == 1, s.count > 0 { s.removeFirst() }
    guard s.count <= target.count else { return false }
    return Array(target.suffix(s.count)) == s
}

/// Calls `body(outputIndex, aOffset, bOffset)` for each element of `outShape`, reading a and b
/// with broadcast strides.
@inline(__always)
func forEachBroadcastPair(_ outShape: [Int], _ aStrides: [Int], _ bStrides: [Int], _ body: (Int, Int, Int) -> Void) {
    let rank = outShape.count
    let total = shapeElementCount(outShape)
    if total == 0 { return }
    if rank == 0 { body(0, 0, 0); return }
    var index = [Int](repeating: 0, count: rank)
    var aOff = 0, bOff = 0
    let inner = outShape[rank - 1], aInner = aStrides[rank - 1], bInner = bStrides[rank - 1]
    var out = 0
    while out < total {
        var ai = aOff, bi = bOff
        for _ in 0..<inner {
            body(out, ai, bi)
            out += 1; ai += aInner; bi += bInner
        }
        // Advance the odometer over the outer dimensions.
        var axis = rank - 2
        while axis >= 0 {
            index[axis] += 1
            aOff += aStrides[axis]; bOff += bStrides[axis]
            if index[axis] < outShape[axis] { break }
            aOff -= aStrides[axis] * outShape[axis]; bOff -= bStrides[axis] * outShape[axis]
            index[axis] = 0
            axis -= 1
        }
    }
}

/// Elementwise `f(a, b)` with broadcasting.
@inline(__always)
func broadcastCombine(_ a: [Double], _ aShape: [Int], _ b: [Double], _ bShape: [Int], _ outShape: [Int],
                      _ f: (Double, Double) -> Double) -> [Double] {
    let n = shapeElementCount(outShape)
    return [Double](unsafeUninitializedCapacity: n) { out, initialized in
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                if aShape == bShape {
                    for i in 0..<n { out[i] = f(pa[i], pb[i]) }
                } else if pb.count == 1 {
                    let s = pb[0]
                    for i in 0..<n { out[i] = f(pa[i], s) }
                } else if pa.count == 1 {
                    let s = pa[0]
                    for i in 0..<n { out[i] = f(s, pb[i]) }
                } else if pa.count == n && isTrailingBlock(bShape, of: outShape) {
                    let m = pb.count
                    var i = 0
                    while i < n { for j in 0..<m { out[i + j] = f(pa[i + j], pb[j]) }; i += m }
                } else if pb.count == n && isTrailingBlock(aShape, of: outShape) {
                    let m = pa.count
                    var i = 0
                    while i < n { for j in 0..<m { out[i + j] = f(pa[j], pb[i + j]) }; i += m }
                } else {
                    let sa = broadcastStrides(aShape, to: outShape), sb = broadcastStrides(bShape, to: outShape)
                    forEachBroadcastPair(outShape, sa, sb) { o, i, j in out[o] = f(pa[i], pb[j]) }
                }
            }
        }
        initialized = n
    }
}

/// Sums a gradient of shape `from` down to `shape` (the adjoint of broadcasting).
func reduceToShape(_ g: [Double], from: [Int], to shape: [Int]) -> [Double] {
    if from == shape { return g }
    let n = shapeElementCount(shape)
    var result = [Double](repeating: 0, count: n)
    result.withUnsafeMutableBufferPointer { r in
        g.withUnsafeBufferPointer { pg in
            if n == 1 {
                var s = 0.0
                for v in pg { s += v }
                r[0] = s
            } else if isTrailingBlock(shape, of: from) {
                var i = 0
                while i < pg.count { for j in 0..<n { r[j] += pg[i + j] }; i += n }
            } else {
                let sr = broadcastStrides(shape, to: from)
                let zeros = [Int](repeating: 0, count: from.count)
                forEachBroadcastPair(from, sr, zeros) { o, i, _ in r[i] += pg[o] }
            }
        }
    }
    return result
}

/// Repeats values of `shape` to fill `target` (broadcast copy).
func expandValues(_ values: [Double], from shape: [Int], to target: [Int]) -> [Double] {
    if shape == target { return values }
    let n = shapeElementCount(target)
    if values.count == 1 { return [Double](repeating: values[0], count: n) }
    return [Double](unsafeUninitializedCapacity: n) { out, initialized in
        values.withUnsafeBufferPointer { pv in
            if isTrailingBlock(shape, of: target) {
                let m = pv.count
                var i = 0
                while i < n { for j in 0..<m { out[i + j] = pv[j] }; i += m }
            } else {
                let sv = broadcastStrides(shape, to: target)
                let zeros = [Int](repeating: 0, count: target.count)
                forEachBroadcastPair(target, sv, zeros) { o, i, _ in out[o] = pv[i] }
            }
        }
        initialized = n
    }
}
