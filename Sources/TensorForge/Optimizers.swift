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
    /// Momentum factor μ (0: plain gradient descent).
    public let momentum: Double
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
    /// Decay of the running mean of gradients.
    public let beta1: Double
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

/// Scales all gradients together so that their joint L2 norm is at most `maxNorm`
/// (`torch.nn.utils.clip_grad_norm_`). Returns the norm before clipping.
@discardableResult
public func clipGradNorm(_ parameters: [Tensor], maxNorm: Double) -> Double {
    var total = 0.0
    for p in parameters { if let g = p.grad { for v in g.storage { total += v * v } } }
    let norm = total.squareRoot()
    let coefficient = maxNorm / (norm + 1e-6)
    if coefficient < 1 {
        for p in parameters {
            guard let g = p.grad else { continue }
            g.storage = mapValues(g.storage) { $0 * coefficient }
        }
    }
    return norm
}
