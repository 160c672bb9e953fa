import Foundation

// The constructors of each plot kind. They never trap: data of the wrong shape is trimmed or
// padded and the plot carries a note that says what was done, which every writer prints.

extension Plot.Series {
    /// A series of `y` values; `x` defaults to 0, 1, 2, … (the index, as in a Swift array).
    /// When `x` and `y` differ in length the longer is cut, and `note` says so.
    public static func checked(name: String, x: [Double]?, y: [Double]) -> (series: Plot.Series, note: String?) {
        guard let x else {
            return (Plot.Series(name: name, x: y.indices.map(Double.init), y: y), nil)
        }
        if x.count == y.count { return (Plot.Series(name: name, x: x, y: y), nil) }
        let count = min(x.count, y.count)
        let label = name.isEmpty ? "The series" : "Series \"\(name)\""
        let note = "\(label) has \(x.count) x values and \(y.count) y values; drew the first \(count) pairs."
        return (Plot.Series(name: name, x: Array(x.prefix(count)), y: Array(y.prefix(count))), note)
    }
}

extension Plot {
    /// A line plot of one or more series that share axes; breaks where a value cannot be drawn.
    ///
    /// ```swift
    /// let plot = Plot.line([.init(name: "train", x: steps, y: losses)], yScale: .log10)
    /// print(TerminalWriter.text(.plot(plot)))
    /// ```
    public static func line(_ series: [Series], title: String? = nil, xLabel: String? = nil,
                            yLabel: String? = nil, xScale: Scale = .linear, yScale: Scale = .linear,
                            width: Int? = nil, height: Int? = nil) -> Plot {
        xy(.line, series, title: title, xLabel: xLabel, yLabel: yLabel, xScale: xScale, yScale: yScale,
           width: width, height: height)
    }

    /// A scatter plot of one or more series of points; each series gets its own marker.
    ///
    /// ```swift
    /// let plot = Plot.scatter([.init(name: "weights", x: fanIn, y: std)], xScale: .log10)
    /// ```
    public static func scatter(_ series: [Series], title: String? = nil, xLabel: String? = nil,
                               yLabel: String? = nil, xScale: Scale = .linear, yScale: Scale = .linear,
                               width: Int? = nil, height: Int? = nil) -> Plot {
        xy(.scatter, series, title: title, xLabel: xLabel, yLabel: yLabel, xScale: xScale, yScale: yScale,
           width: width, height: height)
    }

    private static func xy(_ kind: Kind, _ series: [Series], title: String?, xLabel: String?, yLabel: String?,
                           xScale: Scale, yScale: Scale, width: Int?, height: Int?) -> Plot {
        var notes: [String] = []
        let checked = series.map { series -> Series in
            let result = Series.checked(name: series.name, x: series.x, y: series.y)
            if let note = result.note { notes.append(note) }
            return result.series
        }
        return Plot(kind: kind, title: title, xLabel: xLabel, yLabel: yLabel, xScale: xScale, yScale: yScale,
                    series: checked, notes: notes, width: width, height: height)
    }

    /// Horizontal bars, one per label; `scale` is the scale of the values (a `.log10` bar starts at
    /// the lowest decade shown). Extra labels or values are dropped with a note.
    ///
    /// ```swift
    /// let plot = Plot.bar(labels: ["sigmoid", "tanh", "relu"], values: [0.25, 1, 1])
    /// ```
    public static func bar(labels: [String], values: [Double], title: String? = nil, xLabel: String? = nil,
                           yLabel: String? = nil, scale: Scale = .linear, width: Int? = nil) -> Plot {
        var notes: [String] = []
        let count = min(labels.count, values.count)
        if labels.count != values.count {
            notes.append("There are \(labels.count) labels and \(values.count) values; drew the first \(count) bars.")
        }
        return Plot(kind: .bar, title: title, xLabel: xLabel, yLabel: yLabel, yScale: scale,
                    series: [Series(name: "", x: [], y: Array(values.prefix(count)))],
                    labels: Array(labels.prefix(count)), notes: notes, width: width)
    }

