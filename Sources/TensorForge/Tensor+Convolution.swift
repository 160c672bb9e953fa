import Foundation
import Dispatch

// Convolution and pooling over `[N, C, H, W]` (one-dimensional ones are the two-dimensional ones
// with a height of 1). A convolution is one recorded operation: each sample is unfolded into a
// column matrix (im2col) of shape `[C·kh·kw, Ho·Wo]`, small enough to stay in cache, and each
// group's output is one BLAS product with the weight, written straight into the output's
// layout; the backward pass unfolds again for the weight's gradient and folds the input's back
// (col2im). Unfolding the whole batch at once, for one large product, was measured slower: the
// column matrix (14 MB for the benchmark's second layer) and the transposes around it cost more
// memory traffic than the larger products saved. Pooling keeps, per output, the window it read (max) or the window's size (average).

/// Two integers for the height and width of a window, stride, padding, dilation or output size.
/// An integer literal means the same for both, an array literal gives them in turn, as PyTorch
/// takes `3` or `(3, 5)`:
///
/// ```swift
/// let conv = Conv2d(3, 8, kernelSize: [3, 5], stride: [2, 1], padding: 1)
/// ```
public struct Size2D: Equatable, Sendable, ExpressibleByIntegerLiteral, ExpressibleByArrayLiteral, CustomStringConvertible {
    /// The first (height) value.
    public var height: Int
    /// The second (width) value.
    public var width: Int

    /// Height and width.
    public init(_ height: Int, _ width: Int) { self.height = height; self.width = width }

    /// The same value for height and width.
    public init(_ both: Int) { self.init(both, both) }

    /// `3` means `[3, 3]`.
    public init(integerLiteral value: Int) { self.init(value) }

    /// `[3, 5]`: height 3, width 5.
    public init(arrayLiteral elements: Int...) {
        require(elements.count == 2, "Size2D: an array literal gives height and width, two values, got \(elements).")
        self.init(elements[0], elements[1])
    }

    /// `3` when both values are equal, `[3, 5]` otherwise.
    public var description: String { height == width ? "\(height)" : "[\(height), \(width)]" }
}

/// Runs `body` on `0..<count` in two halves on two threads (the machine's two cores) when there is
/// enough work to pay for the hand-off, else on this thread. Each call gets its part's index.
func inTwoHalves(_ count: Int, worthSplitting: Bool, _ body: (_ part: Int, _ range: Range<Int>) -> Void) {
    guard worthSplitting && count > 1 else { return body(0, 0..<count) }
    let middle = count / 2
    // The halves touch disjoint memory (each caller makes sure), so the closure may cross threads.
    withoutActuallyEscaping(body) { body in
        nonisolated(unsafe) let work = body
        DispatchQueue.concurrentPerform(iterations: 2) { part in work(part, part == 0 ? 0..<middle : middle..<count) }
    }
}

/// Where a 2-D sliding window goes over an input `[N, C, H, W]`.
struct WindowGeometry {
    let batch: Int, channels: Int, height: Int, width: Int
    let kernel: Size2D, stride: Size2D, padding: Size2D, dilation: Size2D
    let outHeight: Int, outWidth: Int

    init(input shape: [Int], kernel: Size2D, stride: Size2D, padding: Size2D, dilation: Size2D,
         ceilMode: Bool = false, function: String) {
        (batch, channels, height, width) = (shape[0], shape[1], shape[2], shape[3])
        (self.kernel, self.stride, self.padding, self.dilation) = (kernel, stride, padding, dilation)
        for (name, value, least) in [("kernel size", kernel, 1), ("stride", stride, 1), ("dilation", dilation, 1), ("padding", padding, 0)] {
            require(value.height >= least && value.width >= least,
                    "\(function): \(name) must be at least \(least), got \(value).")
        }
        func outputSize(_ size: Int, _ k: Int, _ s: Int, _ p: Int, _ d: Int) -> Int {
            let span = size + 2 * p - d * (k - 1) - 1
            guard span >= 0 else { return 0 }
            var out = (ceilMode ? (span + s - 1) / s : span / s) + 1
            // A window in ceil mode must start inside the input or its left padding.
            if ceilMode && (out - 1) * s >= size + p { out -= 1 }
            return out
        }
        outHeight = outputSize(height, kernel.height, stride.height, padding.height, dilation.height)
        outWidth = outputSize(width, kernel.width, stride.width, padding.width, dilation.width)
        require(outHeight > 0 && outWidth > 0,
                "\(function): the input's \(height)×\(width) plane is smaller than the window (kernel \(kernel), padding \(padding), dilation \(dilation)); the output would be empty.")
    }

