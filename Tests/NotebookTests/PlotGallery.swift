import Foundation
@testable import NotebookCore

/// The plots the golden files show: one of each kind, with data like the book's. All data is
/// computed from closed-form expressions, so it is the same on every machine.
enum PlotGallery {
    /// Gradient norm of a 50-layer sigmoid network: roughly 1e-60 at the input layer rising to
    /// about 1e+3 at the output, with some wobble.
    static var gradientNorms: [Double] {
        (0..<50).map { (layer: Int) -> Double in
            let decades: Double = -60 + 63 * Double(layer) / 49 + 0.8 * sin(Double(layer) * 1.3)
            return pow(10, decades)
        }
    }

    static var losses: (train: [Double], test: [Double]) {
        let train = (0..<100).map { (step: Int) -> Double in
            let t = Double(step)
            let decay: Double = 2.3 * exp(-t / 25)
            return decay + 0.05 + 0.03 * sin(t)
        }
        let test = (0..<100).map { (step: Int) -> Double in
            let t = Double(step)
            let decay: Double = 2.3 * exp(-t / 30)
            return decay + 0.15 + 0.002 * t
        }
        return (train, test)
    }

    /// Deterministic, roughly bell-shaped values: sums of three evenly spread sines.
    static var activations: [Double] {
        (0..<2000).map { (i: Int) -> Double in
            let t = Double(i)
            let sum: Double = sin(t * 0.7311) + sin(t * 1.9173) + sin(t * 3.3301)
            return sum / 3
        }
    }

    static var heatmapData: [[Double]] {
        (0..<12).map { (layer: Int) -> [Double] in
            (0..<30).map { (step: Int) -> Double in
                let decades: Double = -Double(12 - layer) * 4 - Double(step) / 10
                return pow(10, decades)
            }
        }
    }

