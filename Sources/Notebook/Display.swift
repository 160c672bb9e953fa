import NotebookCore

// The verbs a `swift-run` block calls to show results. Each builds the output as data
// (`Table`, `Plot`) and emits it once through the session; it returns nothing, so a block's last
// line is never shown twice (see Displayable.swift). To keep a value, build it with
// `Table.rows(…)`, `Plot.line(…)`, `Plot.histogram(…)` and friends, which show nothing, and pass
// it to `show`. Nothing here traps on user data: wrong lengths or undrawable values become notes
// printed under the output.

extension Table.Cell {
    /// A cell for any value: numbers stay numbers (so every writer formats them alike), a
    /// one-element tensor is its number, anything else is its description.
    public init(_ value: Any) {
        switch value {
        case let cell as Table.Cell: self = cell
        case let number as Double: self = .number(number)
        case let number as Float: self = .number(Double(number))
        case let integer as Int: self = .integer(integer)
        case let integer as any BinaryInteger: self = Int(exactly: integer).map { .integer($0) } ?? .text(String(describing: integer))
        case let text as String: self = .text(text)
        default: self = Table.Cell.engineValue(value) ?? .text(String(describing: value))
        }
    }
}

extension Table {
    /// A table from rows of any values; `formats` sets the number format of columns by name.
    ///
    /// ```swift
    /// let t = Table.rows(["layer", "‖grad‖₂"], [["0.weight", 1.2e-58], ["2.weight", 3.4e-50]],
    ///                    formats: ["‖grad‖₂": .scientific(3)])
    /// ```
    public static func rows(_ columns: [String], _ rows: [[Any]], title: String? = nil,
                            formats: [String: NumberFormat] = [:]) -> Table {
        var notes: [String] = []
        let short = rows.filter { $0.count < columns.count }.count
        if short > 0 { notes.append("\(short) rows have fewer than \(columns.count) cells; the missing cells are blank.") }
        return Table(title: title, columns: columns.map { Table.Column($0, format: formats[$0] ?? .automatic) },
                     rows: rows.map { $0.map(Table.Cell.init) }, notes: notes)
    }

    /// A table from named columns of values, in the order written.
    ///
    /// ```swift
    /// let t = Table.columns(["layer": names, "‖grad‖₂": norms], formats: ["‖grad‖₂": .scientific(3)])
    /// ```
    public static func columns(_ columns: KeyValuePairs<String, [Any]>, title: String? = nil,
                               formats: [String: NumberFormat] = [:]) -> Table {
        let height = columns.map(\.value.count).max() ?? 0
        var notes: [String] = []
        let short = columns.filter { $0.value.count < height }.map(\.key)
        if !short.isEmpty {
            notes.append("Columns \(short.map { "\"\($0)\"" }.joined(separator: ", ")) have fewer than \(height) values; the missing cells are blank.")
        }
        let rows: [[Table.Cell]] = (0..<height).map { row in
            columns.map { row < $0.value.count ? Table.Cell($0.value[row]) : .text("") }
        }
        return Table(title: title, columns: columns.map { Table.Column($0.key, format: formats[$0.key] ?? .automatic) },
                     rows: rows, notes: notes)
    }
}

/// Shows a table from rows of values; numbers are right-aligned and formatted per column.
///
/// ```swift
/// table(["activation", "max f′"], [["sigmoid", 0.25], ["tanh", 1.0]])
/// ```
public func table(_ columns: [String], _ rows: [[Any]], title: String? = nil,
                  formats: [String: NumberFormat] = [:]) {
    show(Table.rows(columns, rows, title: title, formats: formats))
}

/// Shows a table from named columns, in the order written.
///
/// ```swift
/// table(["step": steps, "loss": losses], formats: ["loss": .significant(3)])
/// ```
public func table(_ columns: KeyValuePairs<String, [Any]>, title: String? = nil,
                  formats: [String: NumberFormat] = [:]) {
    show(Table.columns(columns, title: title, formats: formats))
}

/// Shows a line plot of `y` against `x` (0, 1, 2, … when omitted). A `.log10` axis leaves out
/// zero, negative, NaN and infinite values; the line breaks there and a note counts them.
///
/// ```swift
/// lineplot(norms, title: "Gradient norm per layer", xLabel: "layer", yScale: .log10)
/// ```
public func lineplot(_ y: [Double], x: [Double]? = nil, name: String = "", title: String? = nil,
                     xLabel: String? = nil, yLabel: String? = nil, xScale: Plot.Scale = .linear,
                     yScale: Plot.Scale = .linear, width: Int? = nil, height: Int? = nil) {
    let checked = Plot.Series.checked(name: name, x: x, y: y)
    var plot = Plot.line([checked.series], title: title, xLabel: xLabel, yLabel: yLabel, xScale: xScale,
                         yScale: yScale, width: width, height: height)
    if let note = checked.note { plot.notes.insert(note, at: 0) }
    show(plot)
}

/// Shows several named series on shared axes, with a legend; `x` is shared (0, 1, 2, … when omitted).
///
/// ```swift
/// lineplot(["train": trainLoss, "test": testLoss], title: "Loss", xLabel: "epoch")
/// ```
public func lineplot(_ series: KeyValuePairs<String, [Double]>, x: [Double]? = nil, title: String? = nil,
                     xLabel: String? = nil, yLabel: String? = nil, xScale: Plot.Scale = .linear,
                     yScale: Plot.Scale = .linear, width: Int? = nil, height: Int? = nil) {
    var notes: [String] = []
    let all = series.map { name, y in
        let checked = Plot.Series.checked(name: name, x: x, y: y)
        if let note = checked.note { notes.append(note) }
        return checked.series
    }
    var plot = Plot.line(all, title: title, xLabel: xLabel, yLabel: yLabel, xScale: xScale, yScale: yScale,
                         width: width, height: height)
    plot.notes.insert(contentsOf: notes, at: 0)
    show(plot)
}