    var outPlane: Int { outHeight * outWidth }
    var kernelCount: Int { kernel.height * kernel.width }

    /// The output columns `ox` whose input column `ox·s − p + offset` lies inside the row.
    @inline(__always)
    func validColumns(offset: Int) -> Range<Int> {
        let s = stride.width, shift = offset - padding.width
        // ox·s + shift ≥ 0  ⇔  ox ≥ ⌈−shift / s⌉;  ox·s + shift < W  ⇔  ox ≤ ⌊(W − 1 − shift) / s⌋.
        let low = shift >= 0 ? 0 : (-shift + s - 1) / s
        let highInclusive = width - 1 - shift
        let high = highInclusive < 0 ? 0 : Swift.min(outWidth, highInclusive / s + 1)
        return low < high ? low..<high : 0..<0
    }
}

/// Where one kernel offset's row of the columns lies in the input when the stride is 1 and the
/// output is as wide as the input (as with "same" padding): the row is then the input plane shifted
/// by `offset` (index in the plane minus index in the row), read contiguously over `block`, except
/// the columns outside `columns` in each of the rows `outRows`, which hang over the left or right
/// edge (there a contiguous copy reads a neighbouring row's value, to be replaced by zero).
private struct ShiftedBlock {
    let outRows: Range<Int>, columns: Range<Int>, block: Range<Int>, offset: Int

    init?(_ g: WindowGeometry, ki: Int, kj: Int) {
        let rowShift = ki * g.dilation.height - g.padding.height, columnShift = kj * g.dilation.width - g.padding.width
        let low = Swift.max(0, -rowShift), high = Swift.min(g.outHeight, g.height - rowShift)
        columns = g.validColumns(offset: kj * g.dilation.width)
        guard low < high, !columns.isEmpty else { return nil }
        outRows = low..<high
        block = (low * g.width + columns.lowerBound)..<((high - 1) * g.width + columns.upperBound)
        offset = rowShift * g.width + columnShift
    }

    static func applies(to g: WindowGeometry) -> Bool { g.stride == 1 && g.outWidth == g.width }
}

/// Unfolds `x` `[N, C, H, W]` into `cols` `[C·kh·kw, N·Ho·Wo]` (zeros where the window hangs over
/// the padding).
private func im2col(_ x: UnsafePointer<Double>, _ cols: UnsafeMutablePointer<Double>, _ g: WindowGeometry) {
    let plane = g.height * g.width, columns = g.batch * g.outPlane
    if ShiftedBlock.applies(to: g) {
        // One block copy per kernel offset and sample instead of one short copy per output row.
        for c in 0..<g.channels {
            for ki in 0..<g.kernel.height {
                for kj in 0..<g.kernel.width {
                    let row = cols + ((c * g.kernel.height + ki) * g.kernel.width + kj) * columns
                    let shifted = ShiftedBlock(g, ki: ki, kj: kj)
                    for n in 0..<g.batch {
                        let out = row + n * g.outPlane
                        guard let shifted else { out.update(repeating: 0, count: g.outPlane); continue }
                        let source = x + (n * g.channels + c) * plane + shifted.offset
                        let (start, end) = (shifted.block.lowerBound, shifted.block.upperBound)
                        out.update(repeating: 0, count: start)
                        (out + start).update(from: source + start, count: end - start)
                        (out + end).update(repeating: 0, count: g.outPlane - end)
                        let (left, right) = (shifted.columns.lowerBound, shifted.columns.upperBound)
                        if left > 0 || right < g.width {
                            for oy in shifted.outRows {
                                let line = out + oy * g.width
                                for ox in 0..<left { line[ox] = 0 }
                                for ox in right..<g.width { line[ox] = 0 }
                            }
                        }
                    }
                }
            }
        }
        return
    }
    for c in 0..<g.channels {
        for ki in 0..<g.kernel.height {
            for kj in 0..<g.kernel.width {
                let row = cols + ((c * g.kernel.height + ki) * g.kernel.width + kj) * columns
                let valid = g.validColumns(offset: kj * g.dilation.width)
                let columnShift = kj * g.dilation.width - g.padding.width
                for n in 0..<g.batch {
                    let source = x + (n * g.channels + c) * plane
                    for oy in 0..<g.outHeight {
                        let out = row + n * g.outPlane + oy * g.outWidth
                        let iy = oy * g.stride.height - g.padding.height + ki * g.dilation.height
                        if iy < 0 || iy >= g.height || valid.isEmpty {
                            out.update(repeating: 0, count: g.outWidth)
                            continue
                        }
                        let line = source + iy * g.width + columnShift
                        for ox in 0..<valid.lowerBound { out[ox] = 0 }
                        if g.stride.width == 1 {
                            (out + valid.lowerBound).update(from: line + valid.lowerBound, count: valid.count)
                        } else {
                            for ox in valid { out[ox] = line[ox * g.stride.width] }
                        }
                        for ox in valid.upperBound..<g.outWidth { out[ox] = 0 }
                    }
                }
            }
        }
    }
}

