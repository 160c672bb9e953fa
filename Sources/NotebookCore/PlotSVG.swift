import Foundation

/// Draws plots as inline SVG for HTML pages that want vector figures (`//| plot: svg`).
///
/// Accessible: `role="img"` labelled by a `<title>` and a `<desc>` that says in words what the
/// plot shows (kinds, series, ranges, points not drawn). Series differ by dash pattern or marker
/// shape as well as colour, so the figure reads in greyscale and for colour-blind readers.
/// Deterministic: coordinates are written with one decimal by integer arithmetic, and element
/// ids come from a hash of the plot's data, not from a counter or a random source.
///
/// ```swift
/// let svg = PlotSVG.render(Plot.line([.init(name: "loss", x: steps, y: losses)]))
/// ```
public enum PlotSVG {
    public static func render(_ plot: Plot) -> String {
        var renderer = SVGRenderer(plot: plot)
        switch plot.kind {
        case .line, .scatter: renderer.xy()
        case .bar, .histogram: renderer.bars()
        case .heatmap: renderer.heatmap()
        case .sparkline: renderer.sparkline()
        }
        return renderer.document()
    }
}

/// `12.25` → `"12.3"`, `-0.04` → `"0"`: one decimal, no locale, no exponent.
func svgNumber(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    let tenths = Int((min(max(value, -1e9), 1e9) * 10).rounded())
    if tenths == 0 { return "0" }
    let sign = tenths < 0 ? "-" : ""
    let magnitude = abs(tenths)
    return magnitude % 10 == 0 ? "\(sign)\(magnitude / 10)" : "\(sign)\(magnitude / 10).\(magnitude % 10)"
}

/// FNV-1a over the plot's data: the same plot gets the same ids on every build.
func plotIdentifier(_ plot: Plot) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    func mix(_ bytes: some Sequence<UInt8>) { for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 } }
    func mix(_ value: Double) { withUnsafeBytes(of: value.bitPattern.littleEndian) { mix($0) } }
    mix(plot.kind.rawValue.utf8)
    mix((plot.title ?? "").utf8)
    mix((plot.xLabel ?? "").utf8)
    mix((plot.yLabel ?? "").utf8)
    for series in plot.series {
        mix(series.name.utf8)
        series.x.forEach(mix)
        series.y.forEach(mix)
    }
    plot.labels.forEach { mix($0.utf8) }
    plot.matrix.forEach { $0.forEach(mix) }
    return "legend-plot-" + String(hash, radix: 16)
}

struct SVGRenderer {
    let plot: Plot
    var width = Layout.width
    var height = Layout.xyHeight
    var body: [String] = []
    var description: [String] = []

    // Okabe–Ito colours, distinguishable with the common colour-vision deficiencies.
    static let colors = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000", "#F0E442"]
    /// Dash patterns, one per series with the colours: no two of the first eight series share
    /// both colour and dash, and each is also labelled at its end.
    static let dashes = ["", "8 4", "2 3", "10 3 2 3", "4 2", "12 3 2 3 2 3", "1 4", "6 2 1 2"]

    /// Sizes and distances in pixels; text is 12 px.
    private enum Layout {
        /// Width of a plot (a sparkline sizes itself), and height of a line or scatter plot
        /// before its legend and notes.
        static let width = 640.0, xyHeight = 400.0
        /// Top of the plot area without and with a title, and the title's baseline.
        static let top = 20.0, topUnderTitle = 36.0, titleBaseline = 20.0
        /// About the width of a character, to size labels without measuring them.
        static let characterWidth = 7.0
        /// Left edge of text set flush left (notes, a heatmap's y label, a sparkline's title), and
        /// the height of a note.
        static let textLeft = 10.0, noteHeight = 15.0
        /// Gap between a label and the axis or edge it labels.
        static let labelGap = 6.0
        /// Moves a label's baseline down so that the text is centred on a line or row.
        static let centringShift = 4.0
        /// Baselines of tick labels and of the axis label, below an x axis.
        static let tickLabelBelow = 16.0, axisLabelBelow = 36.0
        /// A line or scatter plot's area: room left for y tick labels, right, and below for the
        /// x tick and axis labels; the legend's height under it.
        static let xyLeft = 70.0, xyRight = 20.0, xyBottom = 60.0, legendHeight = 20.0
        /// Direct labels right of a plot of several series: widest, and nearest two may be.
        static let maxDirectLabelWidth = 150.0, directLabelSpacing = 13.0
        /// Bars: height, gap between bars, widest category label, room right for the value.
        static let barHeight = 18.0, barGap = 6.0, maxBarLabelWidth = 220.0, barValueRoom = 70.0
        /// Heatmap: cell widths and row heights are kept within these, rows share this height,
        /// and labels are at least `minLabelSpacing` apart; the colour ramp's width.
        static let heatmapCells = 2.0...24.0, heatmapRows = 4.0...24.0, heatmapHeight = 480.0
        static let maxHeatmapLabelWidth = 200.0, minLabelSpacing = 10.0, rampWidth = 160.0
        /// Sparklines: the line's width and height, the gap between lines, room right for the range.
        static let sparkWidth = 200.0, sparkHeight = 20.0, sparkGap = 8.0, sparkRangeRoom = 200.0
    }

