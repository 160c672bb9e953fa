import Foundation

// Elementwise arithmetic and activation functions. Each operation computes its values and, in the
// same place, the closure that maps the output's gradient to its inputs' gradients.

// MARK: - Loops

@inline(__always)
func mapValues(_ x: [Double], _ f: (Double) -> Double) -> [Double] {
    [Double](unsafeUninitializedCapacity: x.count) { out, initialized in
        x.withUnsafeBufferPointer { p in for i in 0..<p.count { out[i] = f(p[i]) } }
        initialized = x.count
    }
}

@inline(__always)
func zipValues(_ x: [Double], _ y: [Double], _ f: (Double, Double) -> Double) -> [Double] {
    require(x.count == y.count)
    return [Double](unsafeUninitializedCapacity: x.count) { out, initialized in
        x.withUnsafeBufferPointer { p in
            y.withUnsafeBufferPointer { q in for i in 0..<p.count { out[i] = f(p[i], q[i]) } }
        }
        initialized = x.count
    }
}

extension Tensor {
    /// Elementwise unary operation whose derivative is expressed through input and output.
    @inline(__always)
    func unary(_ f: (Double) -> Double, derivative: @escaping (_ x: Double, _ y: Double) -> Double) -> Tensor {
        let x = storage
        let y = mapValues(x, f)
        return Tensor(shape: shape, storage: y, parents: [self]) { g in
            [[Double](unsafeUninitializedCapacity: g.count) { out, initialized in
                g.withUnsafeBufferPointer { pg in
                    x.withUnsafeBufferPointer { px in
                        y.withUnsafeBufferPointer { py in
                            for i in 0..<pg.count { out[i] = pg[i] * derivative(px[i], py[i]) }
                        }
                    }
                }
                initialized = g.count
            }]
        }
    }
}

// MARK: - Arithmetic

extension Tensor {
    /// Elementwise sum with broadcasting.
    public static func + (lhs: Tensor, rhs: Tensor) -> Tensor {
        guard let outShape = broadcastShape(lhs.shape, rhs.shape) else {
            requirementFailed("+: shapes \(lhs.shape) and \(rhs.shape) cannot be broadcast together.")
        }
        let values = broadcastCombine(lhs.storage, lhs.shape, rhs.storage, rhs.shape, outShape, +)
        let aShape = lhs.shape, bShape = rhs.shape
        let needA = lhs.requiresGrad, needB = rhs.requiresGrad
        return Tensor(shape: outShape, storage: values, parents: [lhs, rhs]) { g in
            [needA ? reduceToShape(g, from: outShape, to: aShape) : nil,
             needB ? reduceToShape(g, from: outShape, to: bShape) : nil]
        }
    }

    /// Elementwise difference with broadcasting.
    public static func - (lhs: Tensor, rhs: Tensor) -> Tensor {
        guard let outShape = broadcastShape(lhs.shape, rhs.shape) else {
            requirementFailed("-: shapes \(lhs.shape) and \(rhs.shape) cannot be broadcast together.")
        }
        let values = broadcastCombine(lhs.storage, lhs.shape, rhs.storage, rhs.shape, outShape, -)
        let aShape = lhs.shape, bShape = rhs.shape
        let needA = lhs.requiresGrad, needB = rhs.requiresGrad
        return Tensor(shape: outShape, storage: values, parents: [lhs, rhs]) { g in
            [needA ? reduceToShape(g, from: outShape, to: aShape) : nil,
             needB ? reduceToShape(mapValues(g) { -$0 }, from: outShape, to: bShape) : nil]
        }
    }

    /// Elementwise product with broadcasting.
    public static func * (lhs: Tensor, rhs: Tensor) -> Tensor {
        guard let outShape = broadcastShape(lhs.shape, rhs.shape) else {
            requirementFailed("*: shapes \(lhs.shape) and \(rhs.shape) cannot be broadcast together.")
        }
        let a = lhs.storage, b = rhs.storage, aShape = lhs.shape, bShape = rhs.shape
        let values = broadcastCombine(a, aShape, b, bShape, outShape, *)
        let needA = lhs.requiresGrad, needB = rhs.requiresGrad
        return Tensor(shape: outShape, storage: values, parents: [lhs, rhs]) { g in
            // ∂(ab)/∂a = b, ∂(ab)/∂b = a.
            [needA ? reduceToShape(broadcastCombine(g, outShape, b, bShape, outShape, *), from: outShape, to: aShape) : nil,
             needB ? reduceToShape(broadcastCombine(g, outShape, a, aShape, outShape, *), from: outShape, to: bShape) : nil]
        }
    }