/// Folds `cols` back onto `dx` `[N, C, H, W]`, adding where windows overlap (im2col's adjoint).
/// `cols` is scratch: the shifted-block path zeroes its entries that hang over an edge.
private func col2im(_ cols: UnsafeMutablePointer<Double>, _ dx: UnsafeMutablePointer<Double>, _ g: WindowGeometry) {
    let plane = g.height * g.width, columns = g.batch * g.outPlane
    if ShiftedBlock.applies(to: g) {
        // One contiguous addition per kernel offset and sample; the entries over an edge are zeroed
        // first, so that adding them (to a neighbouring row's value, inside the plane) changes nothing.
        for c in 0..<g.channels {
            for ki in 0..<g.kernel.height {
                for kj in 0..<g.kernel.width {
                    let row = cols + ((c * g.kernel.height + ki) * g.kernel.width + kj) * columns
                    guard let shifted = ShiftedBlock(g, ki: ki, kj: kj) else { continue }
                    let (left, right) = (shifted.columns.lowerBound, shifted.columns.upperBound)
                    for n in 0..<g.batch {
                        let source = row + n * g.outPlane
                        if left > 0 || right < g.width {
                            for oy in shifted.outRows {
                                let line = source + oy * g.width
                                for ox in 0..<left { line[ox] = 0 }
                                for ox in right..<g.width { line[ox] = 0 }
                            }
                        }
                        let target = dx + (n * g.channels + c) * plane + shifted.offset
                        for i in shifted.block { target[i] += source[i] }
                    }
                }
            }
        }
        return
    }
    for c in 0..<g.channels {
        for ki in 0..<g.kernel.height {
            for kj in 0..<g.kernel.width {
                let row = cols + ((c * g.kernel.height + ki) * g.kernel.width + kj) * columns
                let valid = g.validColumns(offset: kj * g.dilation.width)
                if valid.isEmpty { continue }
                let columnShift = kj * g.dilation.width - g.padding.width
                for n in 0..<g.batch {
                    let target = dx + (n * g.channels + c) * plane
                    for oy in 0..<g.outHeight {
                        let iy = oy * g.stride.height - g.padding.height + ki * g.dilation.height
                        if iy < 0 || iy >= g.height { continue }
                        let source = row + n * g.outPlane + oy * g.outWidth
                        let line = target + iy * g.width + columnShift
                        for ox in valid { line[ox * g.stride.width] += source[ox] }
                    }
                }
            }
        }
    }
}