    init(plot: Plot) { self.plot = plot }

    private func escape(_ text: String) -> String { HTMLWriter.escape(text) }
    private func n(_ value: Double) -> String { svgNumber(value) }

    func document() -> String {
        let id = plotIdentifier(plot)
        let title = plot.title ?? "\(plot.kind.rawValue.capitalized) plot"
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"legend-plot\" viewBox=\"0 0 \(n(width)) \(n(height))\" "
        svg += "width=\"\(n(width))\" height=\"\(n(height))\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\" "
        svg += "font-family=\"system-ui, sans-serif\" font-size=\"12\">\n"
        svg += "<title id=\"\(id)-title\">\(escape(title))</title>\n"
        svg += "<desc id=\"\(id)-desc\">\(escape(description.joined(separator: " ")))</desc>\n"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
        svg += body.joined(separator: "\n") + "\n"
        return svg + "</svg>\n"
    }

    private mutating func text(_ content: String, x: Double, y: Double, anchor: String = "middle",
                               extra: String = "") {
        body.append("<text x=\"\(n(x))\" y=\"\(n(y))\" text-anchor=\"\(anchor)\"\(extra)>\(content)</text>")
    }

    /// A tick label: `10<tspan>−60</tspan>` for decades, the number format otherwise. Escaped.
    private func tickLabel(_ tick: Tick) -> String {
        if let decade = tick.decade {
            let exponent = decade < 0 ? "\u{2212}\(-decade)" : String(decade)
            return (tick.mantissa == 1 ? "" : "\(tick.mantissa)×") + "10<tspan dy=\"-0.5em\" font-size=\"0.75em\">\(exponent)</tspan>"
        }
        return escape(tick.label(.svg))
    }

    private func rangeText(_ axis: Axis) -> String {
        let low = axis.scale == .log10 ? pow(10, axis.lower) : axis.lower
        let high = axis.scale == .log10 ? pow(10, axis.upper) : axis.upper
        return "from \(NumberFormat.automatic.string(low)) to \(NumberFormat.automatic.string(high))"
            + (axis.scale == .log10 ? " on a log10 scale" : "")
    }

    /// Top of the plot area: lower when a title is above it.
    private var top: Double { plot.title == nil ? Layout.top : Layout.topUnderTitle }

    /// The height of `notes` set under a plot.
    private func notesHeight(_ notes: [String]) -> Double { Double(notes.count) * Layout.noteHeight }

    /// The notes, one per line from `top` down; they also end the description.
    private mutating func addNotes(_ notes: [String], top: Double) {
        var y = top
        for note in notes {
            text(escape(note), x: Layout.textLeft, y: y, anchor: "start", extra: " font-size=\"11\" fill=\"#555555\"")
            y += Layout.noteHeight
        }
        description.append(contentsOf: notes)
    }

    private mutating func titleAndNotes(notes: [String], top: Double) {
        if let title = plot.title {
            text(escape(title), x: width / 2, y: Layout.titleBaseline, extra: " font-size=\"14\" font-weight=\"bold\"")
        }
        addNotes(notes, top: top)
    }

    // MARK: Line and scatter

