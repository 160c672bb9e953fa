import Foundation

/// Updates parameters from their gradients. `step()` applies one update; `zeroGrad()` clears the
/// gradients before the next backward pass.
public protocol Optimizer: AnyObject {
    /// The tensors being optimised, in order.
    var parameters: [Tensor] { get }
    /// Learning rate; settable for schedules.
    var lr: Double { get set }
    /// Applies one update to every parameter that has a gradient.
    func step()
}

extension Optimizer {
    /// Clears every parameter's gradient (to nil, PyTorch's default).
    public func zeroGrad() {
        for p in parameters { p.grad = nil }
    }
}

/// Stochastic gradient descent with optional momentum, dampening, Nesterov momentum and L2 weight
/// decay, following `torch.optim.SGD` exactly.
public final class SGD: Optimizer {
    /// The tensors being optimised.
    public let parameters: [Tensor]
    /// Learning rate.
    public var lr: Double
    /// Momentum factor μ (0: plain gradient descent); settable, as `OneCycleLR` cycles it.
    public var momentum: Double
    /// Dampening of the gradient added to the momentum buffer.
    public let dampening: Double
    /// L2 penalty added to the gradient.
    public let weightDecay: Double
    /// Nesterov momentum.
    public let nesterov: Bool
    private var velocity: [[Double]?]

    /// `SGD(model.parameters, lr: 0.1, momentum: 0.9)`.
    public init(_ parameters: [Tensor], lr: Double, momentum: Double = 0, dampening: Double = 0,
                weightDecay: Double = 0, nesterov: Bool = false) {
        require(!nesterov || (momentum > 0 && dampening == 0), "SGD: Nesterov momentum requires momentum > 0 and zero dampening.")
        self.parameters = parameters
        self.lr = lr
        self.momentum = momentum
        self.dampening = dampening
        self.weightDecay = weightDecay
        self.nesterov = nesterov
        self.velocity = Array(repeating: nil, count: parameters.count)
    }

    public func step() {
        for (index, p) in parameters.enumerated() {
            guard var d = p.grad?.storage else { continue }
            if weightDecay != 0 { d = zipValues(d, p.storage) { $0 + weightDecay * $1 } }
            if momentum != 0 {
                if var v = velocity[index] {
                    for i in 0..<v.count { v[i] = momentum * v[i] + (1 - dampening) * d[i] }
                    velocity[index] = v
                } else {
                    velocity[index] = d
                }
                let v = velocity[index]!
                d = nesterov ? zipValues(d, v) { $0 + momentum * $1 } : v
            }
            let rate = lr
            p.storage.withUnsafeMutableBufferPointer { w in
                for i in 0..<w.count { w[i] -= rate * d[i] }
            }
        }
    }
}

/// Adam (Kingma & Ba, 2015) as in `torch.optim.Adam`, with bias correction and optional L2
/// weight decay added to the gradient. `decoupled` turns it into AdamW.
public class Adam: Optimizer {
    /// The tensors being optimised.
    public let parameters: [Tensor]
    /// Learning rate.
    public var lr: Double
    /// Decay of the running mean of gradients; settable, as `OneCycleLR` cycles it.
    public var beta1: Double
    /// Decay of the running mean of squared gradients.
    public let beta2: Double
    /// Added to the denominator for stability.
    public let eps: Double
    /// L2 penalty (Adam) or decoupled decay (AdamW).
    public let weightDecay: Double
    let decoupledWeightDecay: Bool
    private var firstMoment: [[Double]]
    private var secondMoment: [[Double]]
    private var stepCount = 0

    /// `Adam(model.parameters, lr: 1e-2)`.
    public convenience init(_ parameters: [Tensor], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                            eps: Double = 1e-8, weightDecay: Double = 0) {
        self.init(parameters, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, decoupled: false)
    }

    init(_ parameters: [Tensor], lr: Double, betas: (Double, Double), eps: Double, weightDecay: Double, decoupled: Bool) {
        self.parameters = parameters
        self.lr = lr
        self.beta1 = betas.0
        self.beta2 = betas.1
        self.eps = eps
        self.weightDecay = weightDecay
        self.decoupledWeightDecay = decoupled
        firstMoment = parameters.map { [Double](repeating: 0, count: $0.count) }
        secondMoment = firstMoment
    }

