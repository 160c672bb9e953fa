import NotebookCore
import TensorForge

/// Gradient statistics of one parameter after `backward()`.
public struct GradientStatistics: Sendable, Equatable {
    /// The state-dict key, such as `0.weight`.
    public var name: String
    public var shape: [Int]
    /// Whether the parameter had a gradient; when not, the numbers are NaN.
    public var hasGradient: Bool
    /// ‖grad‖₂, computed without underflow for gradients as small as 1e-300.
    public var norm: Double
    public var meanAbsolute: Double
    public var maxAbsolute: Double
    /// `norm` divided by the norm of the same kind of parameter (`weight`, `bias`, …) in the last
    /// layer that has one: how much weaker this layer learns than the output layer.
    public var ratioToLast: Double
}

/// The gradients of a model's parameters, one entry per parameter in state-dict order.
public struct GradientReport: Sendable, Equatable {
    public var parameters: [GradientStatistics]

    /// The entries of weight parameters (keys ending in `weight`), the usual "per layer" view;
    /// all entries when the model has no such keys.
    public var weights: [GradientStatistics] {
        let weights = parameters.filter { $0.name.hasSuffix("weight") }
        return weights.isEmpty ? parameters : weights
    }

    /// The report as a table: parameter, shape, ‖grad‖₂, mean |grad|, max |grad|, ratio to last.
    public var table: Table {
        let numbers: (Double, Bool) -> Table.Cell = { value, has in has ? .number(value) : .text("—") }
        let rows: [[Table.Cell]] = parameters.map { p in
            [.text(p.name), .text(p.shape.map(String.init).joined(separator: "×")),
             numbers(p.norm, p.hasGradient), numbers(p.meanAbsolute, p.hasGradient),
             numbers(p.maxAbsolute, p.hasGradient), numbers(p.ratioToLast, p.hasGradient)]
        }
        var notes: [String] = []
        let missing = parameters.filter { !$0.hasGradient }.count
        if missing > 0 { notes.append("\(missing) parameters have no gradient (—): call backward() on a loss that uses them first.") }
        return Table(title: "Gradients", columns: [
            .init("parameter"), .init("shape"), .init("‖grad‖₂", format: .scientific(3)),
            .init("mean |grad|", format: .scientific(3)), .init("max |grad|", format: .scientific(3)),
            .init("‖grad‖₂ / last", format: .scientific(3)),
        ], rows: rows, notes: notes)
    }

    /// ‖grad‖₂ of each weight parameter against its position, on a log10 axis: the vanishing
    /// gradient as a line.
    public func plot(title: String? = "Gradient norm per layer") -> Plot {
        let weights = self.weights
        var plot = Plot.line([.init(name: "‖grad‖₂", x: weights.indices.map(Double.init), y: weights.map(\.norm))],
                             title: title, xLabel: "layer (weight parameters in order, input first)",
                             yLabel: "‖grad‖₂", yScale: .log10)
        if let first = weights.first, let last = weights.last, weights.count > 1 {
            plot.notes.append("layer 0 is \(first.name), layer \(weights.count - 1) is \(last.name).")
        }
        return plot
    }
}

/// The gradient statistics of every parameter of `model` (after `backward()`), without showing
/// anything; `show(report)` shows its table, `show(report.plot())` its plot.
///
/// ```swift
/// let report = gradientReport(model)
/// report.weights.map(\.norm)
/// show(report)
/// ```
public func gradientReport(_ model: some Module) -> GradientReport {
    let named = model.namedParameters
    var statistics: [GradientStatistics] = named.map { name, tensor in
        guard let grad = tensor.grad else {
            return GradientStatistics(name: name, shape: tensor.shape, hasGradient: false, norm: .nan,
                                      meanAbsolute: .nan, maxAbsolute: .nan, ratioToLast: .nan)
        }
        let values = grad.scalars
        let maxAbsolute = values.reduce(0) { Swift.max($0, abs($1)) }
        let meanAbsolute = values.isEmpty ? 0 : values.reduce(0) { $0 + abs($1) } / Double(values.count)
        return GradientStatistics(name: name, shape: tensor.shape, hasGradient: true, norm: stableNorm(values, maxAbsolute),
                                  meanAbsolute: meanAbsolute, maxAbsolute: maxAbsolute, ratioToLast: .nan)
    }
    for index in statistics.indices where statistics[index].hasGradient {
        let kind = parameterKind(statistics[index].name)
        if let last = statistics.last(where: { $0.hasGradient && parameterKind($0.name) == kind }) {
            statistics[index].ratioToLast = statistics[index].norm / last.norm
        }
    }
    return GradientReport(parameters: statistics)
}

/// Shows the gradient table of `model` and returns the report. Deprecated: it both shows and
/// computes, so `show(gradientTable(model))` showed the table and then the report again.
@available(*, deprecated, message: "compute with gradientReport(model) and show it: show(gradientReport(model))")
@discardableResult
public func gradientTable(_ model: some Module, title: String? = nil) -> GradientReport {
    let report = gradientReport(model)
    var table = report.table
    if let title { table.title = title }
    show(table)
    return report
}

/// Shows ‖grad‖₂ per layer on a log10 axis (weights only, input layer first); `report.plot()`
/// builds the same plot without showing it.
///
/// ```swift
/// gradientPlot(gradientReport(model))
/// ```
public func gradientPlot(_ report: GradientReport, title: String? = "Gradient norm per layer") {
    show(report.plot(title: title))
}

/// A report shows as its table (`report.plot()` is its plot).
extension GradientReport: Displayable {
    public var richOutputs: [RichOutput] { [.table(table)] }
}

/// One parameter's statistics show as a one-row gradient table.
extension GradientStatistics: Displayable {
    public var richOutputs: [RichOutput] {
        var table = GradientReport(parameters: [self]).table
        table.title = "Gradient of \(name)"
        return [.table(table)]
    }
}

/// `0.weight` → `weight`, `weight_ih_l0` → `weight_ih_l0`: what to compare a parameter with.
private func parameterKind(_ name: String) -> Substring {
    name.split(separator: ".").last ?? Substring(name)
}

/// ‖values‖₂ scaled by the largest magnitude first, so squares of 1e-200 do not underflow to 0.
func stableNorm(_ values: [Double], _ maxAbsolute: Double) -> Double {
    guard maxAbsolute > 0, maxAbsolute.isFinite else { return maxAbsolute.isNaN ? .nan : maxAbsolute }
    var sum = 0.0
    for value in values {
        let scaled = value / maxAbsolute
        sum += scaled * scaled
    }
    return maxAbsolute * sum.squareRoot()
}