    mutating func xy() {
        var scaling = PlotScaling(plot)
        let scaled = plot.series.map { scaling.points($0) }
        let (xAxis, yAxis) = PlotAxes.xy(plot, scaling)
        let named = plot.series.count > 1 || plot.series.contains { !$0.name.isEmpty }
        let several = plot.series.count > 1
        let notes = scaling.notes(plot, noun: "point", plural: "points")
        let names = plot.series.enumerated().map { $1.name.isEmpty ? "series \($0 + 1)" : $1.name }
        // Each legend entry: a 24-px sample (or a marker), its name 30 px from the entry's start,
        // 20 px to the next; entries that would pass the right edge start a new row.
        var entries: [(x: Double, row: Int)] = []
        if named {
            var x = Layout.xyLeft, row = 0
            for name in names {
                let entryWidth = 30 + Double(name.displayWidth) * Layout.characterWidth
                if x > Layout.xyLeft && x + entryWidth > width - Layout.xyRight { x = Layout.xyLeft; row += 1 }
                entries.append((x, row))
                x += entryWidth + 20
            }
        }
        let legendHeight = named ? Layout.legendHeight * Double((entries.last?.row ?? 0) + 1) : 0
        height = Layout.xyHeight + legendHeight + notesHeight(notes)
        // Several series are labelled at their ends, right of the plot area: make room for the names.
        let labelRoom = several
            ? min(Layout.maxDirectLabelWidth, Double(names.map(\.displayWidth).max() ?? 0) * Layout.characterWidth + 2 * Layout.labelGap)
            : 0
        let left = Layout.xyLeft, right = width - Layout.xyRight - labelRoom, top = self.top, bottom = Layout.xyHeight - Layout.xyBottom
        func px(_ x: Double) -> Double { left + xAxis.fraction(x) * (right - left) }
        func py(_ y: Double) -> Double { bottom - yAxis.fraction(y) * (bottom - top) }

        body.append("<g class=\"grid\" stroke=\"#e5e5e5\" stroke-width=\"1\">")
        for tick in xAxis.ticks { body.append("<line x1=\"\(n(px(tick.position)))\" y1=\"\(n(top))\" x2=\"\(n(px(tick.position)))\" y2=\"\(n(bottom))\"/>") }
        for tick in yAxis.ticks { body.append("<line x1=\"\(n(left))\" y1=\"\(n(py(tick.position)))\" x2=\"\(n(right))\" y2=\"\(n(py(tick.position)))\"/>") }
        body.append("</g>")
        body.append("<rect class=\"frame\" x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(right - left))\" height=\"\(n(bottom - top))\" fill=\"none\" stroke=\"#333333\"/>")
        body.append("<g class=\"ticks\" fill=\"#333333\">")
        for tick in xAxis.ticks { text(tickLabel(tick), x: px(tick.position), y: bottom + Layout.tickLabelBelow) }
        for tick in yAxis.ticks {
            text(tickLabel(tick), x: left - Layout.labelGap, y: py(tick.position) + Layout.centringShift, anchor: "end")
        }
        body.append("</g>")
        if let xLabel = plot.xLabel { text(escape(xLabel), x: (left + right) / 2, y: bottom + Layout.axisLabelBelow) }
        if let yLabel = plot.yLabel {
            body.append("<text transform=\"translate(16 \(n((top + bottom) / 2))) rotate(-90)\" text-anchor=\"middle\">\(escape(yLabel))</text>")
        }
        if scaling.x.isEmpty {
            text("no drawable data", x: (left + right) / 2, y: (top + bottom) / 2, extra: " fill=\"#555555\"")
        }

        let columns = Int(right - left)
        var ends: [(index: Int, y: Double)] = []
        for (index, points) in scaled.enumerated() {
            let color = SVGRenderer.colors[index % SVGRenderer.colors.count]
            let drawn = points.count > columns * pointsKeptPerColumn
                ? reducedPerColumn(points, column: { Int(xAxis.fraction($0) * Double(columns)) }) : points
            let name = escape(plot.series[index].name)
            if plot.kind == .scatter {
                body.append("<g class=\"series\" fill=\"\(color)\"><title>\(name)</title>")
                // One marker per 2 × 2 pixels (markers are 6 wide): a million points in random
                // order would otherwise make a million elements that draw the same picture.
                var occupied = Set<Int>()
                var rightmost: (x: Double, y: Double)?
                for case let point? in points {
                    let (x, y) = (px(point.x), py(point.y))
                    if rightmost == nil || x >= rightmost!.x { rightmost = (x, y) }
                    guard occupied.insert(Int(x / 2) * 100_000 + Int(y / 2)).inserted else { continue }
                    body.append(marker(index, x: x, y: y))
                }
                body.append("</g>")
                if let rightmost { ends.append((index, rightmost.y)) }
            } else {
                var path = ""
                var penDown = false
                var last: Double?
                for (position, point) in drawn.enumerated() {
                    // A value that cannot be drawn lifts the pen: the line has a gap there.
                    guard let point else { penDown = false; continue }
                    last = py(point.y)
                    let isolated = !penDown && (position + 1 >= drawn.count || drawn[position + 1] == nil)
                    path += (penDown ? "L" : "M") + "\(n(px(point.x))) \(n(py(point.y)))"
                    // A lone point between breaks would be an invisible zero-length path: give it a dot.
                    if isolated { path += "h0.1" }
                    penDown = true
                }
                let dash = SVGRenderer.dashes[index % SVGRenderer.dashes.count]
                body.append("<path class=\"series\" d=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.8\" stroke-linejoin=\"round\" stroke-linecap=\"round\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")><title>\(name)</title></path>")
                if let last { ends.append((index, last)) }
            }
        }
        if several {
            // Each name right of the plot at the height where its series ends, moved apart just
            // enough that no two overlap, in the series' colour.
            let placed = SVGRenderer.spread(ends.map(\.y), spacing: Layout.directLabelSpacing, within: top...(bottom + Layout.directLabelSpacing))
            body.append("<g class=\"direct-labels\">")
            for ((index, _), y) in zip(ends, placed) {
                let color = SVGRenderer.colors[index % SVGRenderer.colors.count]
                text(escape(names[index]), x: right + Layout.labelGap, y: y + Layout.centringShift, anchor: "start",
                     extra: " fill=\"\(color)\"")
            }
            body.append("</g>")
        }
        if named {
            for (index, series) in plot.series.enumerated() {
                let x = entries[index].x, y = Layout.xyHeight - 12 + Layout.legendHeight * Double(entries[index].row)
                let color = SVGRenderer.colors[index % SVGRenderer.colors.count]
                if plot.kind == .scatter {
                    body.append("<g fill=\"\(color)\">" + marker(index, x: x + 8, y: y - 4) + "</g>")
                } else {
                    let dash = SVGRenderer.dashes[index % SVGRenderer.dashes.count]
                    body.append("<line x1=\"\(n(x))\" y1=\"\(n(y - 4))\" x2=\"\(n(x + 24))\" y2=\"\(n(y - 4))\" stroke=\"\(color)\" stroke-width=\"1.8\"\(dash.isEmpty ? "" : " stroke-dasharray=\"\(dash)\"")/>")
                }
                let name = series.name.isEmpty ? "series \(index + 1)" : series.name
                text(escape(name), x: x + 30, y: y, anchor: "start")
            }
        }
        let kind = plot.kind == .scatter ? "Scatter plot" : "Line plot"
        let seriesText = plot.series.enumerated().map { index, series in
            "\(series.name.isEmpty ? "series \(index + 1)" : series.name) (\(series.y.count) points)"
        }.joined(separator: ", ")
        description.append("\(kind) of \(plot.series.count) series: \(seriesText).")
        description.append("x axis\(plot.xLabel.map { " “\($0)”" } ?? "") \(rangeText(xAxis));"
            + " y axis\(plot.yLabel.map { " “\($0)”" } ?? "") \(rangeText(yAxis)).")
        titleAndNotes(notes: notes, top: Layout.xyHeight + legendHeight)
    }