/// 2-D convolution (cross-correlation, as PyTorch's `F.conv2d`) of `input` `[N, C, H, W]` (or
/// `[C, H, W]`) with `weight` `[O, C/groups, kh, kw]`, plus `bias` `[O]`:
///
/// ```swift
/// let y = conv2d(x, weight: w, bias: b, stride: 2, padding: 1)   // [N, O, Ho, Wo]
/// ```
public func conv2d(_ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Size2D = 1, padding: Size2D = 0,
                   dilation: Size2D = 1, groups: Int = 1) -> Tensor {
    if input.rank == 3 {
        return conv2d(input.unsqueeze(0), weight: weight, bias: bias, stride: stride, padding: padding,
                      dilation: dilation, groups: groups).squeeze(0)
    }
    require(input.rank == 4, "conv2d: input must be [N, C, H, W] or [C, H, W], got \(input.shape).")
    require(weight.rank == 4, "conv2d: weight must be [outChannels, inChannels/groups, kh, kw], got \(weight.shape).")
    require(groups >= 1, "conv2d: groups must be at least 1, got \(groups).")
    let outChannels = weight.shape[0], channels = input.shape[1]
    require(channels == weight.shape[1] * groups,
            "conv2d: input has \(channels) channels, but weight \(weight.shape) with groups \(groups) expects \(weight.shape[1] * groups).")
    require(outChannels % groups == 0, "conv2d: \(outChannels) output channels are not divisible by groups \(groups).")
    if let bias { require(bias.shape == [outChannels], "conv2d: bias shape \(bias.shape) does not match \(outChannels) output channels.") }
    let g = WindowGeometry(input: input.shape, kernel: Size2D(weight.shape[2], weight.shape[3]), stride: stride,
                           padding: padding, dilation: dilation, function: "conv2d")
    let groupRows = weight.shape[1] * g.kernelCount          // rows of one sample's columns per group
    let groupOut = outChannels / groups
    let plane = g.outPlane, rows = channels * g.kernelCount
    let inputPlane = channels * g.height * g.width, outputPlane = outChannels * plane
    // One sample at a time: its columns [C·k, P] stay in cache for the product, and the product
    // [O, P] lands in the output's own layout.
    let sample = WindowGeometry(input: [1, channels, g.height, g.width], kernel: g.kernel, stride: g.stride,
                                padding: g.padding, dilation: g.dilation, function: "conv2d")
    let x = input.storage, w = weight.storage, biasValues = bias?.storage
    // Enough multiply-adds per sample to be worth two threads (the benchmark's first layer has 113 k).
    let split = g.batch > 1 && outputPlane * groupRows >= 50_000
    var output = [Double](unsafeUninitializedCapacity: g.batch * outputPlane) { _, initialized in initialized = g.batch * outputPlane }
    x.withUnsafeBufferPointer { px in
        w.withUnsafeBufferPointer { pw in
            output.withUnsafeMutableBufferPointer { po in
                inTwoHalves(g.batch, worthSplitting: split) { _, samples in
                    var cols = [Double](unsafeUninitializedCapacity: rows * plane) { _, initialized in initialized = rows * plane }
                    cols.withUnsafeMutableBufferPointer { pc in
                        for n in samples {
                            im2col(px.baseAddress! + n * inputPlane, pc.baseAddress!, sample)
                            let out = po.baseAddress! + n * outputPlane
                            for group in 0..<groups {
                                gemm(m: groupOut, n: plane, k: groupRows, pw.baseAddress! + group * groupOut * groupRows, lda: groupRows,
                                     pc.baseAddress! + group * groupRows * plane, ldb: plane, out + group * groupOut * plane, ldc: plane)
                            }
                            if let biasValues {
                                for o in 0..<outChannels { let b = biasValues[o], row = out + o * plane; for i in 0..<plane { row[i] += b } }
                            }
                        }
                    }
                }
            }
        }
    }
    let needX = input.requiresGrad, needW = weight.requiresGrad, needB = bias?.requiresGrad ?? false
    let parents = bias.map { [input, weight, $0] } ?? [input, weight]
    return Tensor(shape: [g.batch, outChannels, g.outHeight, g.outWidth], storage: output, parents: parents) { grad in
        // Each half of the batch adds into its own weight and bias gradients; the halves write
        // disjoint parts of dx, each sample's part zeroed just before it is folded into (in cache,
        // on its own core) rather than the whole of dx up front.
        // The weight gradient's product dY·colsᵀ (transposing the columns) ran 2–3× slower in
        // OpenBLAS 0.3.21 than cols·dYᵀ once it is too large for the small-matrix kernel (above about
        // 1200 weights per group; measured [32, 144] at 37 against 21 µs per sample, single-threaded), and
        // above 262 144 multiply-adds it is multithreaded from inside the halves. So larger groups
        // accumulate dWᵀ = Σ cols·dYᵀ, transposing dY [groupOut, P] per sample (4.6× smaller than
        // the columns here), and transpose the sum once at the end.
        let transposedWeightGradient = needW && groupOut * groupRows > 1200
        let biasCount = needB ? outChannels : 0
        let partials = (0..<2).map { _ in
            let buffer = UnsafeMutableBufferPointer<Double>.allocate(capacity: Swift.max(1, (needW ? w.count : 0) + biasCount))
            buffer.initialize(repeating: 0)
            return buffer
        }
        defer { partials.forEach { $0.deallocate() } }
        let dxCount = needX ? x.count : 0
        let dx = [Double](unsafeUninitializedCapacity: dxCount) { pdx, initialized in
            x.withUnsafeBufferPointer { px in
                w.withUnsafeBufferPointer { pw in
                    grad.withUnsafeBufferPointer { pg in
                        inTwoHalves(g.batch, worthSplitting: split) { part, samples in
                            let dw = partials[part].baseAddress!, db = dw + (needW ? w.count : 0)
                            var columns = [Double](unsafeUninitializedCapacity: rows * plane + (transposedWeightGradient ? groupOut * plane : 0)) {
                                _, initialized in initialized = rows * plane + (transposedWeightGradient ? groupOut * plane : 0)
                            }
                            columns.withUnsafeMutableBufferPointer { pc in
                                let cols = pc.baseAddress!, dyT = cols + rows * plane
                                for n in samples {
                                    let gn = pg.baseAddress! + n * outputPlane
                                    if needB {
                                        for o in 0..<outChannels { db[o] += rowSum(gn + o * plane, count: plane) }
                                    }
                                    if needW {
                                        // dW += dY·colsᵀ, with the columns unfolded again.
                                        im2col(px.baseAddress! + n * inputPlane, cols, sample)
                                        for group in 0..<groups {
                                            let dyGroup = gn + group * groupOut * plane, colsGroup = cols + group * groupRows * plane
                                            let dwGroup = dw + group * groupOut * groupRows
                                            if transposedWeightGradient {
                                                // dWᵀ += cols·dYᵀ, with dY transposed here (the smaller operand).
                                                for o in 0..<groupOut {
                                                    let row = dyGroup + o * plane
                                                    for p in 0..<plane { dyT[p &* groupOut &+ o] = row[p] }
                                                }
                                                gemm(m: groupRows, n: groupOut, k: plane, colsGroup, lda: plane, dyT, ldb: groupOut,
                                                     beta: 1, dwGroup, ldc: groupOut)
                                            } else {
                                                gemm(transB: true, m: groupOut, n: groupRows, k: plane, dyGroup, lda: plane, colsGroup, ldb: plane,
                                                     beta: 1, dwGroup, ldc: groupRows)
                                            }
                                        }
                                    }
                                    if needX {
                                        // dcols = Wᵀ·dY, folded back onto dx.
                                        for group in 0..<groups {
                                            gemm(transA: true, m: groupRows, n: plane, k: groupOut,
                                                 pw.baseAddress! + group * groupOut * groupRows, lda: groupRows, gn + group * groupOut * plane, ldb: plane,
                                                 cols + group * groupRows * plane, ldc: plane)
                                        }
                                        let target = pdx.baseAddress! + n * inputPlane
                                        target.initialize(repeating: 0, count: inputPlane)
                                        col2im(cols, target, sample)
                                    }
                                }
                            }
                        }
                    }
                }
            }
            initialized = dxCount
        }
        var dw = needW ? (0..<w.count).map { partials[0][$0] + partials[1][$0] } : []
        if needW && transposedWeightGradient {
            // Each group's [groupRows, groupOut] block back to [groupOut, groupRows].
            let sums = dw
            for group in 0..<groups {
                let base = group * groupOut * groupRows
                for o in 0..<groupOut { for r in 0..<groupRows { dw[base + o * groupRows + r] = sums[base + r * groupOut + o] } }
            }
        }
        var gradients: [[Double]?] = [needX ? dx : nil, needW ? dw : nil]
        if biasValues != nil {
            let offset = needW ? w.count : 0
            gradients.append(needB ? (0..<outChannels).map { partials[0][offset + $0] + partials[1][offset + $0] } : nil)
        }
        return gradients
    }
}