    public func step() {
        stepCount += 1
        let correction1 = 1 - Foundation.pow(beta1, Double(stepCount))
        let correction2 = 1 - Foundation.pow(beta2, Double(stepCount))
        let stepSize = lr / correction1
        let (b1, b2, eps, decay, rate) = (beta1, beta2, self.eps, weightDecay, lr)
        for (index, p) in parameters.enumerated() {
            guard let grad = p.grad?.storage else { continue }
            let decoupled = decoupledWeightDecay
            firstMoment[index].withUnsafeMutableBufferPointer { m in
                secondMoment[index].withUnsafeMutableBufferPointer { v in
                    p.storage.withUnsafeMutableBufferPointer { w in
                        for i in 0..<w.count {
                            var g = grad[i]
                            if decay != 0 {
                                if decoupled { w[i] *= 1 - rate * decay } else { g += decay * w[i] }
                            }
                            m[i] = b1 * m[i] + (1 - b1) * g
                            v[i] = b2 * v[i] + (1 - b2) * g * g
                            w[i] -= stepSize * m[i] / ((v[i] / correction2).squareRoot() + eps)
                        }
                    }
                }
            }
        }
    }
}

/// Adam with decoupled weight decay (Loshchilov & Hutter, 2019), as `torch.optim.AdamW`
/// (default weight decay 0.01).
public final class AdamW: Adam {
    /// `AdamW(model.parameters, lr: 1e-3, weightDecay: 0.01)`.
    public init(_ parameters: [Tensor], lr: Double = 1e-3, betas: (Double, Double) = (0.9, 0.999),
                eps: Double = 1e-8, weightDecay: Double = 0.01) {
        super.init(parameters, lr: lr, betas: betas, eps: eps, weightDecay: weightDecay, decoupled: true)
    }
}

/// RMSprop as `torch.optim.RMSprop`: divides the gradient by a running root mean square of
/// past gradients, with optional momentum, centring (subtracting the running mean gradient's
/// square) and L2 weight decay.
///
/// ```swift
/// let optimizer = RMSprop(model.parameters, lr: 1e-3, momentum: 0.9)
/// ```
public final class RMSprop: Optimizer {
    /// The tensors being optimised.
    public let parameters: [Tensor]
    /// Learning rate.
    public var lr: Double
    /// Decay of the running mean of squared gradients.
    public let alpha: Double
    /// Added to the root mean square for stability.
    public let eps: Double
    /// L2 penalty added to the gradient.
    public let weightDecay: Double
    /// Momentum factor (0: none); settable, as `OneCycleLR` cycles it.
    public var momentum: Double
    /// Whether to normalise by the variance estimate (mean square minus squared mean) instead.
    public let centered: Bool
    private var squareAverage: [[Double]]
    private var gradientAverage: [[Double]]
    private var momentumBuffer: [[Double]]

    /// `RMSprop(model.parameters)` with PyTorch's defaults (lr 0.01, alpha 0.99, eps 1e-8).
    public init(_ parameters: [Tensor], lr: Double = 1e-2, alpha: Double = 0.99, eps: Double = 1e-8, weightDecay: Double = 0,
                momentum: Double = 0, centered: Bool = false) {
        self.parameters = parameters
        (self.lr, self.alpha, self.eps, self.weightDecay, self.momentum, self.centered) = (lr, alpha, eps, weightDecay, momentum, centered)
        squareAverage = parameters.map { [Double](repeating: 0, count: $0.count) }
        gradientAverage = squareAverage
        momentumBuffer = squareAverage
    }