/// Shows a line plot of series built with their own x values.
public func lineplot(series: [Plot.Series], title: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
                     xScale: Plot.Scale = .linear, yScale: Plot.Scale = .linear,
                     width: Int? = nil, height: Int? = nil) {
    show(Plot.line(series, title: title, xLabel: xLabel, yLabel: yLabel, xScale: xScale, yScale: yScale,
                   width: width, height: height))
}

/// Shows points (x, y) without joining them.
///
/// ```swift
/// scatterplot(x: fanIn, y: outputStd, xLabel: "fan-in", xScale: .log10)
/// ```
public func scatterplot(x: [Double], y: [Double], name: String = "", title: String? = nil,
                        xLabel: String? = nil, yLabel: String? = nil, xScale: Plot.Scale = .linear,
                        yScale: Plot.Scale = .linear, width: Int? = nil, height: Int? = nil) {
    show(Plot.scatter([.init(name: name, x: x, y: y)], title: title, xLabel: xLabel, yLabel: yLabel,
                      xScale: xScale, yScale: yScale, width: width, height: height))
}

/// Shows several series of points on shared axes; each gets its own marker and a legend entry.
public func scatterplot(series: [Plot.Series], title: String? = nil, xLabel: String? = nil,
                        yLabel: String? = nil, xScale: Plot.Scale = .linear, yScale: Plot.Scale = .linear,
                        width: Int? = nil, height: Int? = nil) {
    show(Plot.scatter(series, title: title, xLabel: xLabel, yLabel: yLabel, xScale: xScale, yScale: yScale,
                      width: width, height: height))
}

/// Shows one horizontal bar per label. `scale` is the scale of the values; `xLabel` names the
/// values (drawn along the horizontal axis) and `yLabel` the categories.
///
/// ```swift
/// barplot(labels: ["sigmoid", "tanh", "relu"], values: [0.25, 1, 1], xLabel: "max f′(x)")
/// ```
public func barplot(labels: [String], values: [Double], title: String? = nil, xLabel: String? = nil,
                    yLabel: String? = nil, scale: Plot.Scale = .linear, width: Int? = nil) {
    show(Plot.bar(labels: labels, values: values, title: title, xLabel: xLabel, yLabel: yLabel,
                  scale: scale, width: width))
}

/// Shows a histogram of `values` in `bins` bins; `xScale: .log10` makes the bins equal in log10
/// (values ≤ 0 are then counted in a note, not in a bin) and `yScale` is the scale of the counts.
///
/// ```swift
/// histogram(values: gradients, bins: 30, xLabel: "|grad|", xScale: .log10)
/// ```
public func histogram(values: [Double], bins: Int = 10, title: String? = nil, xLabel: String? = nil,
                      yLabel: String? = nil, xScale: Plot.Scale = .linear, yScale: Plot.Scale = .linear,
                      width: Int? = nil) {
    show(Plot.histogram(values: values, bins: bins, title: title, xLabel: xLabel, yLabel: yLabel,
                        xScale: xScale, yScale: yScale, width: width))
}

/// Shows a matrix as a heatmap, rows top to bottom; `scale` is the scale of the cell values and
/// `shading: .perRow` shades each row on its own range (for rows that differ by orders of
/// magnitude; the legend says so), `.diverging` centres one range on 0 (1 on a log10 scale) and
/// shades the two sides apart (blue and red; block shades and dots in text), for a quantity
/// whose sign is the point. Numeric column labels get ticks at round values.
///
/// ```swift
/// heatmap(normsPerLayerAndStep, rowLabels: layerNames, xLabel: "step", scale: .log10)
/// heatmap(countsPerLayer, rowLabels: layerNames, columnLabels: binStarts, shading: .perRow)
/// heatmap(log10Ratios, rowLabels: scales, columnLabels: depths, shading: .diverging)
/// ```
public func heatmap(_ matrix: [[Double]], rowLabels: [String]? = nil, columnLabels: [String]? = nil,
                    title: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
                    scale: Plot.Scale = .linear, shading: Plot.Shading = .shared) {
    show(Plot.heatmap(matrix, rowLabels: rowLabels, columnLabels: columnLabels, title: title,
                   xLabel: xLabel, yLabel: yLabel, scale: scale, shading: shading))
}

/// Shows a one-line trend (▁▂▃▅▇), for a glance inside the text.
///
/// ```swift
/// sparkline(losses, name: "loss")
/// ```
public func sparkline(_ values: [Double], name: String = "", title: String? = nil,
                      yScale: Plot.Scale = .linear, width: Int? = nil) {
    show(Plot.sparkline([.init(name: name, x: [], y: values)], title: title, yScale: yScale, width: width))
}

/// Shows one sparkline per named series, on a shared scale.
public func sparkline(_ series: KeyValuePairs<String, [Double]>, title: String? = nil,
                      yScale: Plot.Scale = .linear, width: Int? = nil) {
    show(Plot.sparkline(series.map { Plot.Series(name: $0.key, x: [], y: $0.value) }, title: title,
                        yScale: yScale, width: width))
}