/// 1-D convolution of `input` `[N, C, L]` (or `[C, L]`) with `weight` `[O, C/groups, k]`, plus
/// `bias` `[O]` (PyTorch's `F.conv1d`).
public func conv1d(_ input: Tensor, weight: Tensor, bias: Tensor? = nil, stride: Int = 1, padding: Int = 0,
                   dilation: Int = 1, groups: Int = 1) -> Tensor {
    if input.rank == 2 {
        return conv1d(input.unsqueeze(0), weight: weight, bias: bias, stride: stride, padding: padding,
                      dilation: dilation, groups: groups).squeeze(0)
    }
    require(input.rank == 3, "conv1d: input must be [N, C, L] or [C, L], got \(input.shape).")
    require(weight.rank == 3, "conv1d: weight must be [outChannels, inChannels/groups, k], got \(weight.shape).")
    let output = conv2d(input.unsqueeze(2), weight: weight.unsqueeze(2), bias: bias, stride: Size2D(1, stride),
                        padding: Size2D(0, padding), dilation: Size2D(1, dilation), groups: groups)
    return output.squeeze(2)
}

/// The sum of `count` values, with four running sums so that the loop vectorises.
@inline(__always)
func rowSum(_ row: UnsafePointer<Double>, count: Int) -> Double {
    var (s0, s1, s2, s3) = (0.0, 0.0, 0.0, 0.0)
    var j = 0
    while j + 4 <= count { s0 += row[j]; s1 += row[j + 1]; s2 += row[j + 2]; s3 += row[j + 3]; j += 4 }
    while j < count { s0 += row[j]; j += 1 }
    return (s0 + s1) + (s2 + s3)
}

// MARK: - Pooling

/// Runs `body` on a batched `[N, C, H, W]` view of `input` (adding and removing the batch
/// dimension of a `[C, H, W]` input).
private func batched(_ input: Tensor, _ function: String, _ body: (Tensor) -> Tensor) -> Tensor {
    require(input.rank == 3 || input.rank == 4, "\(function): input must be [N, C, H, W] or [C, H, W], got \(input.shape).")
    return input.rank == 3 ? body(input.unsqueeze(0)).squeeze(0) : body(input)
}

