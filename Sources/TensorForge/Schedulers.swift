import Foundation

// Learning-rate schedules, stepped as PyTorch's `torch.optim.lr_scheduler`: building a scheduler
// takes its first step (epoch 0) and sets the optimiser's rate; call `step()` after each
// `optimizer.step()`. The rates follow PyTorch's recursive formulas (each step scales the
// current rate), so they agree with PyTorch to the last bits, not only in closed form.

/// A learning-rate schedule for one optimiser, like PyTorch's `LRScheduler`; its subclasses are
/// `StepLR`, `LinearLR`, `CosineAnnealingLR` and `OneCycleLR`.
///
/// ```swift
/// let optimizer = SGD(model.parameters, lr: 0.1)
/// let scheduler = StepLR(optimizer, stepSize: 30, gamma: 0.1)
/// for epoch in 0..<100 {
///     train(model, optimizer)     // … optimizer.step() inside
///     scheduler.step()
/// }
/// ```
public class LRScheduler {
    /// The optimiser whose `lr` this sets.
    public let optimizer: any Optimizer
    /// The optimiser's learning rate when the scheduler was built.
    public let baseLR: Double
    /// How many times `step()` ran after the first (PyTorch's `last_epoch`, 0 after building).
    public private(set) var lastEpoch = -1
    private var lastLR: Double
    /// True during the step taken when the scheduler is built.
    private(set) var isInitialStep = false

    init(_ optimizer: any Optimizer) {
        self.optimizer = optimizer
        baseLR = optimizer.lr
        lastLR = optimizer.lr
    }

    /// Takes PyTorch's initial step; subclasses call it at the end of their initialiser.
    func takeInitialStep() {
        isInitialStep = true
        step()
        isInitialStep = false
    }

    /// Advances the schedule by one step (an epoch, or a batch for `OneCycleLR`) and sets the
    /// optimiser's learning rate. Call it after `optimizer.step()`.
    public func step() {
        lastEpoch += 1
        let lr = nextLR()
        optimizer.lr = lr
        lastLR = lr
    }

    /// The learning rate the last step set (PyTorch's `get_last_lr()`, for the one parameter group).
    public func getLastLR() -> Double { lastLR }

    /// The rate for `lastEpoch`, from the optimiser's current rate; each schedule defines it.
    func nextLR() -> Double { requirementFailed("LRScheduler: \(type(of: self)) does not define its schedule.") }
}

/// Multiplies the learning rate by `gamma` every `stepSize` steps, PyTorch's `StepLR`.
///
/// ```swift
/// let scheduler = StepLR(optimizer, stepSize: 30, gamma: 0.1)   // 0.1 → 0.01 at 30 → 0.001 at 60
/// ```
public final class StepLR: LRScheduler {
    /// Steps between decays.
    public let stepSize: Int
    /// The factor applied at each decay.
    public let gamma: Double

    /// `StepLR(optimizer, stepSize: 10)` (gamma 0.1 by default).
    public init(_ optimizer: any Optimizer, stepSize: Int, gamma: Double = 0.1) {
        require(stepSize > 0, "StepLR: stepSize must be positive, got \(stepSize).")
        (self.stepSize, self.gamma) = (stepSize, gamma)
        super.init(optimizer)
        takeInitialStep()
    }

    override func nextLR() -> Double {
        lastEpoch == 0 || lastEpoch % stepSize != 0 ? optimizer.lr : optimizer.lr * gamma
    }
}

/// Scales the learning rate linearly from `startFactor` to `endFactor` of its base over
/// `totalIters` steps, then keeps it, PyTorch's `LinearLR` (a warm-up by default: ⅓ → 1 in 5 steps).
public final class LinearLR: LRScheduler {
    /// Factor at step 0.
    public let startFactor: Double
    /// Factor from step `totalIters` on.
    public let endFactor: Double
    /// Steps of the ramp.
    public let totalIters: Int

    /// `LinearLR(optimizer, startFactor: 0.1, totalIters: 100)`.
    public init(_ optimizer: any Optimizer, startFactor: Double = 1.0 / 3, endFactor: Double = 1, totalIters: Int = 5) {
        require(startFactor > 0 && startFactor <= 1, "LinearLR: startFactor must be in (0, 1], got \(startFactor).")
        require(endFactor >= 0 && endFactor <= 1, "LinearLR: endFactor must be in [0, 1], got \(endFactor).")
        (self.startFactor, self.endFactor, self.totalIters) = (startFactor, endFactor, totalIters)
        super.init(optimizer)
        takeInitialStep()
    }

