import Foundation
import Testing
@testable import TensorForge

extension EngineTests {
    @Suite struct SchedulerTests {
        func rates(_ scheduler: LRScheduler, steps: Int) -> [Double] {
            [scheduler.getLastLR()] + (0..<steps).map { _ in
                scheduler.optimizer.step()
                scheduler.step()
                return scheduler.getLastLR()
            }
        }

        func sgd(lr: Double = 0.1) -> SGD { SGD([Tensor.zeros([1], requiresGrad: true)], lr: lr) }

        @Test func stepAndLinearSchedules() {
            expectClose(rates(StepLR(sgd(), stepSize: 2, gamma: 0.5), steps: 5), [0.1, 0.1, 0.05, 0.05, 0.025, 0.025], tolerance: 1e-16)
            expectClose(rates(LinearLR(sgd(), startFactor: 0.5, totalIters: 2), steps: 3), [0.05, 0.075, 0.1, 0.1], tolerance: 1e-16)
        }

        @Test func cosineScheduleFollowsTheClosedForm() {
            let (tMax, etaMin, base) = (5, 0.001, 0.1)
            let scheduled = rates(CosineAnnealingLR(sgd(lr: base), tMax: tMax, etaMin: etaMin), steps: 4 * tMax)
            let closed = (0...(4 * tMax)).map { t in etaMin + (base - etaMin) * (1 + cos(Double.pi * Double(t) / Double(tMax))) / 2 }
            expectClose(scheduled, closed, tolerance: 1e-15)
        }

        @Test func oneCycleRisesThenFallsAndCyclesMomentum() {
            let optimizer = SGD([Tensor.zeros([1], requiresGrad: true)], lr: 0.1, momentum: 0.9)
            let scheduler = OneCycleLR(optimizer, maxLR: 1, epochs: 2, stepsPerEpoch: 10)
            #expect(scheduler.totalSteps == 20 && optimizer.momentum == 0.95 && abs(optimizer.lr - 0.04) < 1e-15)
            let schedule = rates(scheduler, steps: 19)
            let peak = schedule.firstIndex(of: schedule.max()!)!
            #expect(peak == 5 && abs(schedule[peak] - 1) < 1e-15)
            #expect(abs(schedule.last! - 0.04 / 1e4) < 1e-15)
            #expect(optimizer.momentum == 0.95)
            // Adam's β₁ cycles instead.
            let adam = Adam([Tensor.zeros([1], requiresGrad: true)])
            _ = OneCycleLR(adam, maxLR: 0.01, totalSteps: 10, baseMomentum: 0.8, maxMomentum: 0.9)
            #expect(adam.beta1 == 0.9)
        }

        @Test func schedulesDriveTraining() {
            manualSeed(2)
            let model = Linear(3, 1)
            let optimizer = RMSprop(model.parameters, lr: 0.05, momentum: 0.5)
            let scheduler = CosineAnnealingLR(optimizer, tMax: 50)
            let x = Tensor.randn(16, 3), y = x.sum(dim: 1, keepDim: true)
            let first = mseLoss(model(x), y).item
            for _ in 0..<50 {
                let loss = mseLoss(model(x), y)
                optimizer.zeroGrad()
                loss.backward()
                optimizer.step()
                scheduler.step()
            }
            #expect(mseLoss(model(x), y).item < first / 10)
            #expect(optimizer.lr < 1e-12)
        }

        @Test func adagradAndRMSpropMatchHandComputedSteps() {
            let p = Tensor([1.0], requiresGrad: true)
            let adagrad = Adagrad([p], lr: 0.1)
            p.grad = Tensor([2.0]); adagrad.step()   // sum 4, step 0.1·2/(2 + ε)
            p.grad = Tensor([1.0]); adagrad.step()   // sum 5, step 0.1·1/(√5 + ε)
            expectClose(p.scalars, [1 - 0.2 / (2 + 1e-10) - 0.1 / (5.0.squareRoot() + 1e-10)], tolerance: 1e-15)
            let q = Tensor([1.0], requiresGrad: true)
            let rmsprop = RMSprop([q], lr: 0.01, alpha: 0.9)
            q.grad = Tensor([2.0]); rmsprop.step()   // v = 0.1·4, step 0.01·2/(√0.4 + 1e-8)
            expectClose(q.scalars, [1 - 0.01 * 2 / (0.4.squareRoot() + 1e-8)], tolerance: 1e-15)
        }

        @Test func clipGradValueClampsEachElement() {
            let p = Tensor([0, 0, 0], requiresGrad: true)
            p.grad = Tensor([-3, 0.2, 5])
            clipGradValue([p], clipValue: 1)
            #expect(p.grad!.scalars == [-1, 0.2, 1])
            p.grad = Tensor([3, -4, 0])
            #expect(clipGradNorm([p], maxNorm: 10, normType: .infinity) == 4)
            #expect(p.grad!.scalars == [3, -4, 0])
        }
    }
}
