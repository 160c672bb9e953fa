import NotebookCore
import TensorForge

/// What one layer of a `Sequential` produced during a forward pass.
public struct ActivationStatistics: Sendable, Equatable {
    /// The layer's key in the model (`"3"`) and its type (`"Sigmoid"`).
    public var layer: String
    public var kind: String
    public var mean: Double
    /// Population standard deviation of the layer's outputs.
    public var standardDeviation: Double
    /// For sigmoid: the fraction of outputs below 0.01 or above 0.99; for tanh: |output| above
    /// 0.99 — where the derivative is under about 0.01 and gradients die. `nil` for other layers.
    public var saturated: Double?
    /// The outputs themselves, for histograms.
    public var values: [Double]
}

/// Activation statistics of every layer of a forward pass, recorded by `recordActivations`.
public struct ActivationRecord: Sendable, Equatable {
    public var layers: [ActivationStatistics]

    /// The layers that are activation functions (sigmoid, tanh, ReLU, …), where saturation shows.
    public var activationLayers: [ActivationStatistics] {
        layers.filter { !["Linear", "Sequential", "Residual", "Dropout"].contains($0.kind) }
    }

    /// One row per layer: layer, kind, mean, std, saturated fraction.
    public var table: Table {
        Table(title: "Activations", columns: [
            .init("layer"), .init("kind"), .init("mean", format: .significant(3)),
            .init("std", format: .significant(3)), .init("saturated", format: .fixed(3)),
        ], rows: layers.map { layer in
            [.text(layer.layer), .text(layer.kind), .number(layer.mean), .number(layer.standardDeviation),
             layer.saturated.map { .number($0) } ?? .text("—")]
        })
    }

    /// A histogram of one layer's outputs.
    public func histogram(_ layer: ActivationStatistics, bins: Int = 20) -> Plot {
        Plot.histogram(values: layer.values, bins: bins, title: "Layer \(layer.layer) (\(layer.kind)) outputs",
                       xLabel: "output")
    }

    /// The std of each layer's outputs against depth: the signal fading (or exploding) as a line.
    public func standardDeviationPlot(yScale: Plot.Scale = .log10) -> Plot {
        let layers = activationLayers.isEmpty ? self.layers : activationLayers
        return Plot.line([.init(name: "std", x: layers.indices.map(Double.init), y: layers.map(\.standardDeviation))],
                         title: "Standard deviation of activations per layer", xLabel: "activation layer",
                         yLabel: "std", yScale: yScale)
    }
}

/// Runs `input` through `model` one layer at a time and records what each layer produced.
///
/// ```swift
/// let activations = recordActivations(model, input: Tensor.randn(256, 100))
/// show(activations)
/// for layer in activations.activationLayers.prefix(3) { show(activations.histogram(layer)) }
/// ```
public func recordActivations(_ model: Sequential, input: Tensor) -> ActivationRecord {
    var x = input
    var layers: [ActivationStatistics] = []
    for (index, layer) in model.layers.enumerated() {
        x = layer(x)
        layers.append(statistics(of: x.scalars, layer: String(index), module: layer))
    }
    return ActivationRecord(layers: layers)
}

/// Shows the activation table of a forward pass through `model` and returns the record.
/// Deprecated: it both shows and computes.
@available(*, deprecated, message: "compute with recordActivations(model, input:) and show it: show(recordActivations(model, input: x))")
@discardableResult
public func activationTable(_ model: Sequential, input: Tensor) -> ActivationRecord {
    let record = recordActivations(model, input: input)
    show(record.table)
    return record
}

/// A record shows as its table (one row per layer).
extension ActivationRecord: Displayable {
    public var richOutputs: [RichOutput] { [.table(table)] }
}

/// One layer's statistics show as a one-row table and a histogram of its outputs.
extension ActivationStatistics: Displayable {
    public var richOutputs: [RichOutput] {
        let record = ActivationRecord(layers: [self])
        var table = record.table
        table.title = "Activations of layer \(layer) (\(kind))"
        return [.table(table), .plot(record.histogram(self))]
    }
}

private func statistics(of values: [Double], layer: String, module: any Module<Tensor>) -> ActivationStatistics {
    let kind = String(describing: type(of: module))
    let count = Double(max(1, values.count))
    let mean = values.reduce(0, +) / count
    let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / count
    var saturated: Double?
    if module is Sigmoid {
        saturated = Double(values.filter { $0 < 0.01 || $0 > 0.99 }.count) / count
    } else if module is Tanh {
        saturated = Double(values.filter { abs($0) > 0.99 }.count) / count
    }
    return ActivationStatistics(layer: layer, kind: kind, mean: mean, standardDeviation: variance.squareRoot(),
                                saturated: saturated, values: values)
}