    override func nextLR() -> Double {
        let lr = optimizer.lr
        if lastEpoch == 0 { return lr * startFactor }
        if isInitialStep || lastEpoch > totalIters { return lr }
        let change = endFactor - startFactor
        return lr * (1 + change / (Double(totalIters) * startFactor + Double(lastEpoch - 1) * change))
    }
}

/// Anneals the learning rate from its base to `etaMin` along half a cosine over `tMax` steps
/// (and back up over the next `tMax`), PyTorch's `CosineAnnealingLR`.
///
/// ```swift
/// let scheduler = CosineAnnealingLR(optimizer, tMax: 100)
/// ```
public final class CosineAnnealingLR: LRScheduler {
    /// Steps of half a cosine period.
    public let tMax: Int
    /// The smallest learning rate.
    public let etaMin: Double

    /// `CosineAnnealingLR(optimizer, tMax: 50, etaMin: 1e-5)`.
    public init(_ optimizer: any Optimizer, tMax: Int, etaMin: Double = 0) {
        require(tMax > 0, "CosineAnnealingLR: tMax must be positive, got \(tMax).")
        (self.tMax, self.etaMin) = (tMax, etaMin)
        super.init(optimizer)
        takeInitialStep()
    }

    override func nextLR() -> Double {
        let lr = optimizer.lr, t = Double(tMax), epoch = Double(lastEpoch)
        if isInitialStep { return lr }
        if (lastEpoch - 1 - tMax) % (2 * tMax) == 0 {
            return lr + (baseLR - etaMin) * (1 - Foundation.cos(Double.pi / t)) / 2
        }
        return (1 + Foundation.cos(Double.pi * epoch / t)) / (1 + Foundation.cos(Double.pi * (epoch - 1) / t)) * (lr - etaMin) + etaMin
    }
}

/// How `OneCycleLR` moves between its rates.
public enum AnnealStrategy: Sendable {
    /// Along half a cosine (PyTorch's default).
    case cos
    /// Along a straight line.
    case linear
}

/// An optimiser whose momentum `OneCycleLR` can cycle: SGD's and RMSprop's `momentum`, Adam's `beta1`.
protocol CyclableMomentum: Optimizer {
    var cycledMomentum: Double { get set }
}

extension SGD: CyclableMomentum {
    var cycledMomentum: Double { get { momentum } set { momentum = newValue } }
}

extension Adam: CyclableMomentum {
    var cycledMomentum: Double { get { beta1 } set { beta1 = newValue } }
}

extension RMSprop: CyclableMomentum {
    var cycledMomentum: Double { get { momentum } set { momentum = newValue } }
}

/// The 1cycle policy, PyTorch's `OneCycleLR`: the rate rises from maxLR/divFactor to `maxLR`
/// over the first `pctStart` of `totalSteps`, then falls to maxLR/(divFactor·finalDivFactor),
/// while the momentum (SGD's and RMSprop's `momentum`, Adam's `beta1`) moves the opposite way
/// between `maxMomentum` and `baseMomentum`. Step it after every batch.
///
/// ```swift
/// let scheduler = OneCycleLR(optimizer, maxLR: 0.1, totalSteps: epochs * batchesPerEpoch)
/// ```
public final class OneCycleLR: LRScheduler {
    /// Steps in the cycle; `step()` may run at most this many times.
    public let totalSteps: Int
    /// The peak learning rate.
    public let maxLR: Double
    /// The learning rate at step 0, maxLR/divFactor.
    public let initialLR: Double
    /// The final learning rate, initialLR/finalDivFactor.
    public let minLR: Double
    /// Cosine or linear interpolation.
    public let annealStrategy: AnnealStrategy
    /// Whether the optimiser's momentum cycles too.
    public let cycleMomentum: Bool
    /// Momentum at the peak learning rate.
    public let baseMomentum: Double
    /// Momentum at the start and the end.
    public let maxMomentum: Double

    private struct Phase { let endStep: Double, startLR: Double, endLR: Double, startMomentum: Double, endMomentum: Double }
    private let phases: [Phase]