    static var sigmoidX: [Double] { (0..<40).map { Double($0) / 4 - 5 } }
    static func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }

    /// −6 … 6 in steps of 0.05, as the derivatives figure of the book.
    static var derivativeX: [Double] { (0...240).map { -6 + Double($0) * 0.05 } }

    /// Counts of twelve bins per layer: early layers spread, late ones piled up in a few bins
    /// with counts a hundred times higher — rows a shared scale would leave nearly blank.
    static var layerHistograms: [[Double]] {
        (0..<6).map { (layer: Int) -> [Double] in
            let width = 6 / Double(layer + 1)
            return (0..<20).map { (bin: Int) -> Double in
                let centre = Double(bin) - 9.5
                return (Double(layer * layer) * 40 + 5) * exp(-centre * centre / (2 * width * width))
            }
        }
    }

    static let all: [(name: String, plot: Plot)] = [
        ("line-gradient-norms", Plot.line(
            [.init(name: "‖grad‖₂", x: (0..<50).map(Double.init), y: gradientNorms)],
            title: "Gradient norm per layer, 50-layer sigmoid network", xLabel: "layer", yLabel: "‖grad‖₂",
            yScale: .log10)),
        ("line-two-series", Plot.line(
            [.init(name: "train", x: (0..<100).map(Double.init), y: losses.train),
             .init(name: "test", x: (0..<100).map(Double.init), y: losses.test)],
            title: "Loss", xLabel: "step", yLabel: "cross-entropy")),
        ("scatter", Plot.scatter(
            [.init(name: "sigmoid", x: sigmoidX, y: sigmoidX.map(sigmoid)),
             .init(name: "σ′", x: sigmoidX, y: sigmoidX.map { sigmoid($0) * (1 - sigmoid($0)) })],
            title: "Sigmoid and its derivative", xLabel: "x")),
        ("bar", Plot.bar(labels: ["sigmoid", "tanh", "relu", "gelu"], values: [0.25, 1, 1, 1.129],
                         title: "Largest derivative of each activation", xLabel: "max f′(x)")),
        ("bar-log", Plot.bar(labels: ["layer 1", "layer 10", "layer 25", "layer 50"],
                             values: [3.1e-58, 2.0e-41, 4.4e-22, 12.5],
                             title: "Gradient norm", xLabel: "‖grad‖₂", scale: .log10)),
        ("histogram", Plot.histogram(values: activations, bins: 12, title: "Pre-activations, layer 3",
                                     xLabel: "value")),
        ("histogram-log", Plot.histogram(values: gradientNorms, bins: 8, title: "Gradient norms",
                                         xLabel: "‖grad‖₂", xScale: .log10)),
        ("heatmap", Plot.heatmap(
            heatmapData,
            rowLabels: (0..<12).map { "layer \($0 + 1)" }, columnLabels: (0..<30).map { String($0 * 10) },
            title: "Gradient norm per layer and step", xLabel: "step", scale: .log10)),
        ("line-four-series", Plot.line(
            [.init(name: "σ′(x)", x: derivativeX, y: derivativeX.map { sigmoid($0) * (1 - sigmoid($0)) }),
             .init(name: "tanh′(x)", x: derivativeX, y: derivativeX.map { 1 - tanh($0) * tanh($0) }),
             .init(name: "ReLU′(x)", x: derivativeX, y: derivativeX.map { $0 > 0 ? 1 : 0 }),
             .init(name: "GELU′(x)", x: derivativeX, y: derivativeX.map { 0.5 * (1 + tanh(0.8 * $0)) + 0.4 * $0 * exp(-$0 * $0 / 2) })],
            title: "Derivatives", xLabel: "x", yLabel: "f′(x)")),
        ("line-gaps", Plot.line(
            [.init(name: "norm", x: (0..<12).map(Double.init),
                   y: [1e-6, 1e-5, .nan, 1e-3, 1e-2, 0, -1, 1, 10, .infinity, .nan, .nan]),
             .init(name: "bound", x: (0..<12).map(Double.init),
                   y: [1e-4, 1e-4, 1e-4, 1e-4, .nan, 1e-4, 1e-4, 1e-4, 1e-4, 1e-4, 1e-4, 1e-4])],
            title: "Gaps where values cannot be drawn", xLabel: "step", yScale: .log10)),
        ("scatter-three-series", Plot.scatter(
            [.init(name: "a", x: (0..<30).map { Double($0) }, y: (0..<30).map { Double($0) * 0.1 }),
             .init(name: "b", x: (0..<30).map { Double($0) }, y: (0..<30).map { 3 - Double($0) * 0.1 }),
             .init(name: "c", x: (0..<30).map { Double($0) }, y: (0..<30).map { 1.5 + sin(Double($0) / 3) })],
            title: "Three series of points", xLabel: "i")),
        ("heatmap-per-row", Plot.heatmap(
            layerHistograms, rowLabels: (1...6).map { "layer \($0)" },
            columnLabels: (0..<20).map { String(format: "%.1f", -1 + 0.1 * Double($0)) },
            title: "Activation histograms per layer", xLabel: "activation (bin start)", shading: .perRow)),
        ("heatmap-shared", Plot.heatmap(
            layerHistograms, rowLabels: (1...6).map { "layer \($0)" },
            columnLabels: (0..<20).map { String(format: "%.1f", -1 + 0.1 * Double($0)) },
            title: "Activation histograms per layer", xLabel: "activation (bin start)")),
        ("heatmap-diverging", Plot.heatmap(
            [0.5, 0.9, 1, 1.1, 2].map { gain in (1...8).map { depth in Double(depth) * log10(gain) } },
            rowLabels: ["0.5", "0.9", "1", "1.1", "2"], columnLabels: (1...8).map(String.init),
            title: "log10 of the gain over depth", xLabel: "depth", yLabel: "gain", shading: .diverging)),
        ("sparkline", Plot.sparkline(
            [.init(name: "train loss", x: [], y: losses.train), .init(name: "test loss", x: [], y: losses.test)],
            title: "Loss")),
    ]
}
