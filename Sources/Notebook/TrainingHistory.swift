import NotebookCore
import TensorForge

/// Loss per step, and optionally the gradient norm of each weight parameter per step, recorded
/// during training; plots as curves or as a heatmap (layer × step).
///
/// ```swift
/// let history = TrainingHistory()
/// for step in 0..<200 {
///     optimizer.zeroGrad()
///     let loss = mseLoss(model(x), y)
///     loss.backward()
///     history.record(loss: loss.item, gradientsOf: model)
///     optimizer.step()
/// }
/// show(history.lossPlot())
/// show(history.gradientHeatmap())
/// ```
public final class TrainingHistory {
    public private(set) var steps: [Double] = []
    public private(set) var losses: [Double] = []
    /// Names of the weight parameters whose gradient norms are recorded, input layer first.
    public private(set) var parameterNames: [String] = []
    /// `gradientNorms[p][s]`: ‖grad‖₂ of parameter `p` at recorded step `s` (NaN when not recorded).
    public private(set) var gradientNorms: [[Double]] = []

    public init() {}

    /// Records one step's loss; `step` defaults to the number of steps recorded so far.
    public func record(step: Int? = nil, loss: Double) {
        steps.append(Double(step ?? steps.count))
        losses.append(loss)
        for index in gradientNorms.indices { gradientNorms[index].append(.nan) }
    }

    /// Records one step's loss and the gradient norm of each weight parameter of `model`
    /// (call after `backward()`, before the optimiser clears the gradients).
    public func record(step: Int? = nil, loss: Double, gradientsOf model: some Module) {
        record(step: step, loss: loss)
        for statistics in gradientReport(model).weights {
            var row = parameterNames.firstIndex(of: statistics.name)
            if row == nil {
                parameterNames.append(statistics.name)
                gradientNorms.append([Double](repeating: .nan, count: steps.count))
                row = parameterNames.count - 1
            }
            gradientNorms[row!][steps.count - 1] = statistics.norm
        }
    }

    /// The loss against the step.
    public func lossPlot(title: String? = "Training loss", yScale: Plot.Scale = .linear) -> Plot {
        Plot.line([.init(name: "loss", x: steps, y: losses)], title: title, xLabel: "step", yLabel: "loss",
                  yScale: yScale)
    }

    /// One curve of ‖grad‖₂ per weight parameter (at most `maxCurves`, spread over the depth),
    /// on a log10 axis.
    public func gradientNormPlot(title: String? = "Gradient norm per layer", maxCurves: Int = 4) -> Plot {
        let count = parameterNames.count
        let chosen = count <= maxCurves ? Array(0..<count)
            : (0..<max(1, maxCurves)).map { $0 * (count - 1) / max(1, maxCurves - 1) }
        var plot = Plot.line(chosen.map { Plot.Series(name: parameterNames[$0], x: steps, y: gradientNorms[$0]) },
                             title: title, xLabel: "step", yLabel: "‖grad‖₂", yScale: .log10)
        if chosen.count < count { plot.notes.append("Showing \(chosen.count) of \(count) layers, spread over the depth.") }
        if count == 0 { plot.notes.append("No gradient norms were recorded: use record(loss:gradientsOf:).") }
        return plot
    }

    /// ‖grad‖₂ per weight parameter (rows, input layer at the top) and step (columns), log10
    /// shades; `shading: .perRow` shades each layer on its own range, to see how each one moves.
    public func gradientHeatmap(title: String? = "Gradient norm per layer and step",
                                shading: Plot.Shading = .shared) -> Plot {
        var plot = Plot.heatmap(gradientNorms, rowLabels: parameterNames,
                                columnLabels: steps.map { NumberFormat.automatic.string($0) },
                                title: title, xLabel: "step", yLabel: "parameter", scale: .log10, shading: shading)
        if parameterNames.isEmpty { plot.notes.append("No gradient norms were recorded: use record(loss:gradientsOf:).") }
        return plot
    }
}

/// A history shows its loss curve and, when gradient norms were recorded, their curves per layer.
extension TrainingHistory: Displayable {
    public var richOutputs: [RichOutput] {
        [.plot(lossPlot())] + (parameterNames.isEmpty ? [] : [.plot(gradientNormPlot())])
    }
}