    /// `OneCycleLR(optimizer, maxLR: 0.01, totalSteps: 1000)` with PyTorch's defaults.
    public init(_ optimizer: any Optimizer, maxLR: Double, totalSteps: Int, pctStart: Double = 0.3,
                annealStrategy: AnnealStrategy = .cos, cycleMomentum: Bool = true, baseMomentum: Double = 0.85,
                maxMomentum: Double = 0.95, divFactor: Double = 25, finalDivFactor: Double = 1e4, threePhase: Bool = false) {
        require(totalSteps > 0, "OneCycleLR: totalSteps must be positive, got \(totalSteps).")
        require(pctStart >= 0 && pctStart <= 1, "OneCycleLR: pctStart must be in [0, 1], got \(pctStart).")
        require(!cycleMomentum || optimizer is any CyclableMomentum,
                "OneCycleLR: \(type(of: optimizer)) has no momentum to cycle; pass cycleMomentum: false.")
        (self.totalSteps, self.maxLR, self.annealStrategy, self.cycleMomentum) = (totalSteps, maxLR, annealStrategy, cycleMomentum)
        (self.baseMomentum, self.maxMomentum) = (baseMomentum, maxMomentum)
        initialLR = maxLR / divFactor
        minLR = initialLR / finalDivFactor
        let total = Double(totalSteps)
        if threePhase {
            phases = [Phase(endStep: pctStart * total - 1, startLR: initialLR, endLR: maxLR, startMomentum: maxMomentum, endMomentum: baseMomentum),
                      Phase(endStep: 2 * pctStart * total - 2, startLR: maxLR, endLR: initialLR, startMomentum: baseMomentum, endMomentum: maxMomentum),
                      Phase(endStep: total - 1, startLR: initialLR, endLR: minLR, startMomentum: maxMomentum, endMomentum: maxMomentum)]
        } else {
            phases = [Phase(endStep: pctStart * total - 1, startLR: initialLR, endLR: maxLR, startMomentum: maxMomentum, endMomentum: baseMomentum),
                      Phase(endStep: total - 1, startLR: maxLR, endLR: minLR, startMomentum: baseMomentum, endMomentum: maxMomentum)]
        }
        if cycleMomentum, let cyclable = optimizer as? any CyclableMomentum { cyclable.cycledMomentum = maxMomentum }
        super.init(optimizer)
        takeInitialStep()
    }

    /// `OneCycleLR(optimizer, maxLR: 0.01, epochs: 10, stepsPerEpoch: 100)`: totalSteps = epochs·stepsPerEpoch.
    public convenience init(_ optimizer: any Optimizer, maxLR: Double, epochs: Int, stepsPerEpoch: Int, pctStart: Double = 0.3,
                            annealStrategy: AnnealStrategy = .cos, cycleMomentum: Bool = true, baseMomentum: Double = 0.85,
                            maxMomentum: Double = 0.95, divFactor: Double = 25, finalDivFactor: Double = 1e4, threePhase: Bool = false) {
        require(epochs > 0 && stepsPerEpoch > 0, "OneCycleLR: epochs and stepsPerEpoch must be positive, got \(epochs) and \(stepsPerEpoch).")
        self.init(optimizer, maxLR: maxLR, totalSteps: epochs * stepsPerEpoch, pctStart: pctStart, annealStrategy: annealStrategy,
                  cycleMomentum: cycleMomentum, baseMomentum: baseMomentum, maxMomentum: maxMomentum, divFactor: divFactor,
                  finalDivFactor: finalDivFactor, threePhase: threePhase)
    }

    private func anneal(_ start: Double, _ end: Double, _ pct: Double) -> Double {
        switch annealStrategy {
        case .cos: return end + (start - end) / 2 * (Foundation.cos(Double.pi * pct) + 1)
        case .linear: return (end - start) * pct + start
        }
    }

    override func nextLR() -> Double {
        require(lastEpoch <= totalSteps, "OneCycleLR: stepped \(lastEpoch) times, but totalSteps is \(totalSteps).")
        let stepNumber = Double(lastEpoch)
        var start = 0.0
        for (index, phase) in phases.enumerated() {
            if stepNumber <= phase.endStep || index == phases.count - 1 {
                let pct = (stepNumber - start) / (phase.endStep - start)
                if cycleMomentum, let cyclable = optimizer as? any CyclableMomentum {
                    cyclable.cycledMomentum = anneal(phase.startMomentum, phase.endMomentum, pct)
                }
                return anneal(phase.startLR, phase.endLR, pct)
            }
            start = phase.endStep
        }
        return optimizer.lr
    }
}