    /// A histogram of `values` in `bins` equal bins; with `xScale: .log10` the bins are equal in
    /// log10 (what gradient magnitudes across sixty decades need), and values ≤ 0 are left out
    /// with a note, as are NaN and ±Inf.
    ///
    /// ```swift
    /// let plot = Plot.histogram(values: activations, bins: 20, title: "layer 3")
    /// ```
    public static func histogram(values: [Double], bins: Int = 10, title: String? = nil, xLabel: String? = nil,
                                 yLabel: String? = nil, xScale: Scale = .linear, yScale: Scale = .linear,
                                 width: Int? = nil) -> Plot {
        var notes: [String] = []
        var binCount = bins
        if bins < 1 || bins > 1000 {
            binCount = min(max(bins, 1), 1000)
            notes.append("bins must be between 1 and 1000; asked for \(bins), used \(binCount).")
        }
        var nonFinite = 0, nonPositive = 0
        var kept: [Double] = []
        kept.reserveCapacity(values.count)
        for value in values {
            if !value.isFinite { nonFinite += 1; continue }
            if xScale == .log10 {
                if value <= 0 { nonPositive += 1; continue }
                kept.append(log10(value))
            } else {
                kept.append(value)
            }
        }
        var left: [String] = []
        if nonFinite > 0 { left.append("\(nonFinite) NaN or ±Inf") }
        if nonPositive > 0 { left.append("\(nonPositive) zero or negative (log10 bins)") }
        if !left.isEmpty {
            notes.append("\(nonFinite + nonPositive) of \(values.count) values not counted: \(left.joined(separator: ", ")).")
        }
        var edges: [Double] = []
        var counts: [Double] = []
        if let low = kept.min(), let high = kept.max() {
            var lo = low, hi = high
            if lo == hi { lo -= 0.5; hi += 0.5 }  // one distinct value: one bin around it
            let step = (hi / 2 - lo / 2) / Double(binCount) * 2
            edges = (0...binCount).map { $0 == binCount ? hi : lo + Double($0) * step }
            var tally = [Int](repeating: 0, count: binCount)
            for value in kept {
                let index = step > 0 && step.isFinite ? Int(((value - lo) / step).rounded(.down)) : 0
                tally[min(max(index, 0), binCount - 1)] += 1
            }
            counts = tally.map(Double.init)
            if xScale == .log10 { edges = edges.map { pow(10.0, $0) } }
        }
        return Plot(kind: .histogram, title: title, xLabel: xLabel, yLabel: yLabel ?? "count",
                    xScale: xScale, yScale: yScale, series: [Series(name: "", x: edges, y: counts)],
                    notes: notes, width: width)
    }

    /// A heatmap of `matrix` (rows × columns): gradient magnitude per layer × training step, say.
    /// `scale` is the scale of the cell values; `shading: .perRow` shades each row from its own
    /// lowest to its highest value (for rows that differ by orders of magnitude), `.shared` all
    /// cells on one range, `.diverging` one range centred on 0 (1 on a log10 scale) with the two
    /// signs told apart. Column (or row) labels that are evenly spaced numbers get ticks at
    /// round values. Ragged rows are padded with NaN, with a note.
    ///
    /// ```swift
    /// let plot = Plot.heatmap(norms, rowLabels: layerNames, scale: .log10, xLabel: "step")
    /// let counts = Plot.heatmap(histograms, rowLabels: layers, shading: .perRow)
    /// ```
    public static func heatmap(_ matrix: [[Double]], rowLabels: [String]? = nil, columnLabels: [String]? = nil,
                               title: String? = nil, xLabel: String? = nil, yLabel: String? = nil,
                               scale: Scale = .linear, shading: Shading = .shared) -> Plot {
        var notes: [String] = []
        let columns = matrix.map(\.count).max() ?? 0
        var rows = matrix
        let ragged = rows.filter { $0.count != columns }.count
        if ragged > 0 {
            notes.append("\(ragged) of \(rows.count) rows have fewer than \(columns) values; the missing cells are blank.")
            rows = rows.map { $0 + [Double](repeating: .nan, count: columns - $0.count) }
        }
        func fitted(_ labels: [String]?, _ count: Int, _ what: String) -> [String] {
            guard let labels else { return (0..<count).map(String.init) }
            if labels.count == count { return labels }
            notes.append("There are \(labels.count) \(what) labels for \(count) \(what)s; unlabelled ones show their index.")
            return (0..<count).map { $0 < labels.count ? labels[$0] : String($0) }
        }
        let rowNames = fitted(rowLabels, rows.count, "row")
        let columnNames = fitted(columnLabels, columns, "column")
        return Plot(kind: .heatmap, title: title, xLabel: xLabel, yLabel: yLabel, yScale: scale,
                    labels: rowNames, columnLabels: columnNames, matrix: rows, notes: notes, shading: shading)
    }

    /// One line of small bars per series (▁▂▃▄▅▆▇█), for a quick look at a trend inside text.
    ///
    /// ```swift
    /// let plot = Plot.sparkline([.init(name: "loss", x: [], y: losses)], yScale: .log10)
    /// ```
    public static func sparkline(_ series: [Series], title: String? = nil, yScale: Scale = .linear,
                                 width: Int? = nil) -> Plot {
        Plot(kind: .sparkline, title: title, yScale: yScale,
             series: series.map { Series(name: $0.name, x: [], y: $0.y) }, width: width)
    }
}