    /// Marker shape per series: circle, square, triangle, diamond, plus, cross, triangle down,
    /// ring, then again (with the next colours).
    private func marker(_ index: Int, x: Double, y: Double) -> String {
        let color = SVGRenderer.colors[index % SVGRenderer.colors.count]
        switch index % 8 {
        case 0: return "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"3\"/>"
        case 1: return "<rect x=\"\(n(x - 3))\" y=\"\(n(y - 3))\" width=\"6\" height=\"6\"/>"
        case 2: return "<path d=\"M\(n(x)) \(n(y - 3.5))L\(n(x + 3.5)) \(n(y + 3))L\(n(x - 3.5)) \(n(y + 3))Z\"/>"
        case 3: return "<path d=\"M\(n(x)) \(n(y - 4))L\(n(x + 4)) \(n(y))L\(n(x)) \(n(y + 4))L\(n(x - 4)) \(n(y))Z\"/>"
        case 4: return "<path d=\"M\(n(x - 1.2)) \(n(y - 4))h2.4v2.8h2.8v2.4h-2.8v2.8h-2.4v-2.8h-2.8v-2.4h2.8Z\"/>"
        case 5: return "<path d=\"M\(n(x - 3.5)) \(n(y - 3.5))L\(n(x + 3.5)) \(n(y + 3.5))M\(n(x + 3.5)) \(n(y - 3.5))L\(n(x - 3.5)) \(n(y + 3.5))\" stroke=\"\(color)\" stroke-width=\"1.8\"/>"
        case 6: return "<path d=\"M\(n(x)) \(n(y + 3.5))L\(n(x + 3.5)) \(n(y - 3))L\(n(x - 3.5)) \(n(y - 3))Z\"/>"
        default: return "<circle cx=\"\(n(x))\" cy=\"\(n(y))\" r=\"3\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"1.5\"/>"
        }
    }

