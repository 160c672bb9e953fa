import COpenBLAS
import Foundation

/// OpenBLAS chooses its kernels by the CPU's family and model number, and falls back to its
/// oldest x86-64 kernels (Prescott, SSE3) on a model it does not know — as a virtual machine
/// that names its CPU "Intel Xeon Processor" is: a 1024³ product ran at 10 GFLOP/s instead of 65.
/// When that happened and the CPU has AVX-512 or AVX2 (from /proc/cpuinfo), this selects the
/// matching kernels, as `OPENBLAS_CORETYPE` would, before the first product. An explicit
/// `OPENBLAS_CORETYPE` is left alone. Runs once, when the first tensor is created.
enum BLASKernels {
    /// The kernels OpenBLAS uses ("SkylakeX", "Haswell", "Prescott", …).
    static var coreName: String {
        selection
        return openblas_get_corename().map { String(cString: $0) } ?? "unknown"
    }

    static let selection: Void = {
        #if os(Linux)
        guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
              let corename = openblas_get_corename().map({ String(cString: $0) }), corename.lowercased() == "prescott",
              let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
              let flagsLine = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }) else { return }
        let flags = Set(flagsLine.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == ":" }).map(String.init))
        let core: String
        if ["avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"].allSatisfy(flags.contains) {
            core = "SkylakeX"
        } else if ["avx2", "fma"].allSatisfy(flags.contains) {
            core = "Haswell"
        } else {
            return
        }
        // gotoblas_dynamic_init picks the kernels from OPENBLAS_CORETYPE; it is exported by
        // OpenBLAS's dynamic-architecture builds but not declared in cblas.h.
        typealias Hook = @convention(c) () -> Void
        guard let quit = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "gotoblas_dynamic_quit"),
              let initialise = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "gotoblas_dynamic_init") else { return }
        setenv("OPENBLAS_CORETYPE", core, 0)
        unsafeBitCast(quit, to: Hook.self)()
        unsafeBitCast(initialise, to: Hook.self)()
        unsetenv("OPENBLAS_CORETYPE")
        #endif
    }()
}

// Matrix products. Large products go to OpenBLAS's dgemm; below a small size the call overhead
// outweighs the work, so a plain loop does them.

/// C = A·B + beta·C on row-major buffers, with optional transposition of A and B
/// (A is m×k after transposition, B is k×n).
@inline(__always)
func gemm(transA: Bool = false, transB: Bool = false, m: Int, n: Int, k: Int,
          _ a: UnsafePointer<Double>, lda: Int, _ b: UnsafePointer<Double>, ldb: Int,
          beta: Double = 0, _ c: UnsafeMutablePointer<Double>, ldc: Int) {
    if m == 0 || n == 0 { return }
    if m * n * k <= smallProductLimit {
        smallGemm(transA: transA, transB: transB, m: m, n: n, k: k, a, lda: lda, b, ldb: ldb, beta: beta, c, ldc: ldc)
        return
    }
    cblas_dgemm(CblasRowMajor, transA ? CblasTrans : CblasNoTrans, transB ? CblasTrans : CblasNoTrans,
                Int32(m), Int32(n), Int32(k), 1, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
}

/// Products with at most this many multiply-adds use the loop below (measured in the benchmark).
@_spi(Benchmark) public nonisolated(unsafe) var smallProductLimit = 4096

@inline(__always)
func smallGemm(transA: Bool, transB: Bool, m: Int, n: Int, k: Int,
               _ a: UnsafePointer<Double>, lda: Int, _ b: UnsafePointer<Double>, ldb: Int,
               beta: Double, _ c: UnsafeMutablePointer<Double>, ldc: Int) {
    for i in 0..<m {
        let row = c + i * ldc
        if beta == 0 { for j in 0..<n { row[j] = 0 } } else if beta != 1 { for j in 0..<n { row[j] *= beta } }
        for p in 0..<k {
            let aip = transA ? a[p * lda + i] : a[i * lda + p]
            if transB {
                for j in 0..<n { row[j] += aip * b[j * ldb + p] }
            } else {
                let brow = b + p * ldb
                for j in 0..<n { row[j] += aip * brow[j] }
            }
        }
    }
}

/// Row-major product of an m×k and a k×n array (with optional transposes), as a new array.
func matrixProduct(_ a: [Double], _ b: [Double], m: Int, n: Int, k: Int,
                   transA: Bool = false, transB: Bool = false) -> [Double] {
    [Double](unsafeUninitializedCapacity: m * n) { c, initialized in
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                if k == 0 {
                    for i in 0..<(m * n) { c[i] = 0 }
                } else {
                    gemm(transA: transA, transB: transB, m: m, n: n, k: k,
                         pa.baseAddress!, lda: transA ? m : k, pb.baseAddress!, ldb: transB ? k : n,
                         c.baseAddress!, ldc: n)
                }
            }
        }
        initialized = m * n
    }
}