    public func step() {
        let (alpha, eps, decay, rate, mu, centered) = (alpha, eps, weightDecay, lr, momentum, centered)
        for (index, p) in parameters.enumerated() {
            guard let grad = p.grad?.storage else { continue }
            squareAverage[index].withUnsafeMutableBufferPointer { v in
                gradientAverage[index].withUnsafeMutableBufferPointer { m in
                    momentumBuffer[index].withUnsafeMutableBufferPointer { b in
                        p.storage.withUnsafeMutableBufferPointer { w in
                            for i in 0..<w.count {
                                var g = grad[i]
                                if decay != 0 { g += decay * w[i] }
                                v[i] = alpha * v[i] + (1 - alpha) * g * g
                                var average: Double
                                if centered {
                                    m[i] = alpha * m[i] + (1 - alpha) * g
                                    average = (v[i] - m[i] * m[i]).squareRoot()
                                } else {
                                    average = v[i].squareRoot()
                                }
                                average += eps
                                if mu > 0 {
                                    b[i] = mu * b[i] + g / average
                                    w[i] -= rate * b[i]
                                } else {
                                    w[i] -= rate * g / average
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

/// Adagrad as `torch.optim.Adagrad`: each parameter's step is divided by the root of the sum
/// of all its past squared gradients; `lrDecay` shrinks the rate as lr/(1 + (t − 1)·lrDecay).
public final class Adagrad: Optimizer {
    /// The tensors being optimised.
    public let parameters: [Tensor]
    /// Learning rate.
    public var lr: Double
    /// Decay of the learning rate per step.
    public let lrDecay: Double
    /// L2 penalty added to the gradient.
    public let weightDecay: Double
    /// Added to the root for stability.
    public let eps: Double
    private var sums: [[Double]]
    private var stepCount = 0

    /// `Adagrad(model.parameters)` with PyTorch's defaults (lr 0.01, eps 1e-10).
    public init(_ parameters: [Tensor], lr: Double = 1e-2, lrDecay: Double = 0, weightDecay: Double = 0,
                initialAccumulatorValue: Double = 0, eps: Double = 1e-10) {
        self.parameters = parameters
        (self.lr, self.lrDecay, self.weightDecay, self.eps) = (lr, lrDecay, weightDecay, eps)
        sums = parameters.map { [Double](repeating: initialAccumulatorValue, count: $0.count) }
    }

    public func step() {
        stepCount += 1
        let rate = lr / (1 + Double(stepCount - 1) * lrDecay)
        let (decay, eps) = (weightDecay, eps)
        for (index, p) in parameters.enumerated() {
            guard let grad = p.grad?.storage else { continue }
            sums[index].withUnsafeMutableBufferPointer { s in
                p.storage.withUnsafeMutableBufferPointer { w in
                    for i in 0..<w.count {
                        var g = grad[i]
                        if decay != 0 { g += decay * w[i] }
                        s[i] += g * g
                        w[i] -= rate * g / (s[i].squareRoot() + eps)
                    }
                }
            }
        }
    }
}

/// Scales all gradients together so that their joint p-norm (`normType`, 2 by default;
/// `.infinity` for the largest magnitude) is at most `maxNorm`, as
/// `torch.nn.utils.clip_grad_norm_`. Returns the norm before clipping.
///
/// ```swift
/// loss.backward()
/// clipGradNorm(model.parameters, maxNorm: 1)
/// optimizer.step()
/// ```
@discardableResult
public func clipGradNorm(_ parameters: [Tensor], maxNorm: Double, normType: Double = 2) -> Double {
    require(normType > 0, "clipGradNorm: normType must be positive, got \(normType).")
    var norm = 0.0
    if normType == .infinity {
        for p in parameters { if let g = p.grad { for v in g.storage { norm = Swift.max(norm, Swift.abs(v)) } } }
    } else if normType == 2 {
        var total = 0.0
        for p in parameters { if let g = p.grad { for v in g.storage { total += v * v } } }
        norm = total.squareRoot()
    } else {
        // As PyTorch: the p-norm of the per-parameter p-norms.
        var total = 0.0
        for p in parameters {
            guard let g = p.grad else { continue }
            var own = 0.0
            for v in g.storage { own += Foundation.pow(Swift.abs(v), normType) }
            total += own
        }
        norm = Foundation.pow(total, 1 / normType)
    }
    let coefficient = maxNorm / (norm + 1e-6)
    if coefficient < 1 {
        for p in parameters {
            guard let g = p.grad else { continue }
            g.storage = mapValues(g.storage) { $0 * coefficient }
        }
    }
    return norm
}

/// Clamps every gradient element to [−clipValue, clipValue], as `torch.nn.utils.clip_grad_value_`.
public func clipGradValue(_ parameters: [Tensor], clipValue: Double) {
    require(clipValue >= 0, "clipGradValue: clipValue must be non-negative, got \(clipValue).")
    for p in parameters {
        guard let g = p.grad else { continue }
        g.storage = mapValues(g.storage) { Swift.min(Swift.max($0, -clipValue), clipValue) }
    }
}