    /// Elementwise quotient with broadcasting.
    public static func / (lhs: Tensor, rhs: Tensor) -> Tensor {
        guard let outShape = broadcastShape(lhs.shape, rhs.shape) else {
            requirementFailed("/: shapes \(lhs.shape) and \(rhs.shape) cannot be broadcast together.")
        }
        let a = lhs.storage, b = rhs.storage, aShape = lhs.shape, bShape = rhs.shape
        let values = broadcastCombine(a, aShape, b, bShape, outShape, /)
        let needA = lhs.requiresGrad, needB = rhs.requiresGrad
        return Tensor(shape: outShape, storage: values, parents: [lhs, rhs]) { g in
            // ∂(a/b)/∂a = 1/b, ∂(a/b)/∂b = −out/b.
            var gb: [Double]? = nil
            if needB {
                let gOverB = broadcastCombine(g, outShape, b, bShape, outShape, /)
                gb = reduceToShape(zipValues(gOverB, values) { -$0 * $1 }, from: outShape, to: bShape)
            }
            return [needA ? reduceToShape(broadcastCombine(g, outShape, b, bShape, outShape, /), from: outShape, to: aShape) : nil, gb]
        }
    }

    /// Negation.
    public static prefix func - (x: Tensor) -> Tensor {
        x.unary({ -$0 }, derivative: { _, _ in -1 })
    }

    // Scalars on either side.
    /// Adds a scalar to every element.
    public static func + (lhs: Tensor, rhs: Double) -> Tensor { lhs.unary({ $0 + rhs }, derivative: { _, _ in 1 }) }
    /// Adds a scalar to every element.
    public static func + (lhs: Double, rhs: Tensor) -> Tensor { rhs + lhs }
    /// Subtracts a scalar from every element.
    public static func - (lhs: Tensor, rhs: Double) -> Tensor { lhs + (-rhs) }
    /// Subtracts every element from a scalar.
    public static func - (lhs: Double, rhs: Tensor) -> Tensor { rhs.unary({ lhs - $0 }, derivative: { _, _ in -1 }) }
    /// Multiplies every element by a scalar.
    public static func * (lhs: Tensor, rhs: Double) -> Tensor { lhs.unary({ $0 * rhs }, derivative: { _, _ in rhs }) }
    /// Multiplies every element by a scalar.
    public static func * (lhs: Double, rhs: Tensor) -> Tensor { rhs * lhs }
    /// Divides every element by a scalar.
    public static func / (lhs: Tensor, rhs: Double) -> Tensor { lhs.unary({ $0 / rhs }, derivative: { _, _ in 1 / rhs }) }
    /// Divides a scalar by every element.
    public static func / (lhs: Double, rhs: Tensor) -> Tensor {
        rhs.unary({ lhs / $0 }, derivative: { x, y in -y / x })
    }
}

// MARK: - Unary functions

extension Tensor {
    /// Raises every element to `exponent`.
    public func pow(_ exponent: Double) -> Tensor {
        if exponent == 2 { return unary({ $0 * $0 }, derivative: { x, _ in 2 * x }) }
        return unary({ Foundation.pow($0, exponent) },
                     derivative: { x, _ in exponent == 0 ? 0 : exponent * Foundation.pow(x, exponent - 1) })
    }

    /// Elementwise power with a tensor exponent (broadcasting). Gradient with respect to the
    /// exponent uses log(base), so bases should be positive where that gradient is needed.
    public func pow(_ exponent: Tensor) -> Tensor {
        guard let outShape = broadcastShape(shape, exponent.shape) else {
            requirementFailed("pow: shapes \(shape) and \(exponent.shape) cannot be broadcast together.")
        }
        let a = expandValues(storage, from: shape, to: outShape)
        let b = expandValues(exponent.storage, from: exponent.shape, to: outShape)
        let values = zipValues(a, b) { Foundation.pow($0, $1) }
        let aShape = shape, bShape = exponent.shape
        let needA = requiresGrad, needB = exponent.requiresGrad
        return Tensor(shape: outShape, storage: values, parents: [self, exponent]) { g in
            var ga: [Double]? = nil, gb: [Double]? = nil
            if needA {
                var d = [Double](repeating: 0, count: g.count)
                for i in 0..<g.count where b[i] != 0 { d[i] = g[i] * b[i] * Foundation.pow(a[i], b[i] - 1) }
                ga = reduceToShape(d, from: outShape, to: aShape)
            }
            if needB {
                var d = [Double](repeating: 0, count: g.count)
                for i in 0..<g.count where a[i] > 0 { d[i] = g[i] * values[i] * Foundation.log(a[i]) }
                gb = reduceToShape(d, from: outShape, to: bShape)
            }
            return [ga, gb]
        }
    }