/// The largest value in each window (PyTorch's `F.max_pool2d`); `stride` defaults to the kernel
/// size. Padding counts as −∞. The gradient goes to the first largest value of each window.
///
/// ```swift
/// let pooled = maxPool2d(x, kernelSize: 2)   // [N, C, H/2, W/2]
/// ```
public func maxPool2d(_ input: Tensor, kernelSize: Size2D, stride: Size2D? = nil, padding: Size2D = 0,
                      dilation: Size2D = 1, ceilMode: Bool = false) -> Tensor {
    batched(input, "maxPool2d") { x in
        let g = WindowGeometry(input: x.shape, kernel: kernelSize, stride: stride ?? kernelSize, padding: padding,
                               dilation: dilation, ceilMode: ceilMode, function: "maxPool2d")
        require(padding.height * 2 <= kernelSize.height && padding.width * 2 <= kernelSize.width,
                "maxPool2d: padding \(padding) must be at most half the kernel size \(kernelSize).")
        let planes = g.batch * g.channels, plane = g.height * g.width, outCount = planes * g.outPlane
        let (kh, kw, sh, sw, width) = (g.kernel.height, g.kernel.width, g.stride.height, g.stride.width, g.width)
        let (outHeight, outWidth, outPlane) = (g.outHeight, g.outWidth, g.outPlane)
        // Every window inside the input (no padding, no dilation, no ceil overhang): no bounds tests.
        let inside = g.padding == 0 && g.dilation == 1 && (outHeight - 1) * sh + kh <= g.height && (outWidth - 1) * sw + kw <= width
        // The windows tile the input exactly (stride = kernel, nothing left over), as in the usual
        // MaxPool2d(2) on an even plane: every input value lies in one window, so the backward pass
        // writes each gradient value once instead of zero-filling and scattering.
        let tiles = inside && sh == kh && sw == kw && outHeight * kh == g.height && outWidth * kw == width
        var winners = [Int](unsafeUninitializedCapacity: outCount) { _, initialized in initialized = outCount }
        var values = [Double](unsafeUninitializedCapacity: outCount) { _, initialized in initialized = outCount }
        x.storage.withUnsafeBufferPointer { source in
            values.withUnsafeMutableBufferPointer { pv in
                winners.withUnsafeMutableBufferPointer { pw in
                    guard outCount > 0, let input = source.baseAddress, let out = pv.baseAddress, let win = pw.baseAddress else { return }
                    if inside {
                        inTwoHalves(planes, worthSplitting: outCount * kh * kw >= 100_000) { _, part in
                            for q in part {
                                let first = q * plane, base = input + first
                                var o = q * outPlane
                                if kh == 2 && kw == 2 && sh == 2 && sw == 2 {
                                    // The common 2×2 window, written out; the same order and tests as below.
                                    for oy in 0..<outHeight {
                                        let index = first &+ 2 &* oy &* width
                                        let top = input + index, bottom = top + width, row = out + o, rowWinners = win + o
                                        for ox in 0..<outWidth {
                                            let c = 2 &* ox
                                            var best = top[c], bestIndex = index &+ c
                                            let b = top[c &+ 1]
                                            if b > best || b != b { best = b; bestIndex = index &+ c &+ 1 }
                                            let d = bottom[c]
                                            if d > best || d != d { best = d; bestIndex = index &+ width &+ c }
                                            let e = bottom[c &+ 1]
                                            if e > best || e != e { best = e; bestIndex = index &+ width &+ c &+ 1 }
                                            row[ox] = best
                                            rowWinners[ox] = bestIndex
                                        }
                                        o &+= outWidth
                                    }
                                    continue
                                }
                                for oy in 0..<outHeight {
                                    for ox in 0..<outWidth {
                                        let start = oy * sh * width + ox * sw
                                        var best = base[start], bestIndex = start
                                        for ki in 0..<kh {
                                            let line = start + ki * width
                                            for kj in 0..<kw {
                                                let v = base[line + kj]
                                                // The first largest wins, and any NaN, as in ATen's kernel.
                                                if v > best || v.isNaN { best = v; bestIndex = line + kj }
                                            }
                                        }
                                        out[o] = best
                                        win[o] = first + bestIndex
                                        o += 1
                                    }
                                }
                            }
                        }
                        return
                    }
                    for q in 0..<planes {
                        let base = input + q * plane
                        for oy in 0..<g.outHeight {
                            for ox in 0..<g.outWidth {
                                var best = -Double.infinity, bestIndex = -1
                                for ki in 0..<g.kernel.height {
                                    let iy = oy * g.stride.height - g.padding.height + ki * g.dilation.height
                                    if iy < 0 || iy >= g.height { continue }
                                    for kj in 0..<g.kernel.width {
                                        let ix = ox * g.stride.width - g.padding.width + kj * g.dilation.width
                                        if ix < 0 || ix >= g.width { continue }
                                        let v = base[iy * g.width + ix]
                                        // The first largest wins, and any NaN, as in ATen's kernel.
                                        if bestIndex < 0 || v > best || v.isNaN { best = v; bestIndex = iy * g.width + ix }
                                    }
                                }
                                let o = (q * g.outHeight + oy) * g.outWidth + ox
                                out[o] = best
                                win[o] = q * plane + bestIndex
                            }
                        }
                    }
                }
            }
        }
        let inputCount = x.count
        return Tensor(shape: [g.batch, g.channels, g.outHeight, g.outWidth], storage: values, parents: [x]) { grad in
            // Whole planes per half, so the halves write disjoint parts of dx.
            let split = outCount >= 50_000
            guard tiles else {
                var dx = [Double](repeating: 0, count: inputCount)
                dx.withUnsafeMutableBufferPointer { d in
                    grad.withUnsafeBufferPointer { pg in
                        winners.withUnsafeBufferPointer { pw in
                            guard outCount > 0, let target = d.baseAddress, let upstream = pg.baseAddress, let win = pw.baseAddress else { return }
                            inTwoHalves(planes, worthSplitting: split) { _, part in
                                for o in (part.lowerBound * outPlane)..<(part.upperBound * outPlane) { target[win[o]] += upstream[o] }
                            }
                        }
                    }
                }
                return [dx]
            }
            let dx = [Double](unsafeUninitializedCapacity: inputCount) { d, initialized in
                grad.withUnsafeBufferPointer { pg in
                    winners.withUnsafeBufferPointer { pw in
                        guard outCount > 0, let target = d.baseAddress, let upstream = pg.baseAddress, let win = pw.baseAddress else { return }
                        inTwoHalves(planes, worthSplitting: split) { _, part in
                            for q in part {
                                var o = q * outPlane
                                if kh == 2 && kw == 2 {
                                    // The common 2×2 window, written out: each output's gradient goes to the one of its
                                    // four inputs that won, zeros to the other three.
                                    for oy in 0..<outHeight {
                                        let index = q &* plane &+ 2 &* oy &* width
                                        let top = target + index, bottom = top + width
                                        for ox in 0..<outWidth {
                                            let c = 2 &* ox, winner = win[o &+ ox] &- index, value = upstream[o &+ ox]
                                            top[c] = winner == c ? value : 0
                                            top[c &+ 1] = winner == c &+ 1 ? value : 0
                                            bottom[c] = winner == width &+ c ? value : 0
                                            bottom[c &+ 1] = winner == width &+ c &+ 1 ? value : 0
                                        }
                                        o &+= outWidth
                                    }
                                    continue
                                }
                                for oy in 0..<outHeight {
                                    let row = q * plane + oy * kh * width
                                    for ox in 0..<outWidth {
                                        let winner = win[o + ox], value = upstream[o + ox]
                                        for ki in 0..<kh {
                                            let line = row + ki * width + ox * kw
                                            for kj in 0..<kw { target[line + kj] = line + kj == winner ? value : 0 }
                                        }
                                    }
                                    o += outWidth
                                }
                            }
                        }
                    }
                }
                initialized = inputCount
            }
            return [dx]
        }
    }
}

