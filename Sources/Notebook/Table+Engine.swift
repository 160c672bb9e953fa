import NotebookCore
import TensorForge

extension Table.Cell {
    /// Engine values that have a natural cell: a one-element tensor is its number, a larger one
    /// its shape and values on one line.
    static func engineValue(_ value: Any) -> Table.Cell? {
        guard let tensor = value as? Tensor else { return nil }
        if tensor.count == 1 { return .number(tensor.scalars[0]) }
        return .text(String(describing: tensor))
    }
}

/// Shows a line plot of a tensor's values in order (flattened).
public func lineplot(_ y: Tensor, name: String = "", title: String? = nil, xLabel: String? = nil,
                     yLabel: String? = nil, yScale: Plot.Scale = .linear) {
    lineplot(y.scalars, name: name, title: title, xLabel: xLabel, yLabel: yLabel, yScale: yScale)
}

/// Shows a histogram of all of a tensor's values (a weight matrix, a layer's activations).
///
/// ```swift
/// histogram(values: model.parameters[0], bins: 20, title: "0.weight")
/// ```
public func histogram(values: Tensor, bins: Int = 10, title: String? = nil, xLabel: String? = nil,
                      xScale: Plot.Scale = .linear, yScale: Plot.Scale = .linear) {
    histogram(values: values.scalars, bins: bins, title: title, xLabel: xLabel, xScale: xScale, yScale: yScale)
}

/// Shows a 2-D tensor as a heatmap; a tensor of another rank is shown as a note instead.
public func heatmap(_ matrix: Tensor, rowLabels: [String]? = nil, columnLabels: [String]? = nil,
                    title: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
                    scale: Plot.Scale = .linear, shading: Plot.Shading = .shared) {
    guard matrix.rank == 2 else {
        var plot = Plot.heatmap([], title: title, xLabel: xLabel, yLabel: yLabel, scale: scale)
        plot.notes.append("heatmap needs a 2-D tensor; this one has shape \(matrix.shape).")
        show(plot)
        return
    }
    let columns = matrix.shape[1]
    let scalars = matrix.scalars
    let rows = (0..<matrix.shape[0]).map { Array(scalars[($0 * columns)..<(($0 + 1) * columns)]) }
    heatmap(rows, rowLabels: rowLabels, columnLabels: columnLabels, title: title, xLabel: xLabel,
            yLabel: yLabel, scale: scale, shading: shading)
}