    /// eˣ elementwise.
    public func exp() -> Tensor { unary(Foundation.exp, derivative: { _, y in y }) }

    /// Natural logarithm elementwise.
    public func log() -> Tensor { unary(Foundation.log, derivative: { x, _ in 1 / x }) }

    /// Square root elementwise.
    public func sqrt() -> Tensor { unary(Foundation.sqrt, derivative: { _, y in 0.5 / y }) }

    /// Absolute value elementwise; the gradient at 0 is 0, as in PyTorch.
    public func abs() -> Tensor {
        unary(Swift.abs, derivative: { x, _ in x > 0 ? 1 : (x < 0 ? -1 : 0) })
    }

    /// Limits every element to `[min, max]`; the gradient is 1 inside the interval and 0 outside.
    public func clamp(min low: Double = -.infinity, max high: Double = .infinity) -> Tensor {
        unary({ Swift.min(Swift.max($0, low), high) }, derivative: { x, _ in x >= low && x <= high ? 1 : 0 })
    }

    /// The logistic sigmoid σ(x) = 1 / (1 + e⁻ˣ), computed without overflow for large |x|.
    public func sigmoid() -> Tensor {
        unary(logistic, derivative: { _, y in y * (1 - y) })
    }

    /// Hyperbolic tangent elementwise.
    public func tanh() -> Tensor { unary(hyperbolicTangent, derivative: { _, y in 1 - y * y }) }

    /// max(0, x) elementwise; the gradient at 0 is 0, as in PyTorch.
    public func relu() -> Tensor {
        // Written out rather than through `unary`: convolutional networks run it on millions of values.
        // Large ones are split over the two cores. The loops read and write through `let` base
        // pointers (not the initializer's `inout` buffer, which the closure would reload every
        // iteration), so that they vectorise.
        let x = storage, n = x.count, split = n >= 200_000
        let y = [Double](unsafeUninitializedCapacity: n) { out, initialized in
            guard let target = out.baseAddress, n > 0 else { return }
            x.withUnsafeBufferPointer { px in
                guard let source = px.baseAddress else { return }
                inTwoHalves(n, worthSplitting: split) { _, range in
                    for i in range { let v = source[i]; target[i] = v > 0 ? v : 0 }
                }
            }
            initialized = n
        }
        return Tensor(shape: shape, storage: y, parents: [self]) { g in
            [[Double](unsafeUninitializedCapacity: n) { out, initialized in
                guard let target = out.baseAddress, n > 0 else { return }
                x.withUnsafeBufferPointer { px in
                    g.withUnsafeBufferPointer { pg in
                        guard let source = px.baseAddress, let upstream = pg.baseAddress else { return }
                        inTwoHalves(n, worthSplitting: split) { _, range in
                            for i in range { let u = upstream[i]; target[i] = source[i] > 0 ? u : 0 }
                        }
                    }
                }
                initialized = n
            }]
        }
    }

    /// x for x > 0, `negativeSlope`·x otherwise.
    public func leakyRelu(negativeSlope: Double = 0.01) -> Tensor {
        unary({ $0 > 0 ? $0 : negativeSlope * $0 }, derivative: { x, _ in x > 0 ? 1 : negativeSlope })
    }

    /// Gaussian error linear unit, exact form x·Φ(x) (PyTorch's default, `approximate='none'`).
    public func gelu() -> Tensor {
        unary({ x in 0.5 * x * (1 + Foundation.erf(x / 2.0.squareRoot())) },
              derivative: { x, _ in
                  let cdf = 0.5 * (1 + Foundation.erf(x / 2.0.squareRoot()))
                  let pdf = Foundation.exp(-0.5 * x * x) / (2 * Double.pi).squareRoot()
                  return cdf + x * pdf
              })
    }