/// The mean of each window (PyTorch's `F.avg_pool2d`); `stride` defaults to the kernel size.
/// With `countIncludePad` (the default) padded zeros count in the mean; `divisorOverride`
/// replaces the window size as divisor.
public func avgPool2d(_ input: Tensor, kernelSize: Size2D, stride: Size2D? = nil, padding: Size2D = 0,
                      ceilMode: Bool = false, countIncludePad: Bool = true, divisorOverride: Int? = nil) -> Tensor {
    batched(input, "avgPool2d") { x in
        let g = WindowGeometry(input: x.shape, kernel: kernelSize, stride: stride ?? kernelSize, padding: padding,
                               dilation: 1, ceilMode: ceilMode, function: "avgPool2d")
        require(padding.height * 2 <= kernelSize.height && padding.width * 2 <= kernelSize.width,
                "avgPool2d: padding \(padding) must be at most half the kernel size \(kernelSize).")
        if let divisorOverride { require(divisorOverride != 0, "avgPool2d: divisorOverride must not be zero.") }
        // Each output's window, clipped to the input, and its divisor (as ATen's avg_pool2d).
        struct Window { let y0: Int, y1: Int, x0: Int, x1: Int, scale: Double }
        var windows: [Window] = []
        windows.reserveCapacity(g.outPlane)
        for oy in 0..<g.outHeight {
            for ox in 0..<g.outWidth {
                var y0 = oy * g.stride.height - g.padding.height, x0 = ox * g.stride.width - g.padding.width
                var y1 = Swift.min(y0 + g.kernel.height, g.height + g.padding.height)
                var x1 = Swift.min(x0 + g.kernel.width, g.width + g.padding.width)
                let paddedSize = (y1 - y0) * (x1 - x0)
                y0 = Swift.max(y0, 0); x0 = Swift.max(x0, 0)
                y1 = Swift.min(y1, g.height); x1 = Swift.min(x1, g.width)
                let divisor = divisorOverride ?? (countIncludePad ? paddedSize : (y1 - y0) * (x1 - x0))
                windows.append(Window(y0: y0, y1: y1, x0: x0, x1: x1, scale: 1 / Double(divisor)))
            }
        }
        let planes = g.batch * g.channels, plane = g.height * g.width
        var values = [Double](repeating: 0, count: planes * g.outPlane)
        x.storage.withUnsafeBufferPointer { source in
            for q in 0..<planes {
                let base = source.baseAddress! + q * plane
                for (w, window) in windows.enumerated() {
                    var total = 0.0
                    for iy in window.y0..<Swift.max(window.y0, window.y1) {
                        for ix in window.x0..<Swift.max(window.x0, window.x1) { total += base[iy * g.width + ix] }
                    }
                    values[q * g.outPlane + w] = total * window.scale
                }
            }
        }
        let inputCount = x.count
        return Tensor(shape: [g.batch, g.channels, g.outHeight, g.outWidth], storage: values, parents: [x]) { grad in
            var dx = [Double](repeating: 0, count: inputCount)
            for q in 0..<planes {
                for (w, window) in windows.enumerated() {
                    let share = grad[q * g.outPlane + w] * window.scale
                    for iy in window.y0..<Swift.max(window.y0, window.y1) {
                        for ix in window.x0..<Swift.max(window.x0, window.x1) { dx[q * plane + iy * g.width + ix] += share }
                    }
                }
            }
            return [dx]
        }
    }
}

