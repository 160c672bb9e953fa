import Foundation
import TensorForge

/// The book's core experiments (shared/EXPERIMENTS.md) with their wall time, to check that the
/// engine reproduces PyTorch's findings and to see what a chapter build costs.
/// `engine-benchmark --only experiments`.
@MainActor func runExperiments() {
    let start = now()
    manualSeed(0)
    // Depth: ratio of first- to last-hidden-layer weight-gradient norms, width 16, batch 8.
    for (name, make) in [("sigmoid", { Sigmoid() as any Module<Tensor> }), ("tanh", { Tanh() }), ("relu", { ReLU() })] {
        var ratios: [String] = []
        for depth in [20, 50] {
            var layers: [any Module<Tensor>] = [Linear(16, 16), make()]
            for _ in 1..<depth { layers += [Linear(16, 16), make()] }
            layers.append(Linear(16, 1))
            let model = Sequential(layers)
            mseLoss(model(Tensor.randn(8, 16)), Tensor.randn(8, 1)).backward()
            let first = (model[0] as! Linear).weight.grad!.norm().item
            let last = (model[2 * (depth - 1)] as! Linear).weight.grad!.norm().item
            ratios.append(String(format: "depth %d: %.1e", depth, first / last))
        }
        print("gradient ratio first/last hidden layer, \(name): \(ratios.joined(separator: ", "))")
    }
    // Time: ‖∂L/∂xₜ‖ for a tanh RNN and an untrained LSTM (10 → 20) over 100 steps.
    let x = Tensor.randn(100, 1, 10, requiresGrad: true)
    let rnn = RNN(inputSize: 10, hiddenSize: 20)
    rnn(x).output[99].sum().backward()
    print(String(format: "RNN ‖∂L/∂x‖ at t=99: %.1e, t=0: %.1e", x.grad![99].norm().item, x.grad![0].norm().item))
    x.grad = nil
    let lstm = LSTM(inputSize: 10, hiddenSize: 20)
    lstm(x).output[99].sum().backward()
    print(String(format: "LSTM ‖∂L/∂x‖ at t=99: %.1e, t=0: %.1e", x.grad![99].norm().item, x.grad![0].norm().item))
    // The adding problem, 1500 Adam steps each, evaluated on held-out sequences.
    let (testX, testY) = ToyData.addingProblem(sequenceLength: 50, batchSize: 1000, generator: Generator(seed: 123))
    for kind in ["RNN", "LSTM"] {
        let trainStart = now()
        let head = Linear(32, 1)
        let recurrent: (Tensor) -> Tensor
        let parameters: [Tensor]
        if kind == "LSTM" {
            let m = LSTM(inputSize: 2, hiddenSize: 32)
            recurrent = { m($0).output }
            parameters = m.parameters + head.parameters
        } else {
            let m = RNN(inputSize: 2, hiddenSize: 32)
            recurrent = { m($0).output }
            parameters = m.parameters + head.parameters
        }
        let optimizer = Adam(parameters, lr: 1e-2)
        var report: [String] = []
        for step in 1...1500 {
            let (inputs, targets) = ToyData.addingProblem(sequenceLength: 50, batchSize: 32)
            let loss = mseLoss(head(recurrent(inputs)[49]), targets)
            optimizer.zeroGrad()
            loss.backward()
            optimizer.step()
            if step == 300 || step == 1500 {
                let testLoss = withNoGrad { mseLoss(head(recurrent(testX)[49]), testY).item }
                report.append(String(format: "step %d test MSE %.4g", step, testLoss))
            }
        }
        print("adding problem \(kind): \(report.joined(separator: ", ")) (\(String(format: "%.1f", now() - trainStart)) s)")
    }
    print(String(format: "experiments total: %.1f s", now() - start))
}