    /// GELU with PyTorch's tanh approximation (`approximate='tanh'`):
    /// ½x(1 + tanh(√(2/π)(x + 0.044715x³))).
    public func gelu(approximate: GELUApproximation) -> Tensor {
        guard approximate == .tanh else { return gelu() }
        let beta = (2 / Double.pi).squareRoot(), kappa = 0.044715
        return unary({ x in 0.5 * x * (1 + Foundation.tanh(beta * (x + kappa * x * x * x))) },
                     derivative: { x, _ in
                         let t = Foundation.tanh(beta * (x + kappa * x * x * x))
                         return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * beta * (1 + 3 * kappa * x * x)
                     })
    }

    /// Exponential linear unit: x for x > 0, α(eˣ − 1) otherwise (PyTorch's `F.elu`).
    public func elu(alpha: Double = 1) -> Tensor {
        unary({ $0 > 0 ? $0 : alpha * Foundation.expm1($0) }, derivative: { x, _ in x > 0 ? 1 : alpha * Foundation.exp(x) })
    }

    /// Scaled ELU, λ·elu(x, α) with PyTorch's λ ≈ 1.0507 and α ≈ 1.6733, which keep activations
    /// near zero mean and unit variance (`F.selu`).
    public func selu() -> Tensor {
        let (scale, alpha) = (seluScale, seluAlpha)
        return unary({ $0 > 0 ? scale * $0 : scale * alpha * Foundation.expm1($0) },
                     derivative: { x, _ in x > 0 ? scale : scale * alpha * Foundation.exp(x) })
    }

    /// Sigmoid linear unit (swish), x·σ(x) (PyTorch's `F.silu`).
    public func silu() -> Tensor {
        unary({ $0 * logistic($0) }, derivative: { x, _ in let s = logistic(x); return s * (1 + x * (1 - s)) })
    }

    /// log(1 + eˣ), computed stably; PyTorch's default switches to x above 20 (`threshold`).
    public func softplus(beta: Double = 1, threshold: Double = 20) -> Tensor {
        unary({ x in
            let bx = beta * x
            return bx > threshold ? x : (Swift.max(bx, 0) + Foundation.log1p(Foundation.exp(-Swift.abs(bx)))) / beta
        }, derivative: { x, _ in
            let bx = beta * x
            return bx > threshold ? 1 : logistic(bx)
        })
    }
}


// MARK: - Trigonometric and hyperbolic functions, erf

extension Tensor {
    /// sin(x) elementwise.
    public func sin() -> Tensor { unary(Foundation.sin, derivative: { x, _ in Foundation.cos(x) }) }

    /// cos(x) elementwise.
    public func cos() -> Tensor { unary(Foundation.cos, derivative: { x, _ in -Foundation.sin(x) }) }

    /// tan(x) elementwise.
    public func tan() -> Tensor { unary(Foundation.tan, derivative: { _, y in 1 + y * y }) }

    /// arcsin(x) elementwise; NaN outside [−1, 1].
    public func asin() -> Tensor { unary(Foundation.asin, derivative: { x, _ in 1 / (1 - x * x).squareRoot() }) }

    /// arccos(x) elementwise; NaN outside [−1, 1].
    public func acos() -> Tensor { unary(Foundation.acos, derivative: { x, _ in -1 / (1 - x * x).squareRoot() }) }

    /// arctan(x) elementwise.
    public func atan() -> Tensor { unary(Foundation.atan, derivative: { x, _ in 1 / (1 + x * x) }) }

    /// sinh(x) elementwise.
    public func sinh() -> Tensor { unary(Foundation.sinh, derivative: { x, _ in Foundation.cosh(x) }) }

    /// cosh(x) elementwise.
    public func cosh() -> Tensor { unary(Foundation.cosh, derivative: { x, _ in Foundation.sinh(x) }) }

    /// arsinh(x) elementwise.
    public func asinh() -> Tensor { unary(Foundation.asinh, derivative: { x, _ in 1 / (x * x + 1).squareRoot() }) }

    /// arcosh(x) elementwise; NaN below 1.
    public func acosh() -> Tensor { unary(Foundation.acosh, derivative: { x, _ in 1 / ((x - 1) * (x + 1)).squareRoot() }) }

    /// artanh(x) elementwise; NaN outside [−1, 1].
    public func atanh() -> Tensor { unary(Foundation.atanh, derivative: { x, _ in 1 / (1 - x * x) }) }