/// The mean over windows chosen so that the output is `outputSize` whatever the input's size
/// (PyTorch's `F.adaptive_avg_pool2d`): output row i averages input rows ⌊i·H/Ho⌋ ..< ⌈(i+1)·H/Ho⌉.
///
/// ```swift
/// let features = adaptiveAvgPool2d(x, outputSize: 1)   // global average pooling: [N, C, 1, 1]
/// ```
public func adaptiveAvgPool2d(_ input: Tensor, outputSize: Size2D) -> Tensor {
    batched(input, "adaptiveAvgPool2d") { x in
        require(outputSize.height > 0 && outputSize.width > 0, "adaptiveAvgPool2d: output size must be positive, got \(outputSize).")
        let (planes, height, width) = (x.shape[0] * x.shape[1], x.shape[2], x.shape[3])
        let (outH, outW) = (outputSize.height, outputSize.width)
        func bounds(_ i: Int, _ out: Int, _ size: Int) -> Range<Int> { (i * size / out)..<(((i + 1) * size + out - 1) / out) }
        let rows = (0..<outH).map { bounds($0, outH, height) }, columns = (0..<outW).map { bounds($0, outW, width) }
        var values = [Double](repeating: 0, count: planes * outH * outW)
        let plane = height * width
        x.storage.withUnsafeBufferPointer { source in
            for q in 0..<planes {
                for (i, r) in rows.enumerated() {
                    for (j, c) in columns.enumerated() {
                        var total = 0.0
                        for iy in r { for ix in c { total += source[q * plane + iy * width + ix] } }
                        values[(q * outH + i) * outW + j] = total / Double(r.count * c.count)
                    }
                }
            }
        }
        let inputCount = x.count
        return Tensor(shape: [x.shape[0], x.shape[1], outH, outW], storage: values, parents: [x]) { grad in
            var dx = [Double](repeating: 0, count: inputCount)
            for q in 0..<planes {
                for (i, r) in rows.enumerated() {
                    for (j, c) in columns.enumerated() {
                        let share = grad[(q * outH + i) * outW + j] / Double(r.count * c.count)
                        for iy in r { for ix in c { dx[q * plane + iy * width + ix] += share } }
                    }
                }
            }
            return [dx]
        }
    }
}
