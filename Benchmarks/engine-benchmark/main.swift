// Times forward + backward + zeroGrad for the workloads of issue 3 (and a small CNN and one
// Transformer encoder layer) and reports medians, plus
// matmul GFLOP/s and resident memory over a long training loop. Compare with
// Benchmarks/pytorch_benchmark.py run in the same sitting (see BENCHMARKS.md).
//
//   swift run -c release engine-benchmark [--small-gemm-limit N] [--quick]
#if canImport(Glibc)
@preconcurrency import Glibc
#endif
import Foundation
@_spi(Benchmark) import TensorForge

let arguments = CommandLine.arguments
if let i = arguments.firstIndex(of: "--small-gemm-limit"), i + 1 < arguments.count, let n = Int(arguments[i + 1]) {
    smallProductLimit = n
}
let quick = arguments.contains("--quick")
/// `--only width128` runs only workloads whose tag contains the text (for profiling).
let only: String? = arguments.firstIndex(of: "--only").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
func selected(_ tag: String) -> Bool { only.map { tag.contains($0) } ?? true }

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}

/// Median wall time in milliseconds of `body` over `runs` runs after `warmup` runs.
func median(runs: Int, warmup: Int = 3, _ body: () -> Void) -> Double {
    for _ in 0..<warmup { body() }
    var times: [Double] = []
    for _ in 0..<runs {
        let start = now()
        body()
        times.append((now() - start) * 1000)
    }
    times.sort()
    return times[times.count / 2]
}

func residentMegabytes() -> Double {
    guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return .nan }
    let fields = text.split(separator: " ")
    guard fields.count > 1, let pages = Double(fields[1]) else { return .nan }
    return pages * Double(sysconf(Int32(_SC_PAGESIZE))) / 1_048_576
}

manualSeed(0)
nonisolated(unsafe) var rows: [(String, String)] = []
@MainActor func report(_ name: String, _ value: String) {
    rows.append((name, value))
    print("\(name): \(value)")
    fflush(nil)
}

let scale = quick ? 0.2 : 1.0
func runs(_ n: Int) -> Int { max(3, Int(Double(n) * scale)) }

for (width, count) in [(32, 300), (128, 100), (512, 20)] where selected("width\(width)") {
    var layers: [any Module<Tensor>] = []
    for _ in 0..<20 { layers += [Linear(width, width), Tanh()] }
    let model = Sequential(layers)
    let x = Tensor.randn(64, width)
    let ms = median(runs: runs(count)) {
        model(x).sum().backward()
        model.zeroGrad()
    }
    report("MLP depth 20 width \(width) batch 64", String(format: "%.3f ms", ms))
}

if selected("lstm") {
    let lstm = LSTM(inputSize: 64, hiddenSize: 64, numLayers: 2)
    let x = Tensor.randn(100, 16, 64)
    let ms = median(runs: runs(30)) {
        lstm(x).output.sum().backward()
        lstm.zeroGrad()
    }
    report("LSTM(64, 64, 2 layers) seq 100 batch 16", String(format: "%.3f ms", ms))
}

if selected("rnn") {
    let rnn = RNN(inputSize: 64, hiddenSize: 64)
    let x = Tensor.randn(100, 16, 64)
    let ms = median(runs: runs(100)) {
        rnn(x).output.sum().backward()
        rnn.zeroGrad()
    }
    report("RNN(64, 64) seq 100 batch 16", String(format: "%.3f ms", ms))
}

if selected("cnn") {
    let cnn = Sequential(Conv2d(1, 16, kernelSize: 3, padding: 1), ReLU(), MaxPool2d(2),
                         Conv2d(16, 32, kernelSize: 3, padding: 1), ReLU(), MaxPool2d(2),
                         Flatten(), Linear(32 * 7 * 7, 10))
    let x = Tensor.randn(64, 1, 28, 28)
    let ms = median(runs: runs(30)) {
        cnn(x).sum().backward()
        cnn.zeroGrad()
    }
    report("CNN (2 Conv2d + MaxPool2d + Linear), batch 64, 1×28×28", String(format: "%.3f ms", ms))
}