    /// Positions near `wanted`, in the same order, at least `spacing` apart and within `range`
    /// where there is room: direct labels that would overlap are moved apart, least first.
    static func spread(_ wanted: [Double], spacing: Double, within range: ClosedRange<Double>) -> [Double] {
        let order = wanted.indices.sorted { wanted[$0] < wanted[$1] }
        var placed = order.map { wanted[$0].clamped(to: range) }
        for _ in 0..<wanted.count + 1 {
            for i in placed.indices.dropFirst() where placed[i] - placed[i - 1] < spacing {
                // Push the pair apart around their middle.
                let middle = (placed[i] + placed[i - 1]) / 2
                placed[i - 1] = middle - spacing / 2
                placed[i] = middle + spacing / 2
            }
            for i in placed.indices.dropFirst() where placed[i] < placed[i - 1] + spacing { placed[i] = placed[i - 1] + spacing }
        }
        var result = wanted
        for (rank, index) in order.enumerated() { result[index] = placed[rank] }
        return result
    }

    // MARK: Bars and histograms

    mutating func bars() {
        let values = plot.series.first?.y ?? []
        let edges = plot.series.first?.x ?? []
        let labels: [String] = values.indices.map { index in
            if plot.kind == .histogram {
                guard index + 1 < edges.count else { return "" }
                let format = NumberFormat.significant(3)
                return "[\(format.string(edges[index])), \(format.string(edges[index + 1]))\(index + 2 == edges.count ? "]" : ")")"
            }
            return index < plot.labels.count ? plot.labels[index] : String(index)
        }
        var scaling = PlotScaling(plot)
        let scaled = scaling.values(values)
        let axis = PlotAxes.values(plot, scaling)
        let labelWidth = min(Layout.maxBarLabelWidth, 20 + Layout.characterWidth * Double(labels.map(\.displayWidth).max() ?? 0))
        let left = labelWidth, right = width - Layout.barValueRoom, top = self.top
        let barHeight = Layout.barHeight, gap = Layout.barGap
        let bottom = top + Double(max(1, values.count)) * (barHeight + gap)
        let notes = scaling.notes(plot, noun: "bar", plural: "bars")
        height = bottom + 50 + notesHeight(notes)
        func px(_ v: Double) -> Double { left + axis.fraction(v) * (right - left) }
        let origin = plot.yScale == .log10 ? left : px(0)
        // The values are read as a column: one precision for all of them, as in a table.
        let valueFormat = NumberFormat.automatic.forColumn(values)
        body.append("<g class=\"grid\" stroke=\"#e5e5e5\">")
        for tick in axis.ticks { body.append("<line x1=\"\(n(px(tick.position)))\" y1=\"\(n(top))\" x2=\"\(n(px(tick.position)))\" y2=\"\(n(bottom))\"/>") }
        body.append("</g>")
        for (index, value) in scaled.enumerated() {
            let y = top + Double(index) * (barHeight + gap) + gap / 2
            let baseline = y + 13   // text centred on the bar
            text(escape(labels[index]), x: left - Layout.labelGap, y: baseline, anchor: "end")
            let valueText = escape(valueFormat.string(values[index]))
            guard let value else {
                text(valueText, x: origin + 4, y: baseline, anchor: "start", extra: " fill=\"#555555\"")
                continue
            }
            let end = px(value)
            let x = min(origin, end), w = abs(end - origin)
            body.append("<rect x=\"\(n(x))\" y=\"\(n(y))\" width=\"\(n(w))\" height=\"\(n(barHeight))\" fill=\"\(SVGRenderer.colors[0])\"><title>\(escape(labels[index])): \(valueText)</title></rect>")
            text(valueText, x: max(origin, end) + 4, y: baseline, anchor: "start")
        }
        body.append("<line x1=\"\(n(left))\" y1=\"\(n(bottom))\" x2=\"\(n(right))\" y2=\"\(n(bottom))\" stroke=\"#333333\"/>")
        for tick in axis.ticks { text(tickLabel(tick), x: px(tick.position), y: bottom + Layout.tickLabelBelow) }
        let valueLabel = plot.kind == .histogram ? plot.yLabel : plot.xLabel
        if let valueLabel { text(escape(valueLabel), x: (left + right) / 2, y: bottom + Layout.axisLabelBelow) }
        if plot.kind == .histogram {
            let total = values.reduce(0, +)
            description.append("Histogram of \(NumberFormat.automatic.string(total)) values\(plot.xLabel.map { " of “\($0)”" } ?? "") in \(values.count) bins\(plot.xScale == .log10 ? " of equal width in log10" : ""); counts \(rangeText(axis)).")
        } else {
            description.append("Bar chart of \(values.count) bars: " + zip(labels, values).map { "\($0) \(NumberFormat.automatic.string($1))" }.joined(separator: ", ") + ".")
        }
        titleAndNotes(notes: notes, top: bottom + 56)
    }

    // MARK: Heatmap

    /// A sequential ramp from pale yellow through teal to deep blue (light = low).
    static func rampColor(_ f: Double) -> String {
        color(f, between: [(255, 247, 188), (65, 182, 196), (8, 29, 88)])
    }

    /// A diverging ramp, 0…1: blue below the middle, near-white at it, red above.
    static func divergingColor(_ f: Double) -> String {
        color(f, between: [(33, 102, 172), (146, 197, 222), (247, 247, 247), (244, 165, 130), (178, 24, 43)])
    }

    /// The colour at `f` (0…1) of a ramp through evenly spaced RGB anchors, as `#RRGGBB`.
    private static func color(_ f: Double, between anchors: [(Double, Double, Double)]) -> String {
        let t = min(max(f, 0), 1) * Double(anchors.count - 1)
        let i = min(Int(t), anchors.count - 2)
        let u = t - Double(i)
        let (a, b) = (anchors[i], anchors[i + 1])
        func channel(_ x: Double, _ y: Double) -> String {
            let value = Int((x + (y - x) * u).rounded())
            let hex = String(value, radix: 16, uppercase: true)
            return hex.count == 1 ? "0" + hex : hex
        }
        return "#" + channel(a.0, b.0) + channel(a.1, b.1) + channel(a.2, b.2)
    }

    mutating func heatmap() {
        let rows = plot.matrix.count
        let columns = plot.matrix.map(\.count).max() ?? 0
        var scaling = PlotScaling(plot)
        let scaled = plot.matrix.map { scaling.values($0) }
        let shades = ShadeScale(plot, scaled: scaled)
        let labelWidth = min(Layout.maxHeatmapLabelWidth, 20 + Layout.characterWidth * Double(plot.labels.map(\.displayWidth).max() ?? 0))
        let left = labelWidth, top = self.top
        // A per-row scale prints each row's range at its right.
        let rowRanges = shades.perRow ? shades.axes.map { $0.map { ShadeScale.rangeText($0, .svg, separator: " … ") } ?? "" } : []
        let rangeRoom = shades.perRow ? 20 + Layout.characterWidth * Double(rowRanges.map(\.displayWidth).max() ?? 0) : 0
        let cell = ((width - left - 20 - rangeRoom) / Double(max(1, columns))).clamped(to: Layout.heatmapCells)
        let rowHeight = (Layout.heatmapHeight / Double(max(1, rows))).clamped(to: Layout.heatmapRows)
        let bottom = top + Double(rows) * rowHeight
        let notes = scaling.notes(plot, noun: "cell", plural: "cells")
        height = bottom + 90 + notesHeight(notes)
        let labelEvery = rowHeight >= Layout.minLabelSpacing ? 1 : Int((Layout.minLabelSpacing / rowHeight).rounded(.up))
        for (r, row) in scaled.enumerated() {
            // One <path> per run of equal colour keeps a 100 × 1000 heatmap to a sensible size.
            var runs: [String: String] = [:]
            var order: [String] = []
            for (c, s) in row.enumerated() {
                guard let s, let f = shades.fraction(s, row: r) else { continue }
                let color = shades.diverging ? SVGRenderer.divergingColor(f) : SVGRenderer.rampColor(f)
                if runs[color] == nil { order.append(color); runs[color] = "" }
                runs[color]! += "M\(n(left + Double(c) * cell)) \(n(top + Double(r) * rowHeight))h\(n(cell))v\(n(rowHeight))h\(n(-cell))Z"
            }
            for color in order { body.append("<path fill=\"\(color)\" shape-rendering=\"crispEdges\" d=\"\(runs[color]!)\"/>") }
            if r % labelEvery == 0 {
                let label = r < plot.labels.count ? plot.labels[r] : String(r)
                let baseline = top + (Double(r) + 0.5) * rowHeight + Layout.centringShift
                text(escape(label), x: left - Layout.labelGap, y: baseline, anchor: "end")
                if shades.perRow {
                    text(escape(rowRanges[r]), x: left + Double(columns) * cell + Layout.labelGap, y: baseline,
                         anchor: "start", extra: " fill=\"#555555\"")
                }
            }
        }
        body.append("<rect x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(Double(columns) * cell))\" height=\"\(n(bottom - top))\" fill=\"none\" stroke=\"#333333\"/>")
        let columnLabels = (0..<columns).map { $0 < plot.columnLabels.count ? plot.columnLabels[$0] : String($0) }
        if let ticks = NumericLabelTicks.ticks(columnLabels, target: PlotAxes.horizontalTicks(plot)) {
            // Numbers: ticks at round values, where they fall among the columns.
            for tick in ticks {
                let x = left + (tick.position + 0.5) * cell
                body.append("<line x1=\"\(n(x))\" y1=\"\(n(bottom))\" x2=\"\(n(x))\" y2=\"\(n(bottom + 4))\" stroke=\"#333333\"/>")
                text(escape(tick.label), x: x, y: bottom + Layout.tickLabelBelow)
            }
        } else {
            var lastEnd = -Double.infinity
            for c in 0..<columns {
                let label = columnLabels[c]
                let x = left + (Double(c) + 0.5) * cell
                let half = Double(label.displayWidth) * (Layout.characterWidth / 2)
                if x - half < lastEnd + Layout.minLabelSpacing { continue }
                text(escape(label), x: x, y: bottom + Layout.tickLabelBelow)
                lastEnd = x + half
            }
        }
        if let xLabel = plot.xLabel { text(escape(xLabel), x: left + Double(columns) * cell / 2, y: bottom + 34) }
        if let yLabel = plot.yLabel { text(escape(yLabel), x: Layout.textLeft, y: top - Layout.labelGap, anchor: "start") }
        let logNote = plot.yScale == .log10 ? " on a log10 scale" : ""
        if !scaling.y.isEmpty {
            let y = bottom + 48
            let gradientID = plotIdentifier(plot) + "-ramp"
            body.append("<defs><linearGradient id=\"\(gradientID)\">"
                + (0...4).map { "<stop offset=\"\(Double($0) / 4)\" stop-color=\"\(shades.diverging ? SVGRenderer.divergingColor(Double($0) / 4) : SVGRenderer.rampColor(Double($0) / 4))\"/>" }.joined()
                + "</linearGradient></defs>")
            body.append("<rect x=\"\(n(left))\" y=\"\(n(y))\" width=\"\(n(Layout.rampWidth))\" height=\"10\" fill=\"url(#\(gradientID))\" stroke=\"#333333\"/>")
            if let axis = shades.perRow ? nil : shades.axes[0] {
                // The ramp is an axis: ticks at round values of the shared scale.
                for tick in axis.ticks {
                    let x = left + axis.fraction(tick.position) * Layout.rampWidth
                    body.append("<line x1=\"\(n(x))\" y1=\"\(n(y + 10))\" x2=\"\(n(x))\" y2=\"\(n(y + 14))\" stroke=\"#333333\"/>")
                    text(tickLabel(tick), x: x, y: y + 26)
                }
                let centre = plot.yScale == .log10 ? "1" : "0"
                text(shades.diverging ? "blue below \(centre), red above\(logNote); blank: not drawn" : "one scale for all rows\(logNote); blank: not drawn",
                     x: left + Layout.rampWidth + 16, y: y + 9, anchor: "start", extra: " fill=\"#555555\"")
                description.append("Heatmap of \(rows) rows × \(columns) columns\(plot.xLabel.map { " (columns: “\($0)”)" } ?? ""); "
                    + (shades.diverging ? "blue is below \(centre), white near it, red above" : "light is low, dark is high")
                    + "; one scale for all rows, \(rangeText(axis)).")
            } else {
                text("lowest", x: left, y: y + 24, anchor: "start")
                text("highest", x: left + Layout.rampWidth, y: y + 24, anchor: "end")
                text("each row on its own scale, its range at its right\(logNote); blank: not drawn",
                     x: left + Layout.rampWidth + 16, y: y + 9, anchor: "start", extra: " fill=\"#555555\"")
                description.append("Heatmap of \(rows) rows × \(columns) columns\(plot.xLabel.map { " (columns: “\($0)”)" } ?? ""); light is low, dark is high; each row shaded from its own lowest to its highest value\(logNote).")
            }
        } else {
            description.append("Heatmap of \(rows) rows × \(columns) columns with no drawable values.")
        }
        width = max(width, left + Double(columns) * cell + 20 + rangeRoom)
        titleAndNotes(notes: notes, top: bottom + 90)
    }

    // MARK: Sparkline

    mutating func sparkline() {
        var scaling = PlotScaling(plot)
        let scaled = plot.series.map { scaling.values($0.y) }
        let (low, high) = (scaling.y.low, scaling.y.high)
        let nameWidth = 10 + Layout.characterWidth * Double(plot.series.map(\.name.displayWidth).max() ?? 0)
        let lineWidth = Layout.sparkWidth, lineHeight = Layout.sparkHeight
        let top = plot.title == nil ? 6.0 : 30
        width = nameWidth + lineWidth + Layout.sparkRangeRoom
        let notes = scaling.notes(plot, noun: "value", plural: "values")
        height = top + Double(plot.series.count) * (lineHeight + Layout.sparkGap) + Layout.sparkGap + notesHeight(notes)
        var summaries: [String] = []
        for (index, values) in scaled.enumerated() {
            let y0 = top + Double(index) * (lineHeight + Layout.sparkGap)
            let series = plot.series[index]
            text(escape(series.name), x: nameWidth - 8, y: y0 + 14, anchor: "end")
            var path = ""
            var penDown = false
            let step = lineWidth / Double(max(1, values.count - 1))
            var points: [(x: Double, y: Double)?] = []
            for (position, value) in values.enumerated() { points.append(value.map { (Double(position), $0) }) }
            let drawn = points.count > Int(lineWidth) * pointsKeptPerColumn ? reducedPerColumn(points, column: { Int($0 * step) }) : points
            for point in drawn {
                guard let point else { penDown = false; continue }
                let f = high > low ? (point.y - low) / (high - low) : 0.5
                path += (penDown ? "L" : "M") + "\(n(nameWidth + point.x * step)) \(n(y0 + lineHeight - f * lineHeight))"
                penDown = true
            }
            body.append("<path d=\"\(path)\" fill=\"none\" stroke=\"\(SVGRenderer.colors[index % SVGRenderer.colors.count])\" stroke-width=\"1.5\"/>")
            let finite = Axis.drawable(series.y, plot.yScale)
            let range = finite.isEmpty ? "no drawable data"
                : "\(NumberFormat.automatic.string(finite.min()!)) … \(NumberFormat.automatic.string(finite.max()!))"
            text(escape(range), x: nameWidth + lineWidth + 10, y: y0 + 14, anchor: "start", extra: " fill=\"#555555\"")
            summaries.append("\(series.name.isEmpty ? "series \(index + 1)" : series.name): \(series.y.count) values, \(range)")
        }
        description.append("Sparklines: " + summaries.joined(separator: "; ") + ".")
        if let title = plot.title { text(escape(title), x: Layout.textLeft, y: 18, anchor: "start", extra: " font-weight=\"bold\"") }
        addNotes(notes, top: height - notesHeight(notes) + 4)
    }
}