extension Tensor {
    /// Matrix product with PyTorch's rules: 1-D·1-D is a dot product, 2-D·2-D a matrix product,
    /// and leading (batch) dimensions broadcast.
    public func matmul(_ other: Tensor) -> Tensor {
        require(rank >= 1 && other.rank >= 1, "matmul: both operands need at least one dimension, got \(shape) and \(other.shape).")
        if rank == 1 && other.rank == 1 {
            require(shape == other.shape, "matmul: dot product of vectors of length \(shape[0]) and \(other.shape[0]).")
            return (self * other).sum()
        }
        if rank == 1 { return unsqueezed(0).matmul(other).squeezed(-2) }
        if other.rank == 1 { return matmul(other.unsqueezed(1)).squeezed(-1) }
        let k = shape[rank - 1]
        require(other.shape[other.rank - 2] == k,
                     "matmul: inner dimensions differ: \(shape) · \(other.shape) (\(k) vs \(other.shape[other.rank - 2])).")
        if other.rank == 2 {
            // Fold every leading dimension of self into the rows of one product.
            let rows = count / Swift.max(k, 1), n = other.shape[1]
            let product = matrixProductOperation(self.reshaped([rows, k]), other, m: rows, n: n, k: k)
            return product.reshaped(Array(shape.dropLast()) + [n])
        }
        let m = shape[rank - 2], n = other.shape[other.rank - 1]
        let batchA = Array(shape.dropLast(2)), batchB = Array(other.shape.dropLast(2))
        guard let batch = broadcastShape(batchA, batchB) else {
            requirementFailed("matmul: batch dimensions of \(shape) and \(other.shape) cannot be broadcast together.")
        }
        let a = batchA == batch ? self : expanded(to: batch + [m, k])
        let b = batchB == batch ? other : other.expanded(to: batch + [k, n])
        return batchedProduct(a, b, batches: shapeElementCount(batch), m: m, n: n, k: k).reshaped(batch + [m, n])
    }

    /// Matrix product (same as `matmul`).
    public static func &* (lhs: Tensor, rhs: Tensor) -> Tensor { lhs.matmul(rhs) }
}

infix operator &* : MultiplicationPrecedence

/// 2-D product node: dA = dC·Bᵀ, dB = Aᵀ·dC.
private func matrixProductOperation(_ a: Tensor, _ b: Tensor, m: Int, n: Int, k: Int) -> Tensor {
    let av = a.storage, bv = b.storage
    let needA = a.requiresGrad, needB = b.requiresGrad
    return Tensor(shape: [m, n], storage: matrixProduct(av, bv, m: m, n: n, k: k), parents: [a, b]) { g in
        [needA ? matrixProduct(g, bv, m: m, n: k, k: n, transB: true) : nil,
         needB ? matrixProduct(av, g, m: k, n: n, k: m, transA: true) : nil]
    }
}

private func batchedProduct(_ a: Tensor, _ b: Tensor, batches: Int, m: Int, n: Int, k: Int) -> Tensor {
    let av = a.storage, bv = b.storage
    func run(_ x: [Double], _ y: [Double], m: Int, n: Int, k: Int, transA: Bool, transB: Bool) -> [Double] {
        var out = [Double](repeating: 0, count: batches * m * n)
        x.withUnsafeBufferPointer { px in
            y.withUnsafeBufferPointer { py in
                out.withUnsafeMutableBufferPointer { po in
                    for i in 0..<batches where k > 0 {
                        gemm(transA: transA, transB: transB, m: m, n: n, k: k,
                             px.baseAddress! + i * m * k, lda: transA ? m : k,
                             py.baseAddress! + i * k * n, ldb: transB ? k : n,
                             po.baseAddress! + i * m * n, ldc: n)
                    }
                }
            }
        }
        return out
    }
    let needA = a.requiresGrad, needB = b.requiresGrad
    let values = run(av, bv, m: m, n: n, k: k, transA: false, transB: false)
    return Tensor(shape: [batches, m, n], storage: values, parents: [a, b]) { g in
        [needA ? run(g, bv, m: m, n: k, k: n, transA: false, transB: true) : nil,
         needB ? run(av, g, m: k, n: n, k: m, transA: true, transB: false) : nil]
    }
}

/// y = x·Wᵀ + b in one recorded operation (what `Linear` computes); x may have any number of
/// leading dimensions.
public func linear(_ input: Tensor, weight: Tensor, bias: Tensor?) -> Tensor {
    require(weight.rank == 2, "linear: weight must be 2-D [out, in], got \(weight.shape).")
    let outFeatures = weight.shape[0], inFeatures = weight.shape[1]
    require(input.rank >= 1 && input.shape[input.rank - 1] == inFeatures,
                 "linear: input of shape \(input.shape) does not end in \(inFeatures) features (weight \(weight.shape)).")
    if let bias { require(bias.shape == [outFeatures], "linear: bias shape \(bias.shape) does not match \(outFeatures) outputs.") }
    let rows = input.count / Swift.max(inFeatures, 1)
    let x = input.storage, w = weight.storage
    var y = matrixProduct(x, w, m: rows, n: outFeatures, k: inFeatures, transB: true)
    if let b = bias?.storage {
        y.withUnsafeMutableBufferPointer { py in
            b.withUnsafeBufferPointer { pb in
                for r in 0..<rows { for j in 0..<outFeatures { py[r * outFeatures + j] += pb[j] } }
            }
        }
    }
    let needX = input.requiresGrad, needW = weight.requiresGrad, needB = bias?.requiresGrad ?? false
    let parents = bias.map { [input, weight, $0] } ?? [input, weight]
    return Tensor(shape: Array(input.shape.dropLast()) + [outFeatures], storage: y, parents: parents) { g in
        var grads: [[Double]?] = [
            needX ? matrixProduct(g, w, m: rows, n: inFeatures, k: outFeatures) : nil,
            needW ? matrixProduct(g, x, m: outFeatures, n: inFeatures, k: rows, transA: true) : nil,
        ]
        if bias != nil {
            grads.append(needB ? columnSums(g, rows: rows, columns: outFeatures) : nil)
        }
        return grads
    }
}

func columnSums(_ g: [Double], rows: Int, columns: Int) -> [Double] {
    var sums = [Double](repeating: 0, count: columns)
    sums.withUnsafeMutableBufferPointer { s in
        g.withUnsafeBufferPointer { pg in
            for r in 0..<rows { for j in 0..<columns { s[j] += pg[r * columns + j] } }
        }
    }
    return sums
}