    /// The error function erf(x) = 2/√π ∫₀ˣ e^(−t²) dt, elementwise.
    public func erf() -> Tensor {
        unary(Foundation.erf, derivative: { x, _ in 2 / Double.pi.squareRoot() * Foundation.exp(-x * x) })
    }

    /// The complementary error function 1 − erf(x), elementwise (accurate where erf(x) is near 1).
    public func erfc() -> Tensor {
        unary(Foundation.erfc, derivative: { x, _ in -2 / Double.pi.squareRoot() * Foundation.exp(-x * x) })
    }
}

// MARK: - Rounding and sign (gradient zero, as in PyTorch)

extension Tensor {
    /// −1, 0 or 1 by the sign of each element (NaN stays NaN); its gradient is zero.
    public func sign() -> Tensor {
        unary({ $0 > 0 ? 1 : ($0 < 0 ? -1 : ($0.isNaN ? $0 : 0)) }, derivative: { _, _ in 0 })
    }

    /// The largest whole number ≤ x, elementwise; its gradient is zero.
    public func floor() -> Tensor { unary({ $0.rounded(.down) }, derivative: { _, _ in 0 }) }

    /// The smallest whole number ≥ x, elementwise; its gradient is zero.
    public func ceil() -> Tensor { unary({ $0.rounded(.up) }, derivative: { _, _ in 0 }) }

    /// The whole number nearest x, halves to even as in PyTorch (`round(2.5) == 2`); with
    /// `decimals`, rounds to that many decimal places. Its gradient is zero.
    public func round(decimals: Int = 0) -> Tensor {
        if decimals == 0 { return unary({ $0.rounded(.toNearestOrEven) }, derivative: { _, _ in 0 }) }
        let scale = Foundation.pow(10, Double(decimals))
        return unary({ ($0 * scale).rounded(.toNearestOrEven) / scale }, derivative: { _, _ in 0 })
    }

    /// x with its fractional part removed (rounded towards zero); its gradient is zero.
    public func trunc() -> Tensor { unary({ $0.rounded(.towardZero) }, derivative: { _, _ in 0 }) }
}

// MARK: - Elementwise maximum and minimum

extension Tensor {
    /// The larger of the two at each position, with broadcasting (PyTorch's `torch.maximum`);
    /// NaN propagates, and where the two are equal each gets half the gradient, as in PyTorch.
    public func maximum(_ other: Tensor) -> Tensor { extremum(other, largest: true) }

    /// The smaller of the two at each position, with broadcasting (PyTorch's `torch.minimum`).
    public func minimum(_ other: Tensor) -> Tensor { extremum(other, largest: false) }

    private func extremum(_ other: Tensor, largest: Bool) -> Tensor {
        guard let outShape = broadcastShape(shape, other.shape) else {
            requirementFailed("\(largest ? "maximum" : "minimum"): shapes \(shape) and \(other.shape) cannot be broadcast together.")
        }
        let a = expandValues(storage, from: shape, to: outShape)
        let b = expandValues(other.storage, from: other.shape, to: outShape)
        let values = zipValues(a, b) { x, y in
            x.isNaN || y.isNaN ? .nan : (largest ? Swift.max(x, y) : Swift.min(x, y))
        }
        let aShape = shape, bShape = other.shape
        let needA = requiresGrad, needB = other.requiresGrad
        return Tensor(shape: outShape, storage: values, parents: [self, other]) { g in
            // The share of the gradient that goes to a: 1 where a wins, ½ on a tie, 0 where b wins.
            let shareA = zipValues(a, b) { x, y in x == y ? 0.5 : ((x > y) == largest ? 1 : 0) }
            return [needA ? reduceToShape(zipValues(g, shareA, *), from: outShape, to: aShape) : nil,
                    needB ? reduceToShape(zipValues(g, shareA) { $0 * (1 - $1) }, from: outShape, to: bShape) : nil]
        }
    }
}

/// Which form of GELU: the exact x·Φ(x), or PyTorch's tanh approximation.
public enum GELUApproximation: Sendable {
    /// x·Φ(x) with the error function (PyTorch's `approximate='none'`).
    case none
    /// ½x(1 + tanh(√(2/π)(x + 0.044715x³))) (PyTorch's `approximate='tanh'`).
    case tanh
}

