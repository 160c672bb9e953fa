import Testing
@testable import TensorForge

/// Compares the gradients from `backward()` with central differences in Float64 for every element
/// of `leaves` (tensors that `f` reads, e.g. inputs and a module's parameters). The output is
/// reduced with fixed random weights so that every output element is checked. Returns the largest
/// error relative to max(1, |numeric|).
func gradientError(leaves: [Tensor], step: Double = 1e-6, _ f: () -> Tensor) -> Double {
    for x in leaves { x.grad = nil; x.requiresGrad = true }
    let probe = f()
    let weights = Tensor.randn(shape: probe.shape, generator: Generator(seed: 99))
    let loss = { (output: Tensor) in (output * weights).sum() }
    loss(probe).backward()
    var worst = 0.0
    withNoGrad {
        for x in leaves {
            let analytic = x.grad?.scalars ?? [Double](repeating: 0, count: x.count)
            for i in 0..<x.count {
                let original = x.storage[i]
                x.storage[i] = original + step
                let plus = loss(f()).item
                x.storage[i] = original - step
                let minus = loss(f()).item
                x.storage[i] = original
                let numeric = (plus - minus) / (2 * step)
                worst = max(worst, abs(numeric - analytic[i]) / max(1, abs(numeric)))
            }
        }
    }
    return worst
}

/// Gradient check of `f` with respect to fresh leaf copies of `given`.
func gradientError(_ given: [Tensor], step: Double = 1e-6, _ f: ([Tensor]) -> Tensor) -> Double {
    let inputs = given.map { Tensor(scalars: $0.scalars, shape: $0.shape, requiresGrad: true) }
    return gradientError(leaves: inputs, step: step) { f(inputs) }
}

/// Asserts the gradient check passes for `f` over copies of `inputs`.
func expectGradients(_ inputs: [Tensor], tolerance: Double = 1e-6, sourceLocation: SourceLocation = #_sourceLocation,
                     _ f: ([Tensor]) -> Tensor) {
    let error = gradientError(inputs, f)
    #expect(error < tolerance, "gradcheck error \(error)", sourceLocation: sourceLocation)
}

/// Asserts the gradient check passes with respect to `input` and all of `module`'s parameters.
func expectModuleGradients(_ module: some Module, input: Tensor, tolerance: Double = 1e-6,
                           sourceLocation: SourceLocation = #_sourceLocation, _ f: (Tensor) -> Tensor) {
    let x = Tensor(scalars: input.scalars, shape: input.shape, requiresGrad: true)
    let error = gradientError(leaves: [x] + module.parameters) { f(x) }
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