// `--only cnn-stages`: each stage of the CNN row alone, forward and forward + backward (for
// profiling; the backward includes the sum's).
if only == "cnn-stages" {
    let stages: [(String, any Module<Tensor>, [Int])] = [
        ("conv1", Conv2d(1, 16, kernelSize: 3, padding: 1), [64, 1, 28, 28]),
        ("relu1", ReLU(), [64, 16, 28, 28]),
        ("pool1", MaxPool2d(2), [64, 16, 28, 28]),
        ("conv2", Conv2d(16, 32, kernelSize: 3, padding: 1), [64, 16, 14, 14]),
        ("relu2", ReLU(), [64, 32, 14, 14]),
        ("pool2", MaxPool2d(2), [64, 32, 14, 14]),
        ("linear", Sequential(Flatten(), Linear(32 * 7 * 7, 10)), [64, 32, 7, 7]),
    ]
    // `--stage conv2` times one stage only.
    let chosen = arguments.firstIndex(of: "--stage").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
    for (name, stage, shape) in stages where chosen == nil || chosen == name {
        let x = Tensor.randn(shape), xg = Tensor.randn(shape, requiresGrad: name != "conv1")
        let forward = median(runs: 50) { _ = stage(x) }
        let both = median(runs: 50) { stage(xg).sum().backward(); stage.zeroGrad(); xg.grad = nil }
        report("cnn stage \(name)", String(format: "forward %.3f ms, forward + backward %.3f ms", forward, both))
    }
}

if selected("transformer") {
    let layer = TransformerEncoderLayer(dModel: 64, nhead: 4, dimFeedforward: 256, batchFirst: true)
    let x = Tensor.randn(16, 32, 64)
    let ms = median(runs: runs(100)) {
        layer(x).sum().backward()
        layer.zeroGrad()
    }
    report("TransformerEncoderLayer(64, 4 heads, ff 256), seq 32, batch 16", String(format: "%.3f ms", ms))
}

if selected("matmul") {
    let a = Tensor.randn(1024, 1024), b = Tensor.randn(1024, 1024)
    let ms = median(runs: runs(15), warmup: 2) { _ = a.matmul(b) }
    report("matmul 1024x1024x1024", String(format: "%.1f GFLOP/s (%.2f ms)", 2 * pow(1024, 3) / (ms / 1000) / 1e9, ms))
}

// Memory: a long training loop must not grow (the tape is released after each backward).
if selected("memory") {
    var layers: [any Module<Tensor>] = []
    for _ in 0..<20 { layers += [Linear(128, 128), Tanh()] }
    layers.append(Linear(128, 1))
    let model = Sequential(layers)
    let optimizer = Adam(model.parameters, lr: 1e-3)
    let x = Tensor.randn(64, 128), y = Tensor.randn(64, 1)
    let lstm = LSTM(inputSize: 2, hiddenSize: 32)
    let head = Linear(32, 1)
    let lstmOptimizer = Adam(lstm.parameters + head.parameters, lr: 1e-2)
    var samples: [String] = []
    let steps = quick ? 1000 : 5000
    for step in 1...steps {
        let loss = mseLoss(model(x), y)
        optimizer.zeroGrad()
        loss.backward()
        optimizer.step()
        let (inputs, targets) = ToyData.addingProblem(sequenceLength: 50, batchSize: 32)
        let (out, _) = lstm(inputs)
        let lstmLoss = mseLoss(head(out[out.shape[0] - 1]), targets)
        lstmOptimizer.zeroGrad()
        lstmLoss.backward()
        lstmOptimizer.step()
        if step == 100 || step % (steps / 5) == 0 {
            samples.append(String(format: "step %d: %.1f MB", step, residentMegabytes()))
        }
    }
    report("resident memory, MLP(128×20)+Adam and LSTM adding problem training", samples.joined(separator: ", "))
}

if only == "experiments" { runExperiments() }

print("\n| workload | TensorForge |\n|---|---|")
for (name, value) in rows { print("| \(name) | \(value) |") }