/// SELU's λ and α, as in PyTorch.
let seluScale = 1.0507009873554804934193349852946
let seluAlpha = 1.6732632423543772848170429916717

/// tanh without glibc's expm1, which dominated the MLP benchmark: Cephes' rational approximation
/// near 0 and 1 − 2/(e²ˣ + 1) elsewhere; both within a few ulp of the exact value (tested).
@inline(__always)
func hyperbolicTangent(_ x: Double) -> Double {
    let a = Swift.abs(x)
    if a > 0.625 {
        if a > 22 { return x > 0 ? 1 : -1 }
        let r = 1 - 2 / (Foundation.exp(2 * a) + 1)
        return x > 0 ? r : -r
    }
    let s = x * x
    let p = (-9.64399179425052238628e-1 * s - 9.92877231001918586564e1) * s - 1.61468768441708447952e3
    let q = ((s + 1.12811678491632931402e2) * s + 2.23548839060100448583e3) * s + 4.84406305325125486048e3
    return x + x * s * p / q
}

@inline(__always)
func logistic(_ x: Double) -> Double {
    if x >= 0 { return 1 / (1 + Foundation.exp(-x)) }
    let e = Foundation.exp(x)
    return e / (1 + e)
}

// MARK: - Free-function spellings, as `torch.exp(x)` reads

/// σ(x) elementwise.
public func sigmoid(_ x: Tensor) -> Tensor { x.sigmoid() }
/// tanh(x) elementwise.
public func tanh(_ x: Tensor) -> Tensor { x.tanh() }
/// max(0, x) elementwise.
public func relu(_ x: Tensor) -> Tensor { x.relu() }
/// eˣ elementwise.
public func exp(_ x: Tensor) -> Tensor { x.exp() }
/// ln(x) elementwise.
public func log(_ x: Tensor) -> Tensor { x.log() }
/// √x elementwise.
public func sqrt(_ x: Tensor) -> Tensor { x.sqrt() }
/// |x| elementwise.
public func abs(_ x: Tensor) -> Tensor { x.abs() }
/// xᵉ elementwise.
public func pow(_ x: Tensor, _ exponent: Double) -> Tensor { x.pow(exponent) }
/// sin(x) elementwise.
public func sin(_ x: Tensor) -> Tensor { x.sin() }
/// cos(x) elementwise.
public func cos(_ x: Tensor) -> Tensor { x.cos() }
/// tan(x) elementwise.
public func tan(_ x: Tensor) -> Tensor { x.tan() }
/// arcsin(x) elementwise.
public func asin(_ x: Tensor) -> Tensor { x.asin() }
/// arccos(x) elementwise.
public func acos(_ x: Tensor) -> Tensor { x.acos() }
/// arctan(x) elementwise.
public func atan(_ x: Tensor) -> Tensor { x.atan() }
/// sinh(x) elementwise.
public func sinh(_ x: Tensor) -> Tensor { x.sinh() }
/// cosh(x) elementwise.
public func cosh(_ x: Tensor) -> Tensor { x.cosh() }
/// arsinh(x) elementwise.
public func asinh(_ x: Tensor) -> Tensor { x.asinh() }
/// arcosh(x) elementwise.
public func acosh(_ x: Tensor) -> Tensor { x.acosh() }
/// artanh(x) elementwise.
public func atanh(_ x: Tensor) -> Tensor { x.atanh() }
/// erf(x) elementwise.
public func erf(_ x: Tensor) -> Tensor { x.erf() }
/// erfc(x) elementwise.
public func erfc(_ x: Tensor) -> Tensor { x.erfc() }
/// ⌊x⌋ elementwise.
public func floor(_ x: Tensor) -> Tensor { x.floor() }
/// ⌈x⌉ elementwise.
public func ceil(_ x: Tensor) -> Tensor { x.ceil() }
/// x rounded half to even, elementwise.
public func round(_ x: Tensor) -> Tensor { x.round() }
/// x rounded towards zero, elementwise.
public func trunc(_ x: Tensor) -> Tensor { x.trunc() }
/// The larger of `a` and `b` at each position (`torch.maximum(a, b)`).
public func maximum(_ a: Tensor, _ b: Tensor) -> Tensor { a.maximum(b) }
/// The smaller of `a` and `b` at each position (`torch.minimum(a, b)`).
public func minimum(_ a: Tensor, _ b: Tensor) -> Tensor { a.minimum(b) }
