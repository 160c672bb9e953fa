import Testing
@testable import TensorForge

/// Compares the gradients from `backward()` with central differences in Float64.
/// The output is reduced with fixed random weights so every output element is checked.
/// Returns the largest error relative to max(1, |numeric|).
func gradientError(_ given: [Tensor], step: Double = 1e-6, _ f: ([Tensor]) -> Tensor) -> Double {
    let inputs = given.map { Tensor(scalars: $0.scalars, shape: $0.shape, requiresGrad: true) }
    let probe = f(inputs)
    let weights = Tensor.randn(shape: probe.shape, generator: Generator(seed: 99))
    let loss = { (probe: Tensor) in (probe * weights).sum() }
    loss(probe).backward()
    var worst = 0.0
    withNoGrad {
        for x in inputs {
            let analytic = x.grad?.scalars ?? [Double](repeating: 0, count: x.count)
            for i in 0..<x.count {
                let original = x.storage[i]
                x.storage[i] = original + step
                let plus = loss(f(inputs)).item
                x.storage[i] = original - step
                let minus = loss(f(inputs)).item
                x.storage[i] = original
                let numeric = (plus - minus) / (2 * step)
                worst = max(worst, abs(numeric - analytic[i]) / max(1, abs(numeric)))
            }
        }
    }
    return worst
}

/// Asserts the gradient check passes for `f`.
func expectGradients(_ inputs: [Tensor], tolerance: Double = 1e-6, sourceLocation: SourceLocation = #_sourceLocation,
                     _ f: ([Tensor]) -> Tensor) {
    let error = gradientError(inputs, f)
    #expect(error < tolerance, "gradcheck error \(error)", sourceLocation: sourceLocation)
}

func randomTensor(_ shape: [Int], seed: Int, scale: Double = 1) -> Tensor {
    Tensor.randn(shape: shape, generator: Generator(seed: seed)) * scale
}

func expectClose(_ a: [Double], _ b: [Double], tolerance: Double = 1e-12, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(a.count == b.count, "count \(a.count) vs \(b.count)", sourceLocation: sourceLocation)
    let worst = zip(a, b).map { abs($0 - $1) / max(1, abs($1)) }.max() ?? 0
    #expect(worst <= tolerance, "max relative difference \(worst): \(a.prefix(6)) vs \(b.prefix(6))", sourceLocation: sourceLocation)
}
