import Foundation

/// Draws plots as text: braille (2 × 4 dots per cell, box-drawing frame, superscript decades) or
/// 7-bit ASCII (one marker per cell, `+-|` frame) for places where braille does not render.
///
/// ```swift
/// let plot = Plot.line([.init(name: "‖grad‖₂", x: layers, y: norms)], yScale: .log10)
/// print(PlotText.render(plot, style: .braille))
/// ```
public enum PlotText {
    public enum Style: Sendable { case braille, ascii }

    /// The plot as lines of text ending in a newline; the same plot gives the same text on every run.
    public static func render(_ plot: Plot, style: Style) -> String {
        let renderer = TextPlotRenderer(style: style)
        switch plot.kind {
        case .line, .scatter: return renderer.xy(plot)
        case .bar, .histogram: return renderer.bars(plot)
        case .heatmap: return renderer.heatmap(plot)
        case .sparkline: return renderer.sparkline(plot)
        }
    }

    /// Largest width of a text plot, frame and labels included, when the plot does not set one.
    public static let defaultTotalWidth = 80
    /// Canvas rows of a line or scatter plot when the plot does not set its height.
    public static let defaultRows = 15
}

/// How one series is told apart from the others without colour: a marker character that differs
/// in shape from every other series' (`*`, `+`, `o`, `x`, …, then letters). ASCII draws every
/// dot of the series with it; braille draws lines in dots and sets the marker along each line
/// and for each point. `#` is kept for a cell where series overlap.
struct SeriesStroke {
    static let markers: [Character] = ["*", "+", "o", "x", "@", "%", "&", "=", "~", "^", "$", "?"]
        + "ABCDEFGHIJKLMNOPQRSTUVWXYZ".map { $0 }
    static let overlap: Character = "#"

    let index: Int
    var marker: Character { SeriesStroke.markers[index % SeriesStroke.markers.count] }
}

struct TextPlotRenderer {
    let style: PlotText.Style

    /// Sizes in character cells.
    private enum Size {
        /// Widest label left of the frame; longer labels are cut.
        static let maxLabelWidth = 24
        /// A canvas width the plot asks for is kept within these.
        static let canvasWidths = 8...400
        /// A canvas width chosen to fit `PlotText.defaultTotalWidth` is kept within these.
        static let defaultCanvasWidths = 20...64
        /// Columns a default-width frame leaves free on its right, where the last x tick label
        /// may reach past it.
        static let rightMargin = 3
        /// Canvas rows of a line or scatter plot are kept within these.
        static let rows = 3...200
        /// Widest direct label of a series on the canvas; longer names are cut (the legend has them whole).
        static let maxDirectLabelWidth = 16
        /// Narrowest bar area, however wide the value labels are.
        static let minBarWidth = 4
        /// Heatmap rows drawn one per row of the matrix; a taller matrix has its rows averaged in
        /// groups. 64 keeps one row per layer for the book's 50-layer networks.
        static let maxHeatmapRows = 64
        /// Characters per heatmap cell when the matrix fits at that width.
        static let wideHeatmapCell = 2
        /// Widest series name in front of a sparkline.
        static let maxSparklineNameWidth = 20
        /// Sparkline width when the plot does not set one (at most), and the range it is kept in.
        static let defaultSparklineWidth = 60, sparklineWidths = 4...400
    }

    private var unicode: Bool { style == .braille }
    private var labelStyle: LabelStyle { unicode ? .unicode : .ascii }
    private var blankCell: Character { unicode ? "\u{2800}" : " " }

    /// Text as this style may print it: ASCII mode never lets a byte above 0x7F through.
    private func clean(_ text: String) -> String { unicode ? text : text.asciiOnly }

    // MARK: Frame

    struct XTick { var column: Int; var label: String }

    /// A body of `width`-column rows and what goes around it: title, axis labels, labels left of
    /// chosen rows, ticks under chosen columns, legend and notes.
    struct Frame {
        var title: String?, yLabel: String?, xLabel: String?
        var body: [String]
        var width: Int
        var leftLabels: [Int: String] = [:]
        /// Text right of chosen rows, outside the frame (a per-row heatmap's ranges).
        var rightLabels: [Int: String] = [:]
        /// Rows whose left edge carries a tick mark.
        var tickRows: Set<Int> = []
        var xTicks: [XTick] = []
        var legend: [String] = []
        var notes: [String] = []

        /// A frame with the plot's title and axis labels.
        init(_ plot: Plot, body: [String], width: Int) {
            (title, yLabel, xLabel) = (plot.title, plot.yLabel, plot.xLabel)
            (self.body, self.width) = (body, width)
        }
    }

    /// The frame drawn with its body, labels, ticks, legend and notes.
    private func framed(_ frame: Frame) -> String {
        let width = frame.width
        let labelWidth = min(Size.maxLabelWidth, frame.leftLabels.values.map(\.displayWidth).max() ?? 0)
        let gutter = labelWidth == 0 ? 0 : labelWidth + 1
        let inset = String(repeating: " ", count: gutter)
        let (topLeft, topRight, bottomLeft, bottomRight, horizontal, vertical, yTick, xTickMark) =
            unicode ? ("┌", "┐", "└", "┘", "─", "│", "┤", "┬") : ("+", "+", "+", "+", "-", "|", "+", "+")
        let frameWidth = width + 2
        var lines: [String] = []
        if let title = frame.title.map(clean), !title.isEmpty {
            // Centred over the frame; a title wider than a small frame starts at its left edge.
            let room = max(frameWidth, PlotText.defaultTotalWidth - gutter)
            lines.append(inset + title.truncated(toWidth: room, ascii: !unicode).centered(inWidth: frameWidth))
        }
        if let yLabel = frame.yLabel.map(clean), !yLabel.isEmpty { lines.append(yLabel) }
        lines.append(inset + topLeft + String(repeating: horizontal, count: width) + topRight)
        for (row, text) in frame.body.enumerated() {
            let label = frame.leftLabels[row].map { $0.truncated(toWidth: labelWidth, ascii: !unicode) } ?? ""
            let left = gutter == 0 ? "" : label.padded(toWidth: labelWidth, right: true) + " "
            let right = frame.rightLabels[row].map { " " + $0 } ?? ""
            lines.append(left + (frame.tickRows.contains(row) ? yTick : vertical) + text + vertical + right)
        }
        // Each label centred under its tick, left to right, skipping any that would touch the
        // one before: crowded ticks lose their label and their mark, labels never overlap.
        var bottom = Array(repeating: horizontal, count: width)
        var tickLine = ""
        for tick in frame.xTicks where tick.column >= 0 && tick.column < width {
            let label = clean(tick.label)
            let centre = gutter + 1 + tick.column
            let start = max(0, centre - label.displayWidth / 2)
            let used = tickLine.displayWidth
            if start < used + (used == 0 ? 0 : 1) { continue }
            tickLine += String(repeating: " ", count: start - used) + label
            bottom[tick.column] = xTickMark
        }
        lines.append(inset + bottomLeft + bottom.joined() + bottomRight)
        if !tickLine.isEmpty { lines.append(tickLine) }
        if let xLabel = frame.xLabel.map(clean), !xLabel.isEmpty {
            lines.append(inset + " " + xLabel.truncated(toWidth: width, ascii: !unicode).centered(inWidth: width))
        }
        if !frame.legend.isEmpty {
            lines.append(contentsOf: wrapped(frame.legend, indent: inset + " ", width: PlotText.defaultTotalWidth))
        }
        lines.append(contentsOf: frame.notes.flatMap { wrappedWords(clean($0), width: PlotText.defaultTotalWidth) })
        return lines.map(trimmedRight).joined(separator: "\n") + "\n"
    }

    /// A note broken between words so no line is wider than `width` columns.
    private func wrappedWords(_ text: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if !line.isEmpty && line.displayWidth + 1 + word.displayWidth > width {
                lines.append(line)
                line = "  "  // continuation lines are indented, so a wrapped note reads as one
            }
            line += (line.isEmpty || line == "  " ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// Items joined by three spaces, wrapped before `width` columns.
    private func wrapped(_ items: [String], indent: String, width: Int) -> [String] {
        var lines: [String] = []
        var line = indent
        for item in items {
            if line != indent && line.displayWidth + 3 + item.displayWidth > width {
                lines.append(line)
                line = indent
            }
            line += (line == indent ? "" : "   ") + item
        }
        if line != indent { lines.append(line) }
        return lines
    }

    private func trimmedRight(_ line: String) -> String {
        var line = line
        while line.last == " " { line.removeLast() }
        return line
    }

    /// A row of `width` columns reading `message` in the middle, for a canvas with nothing on it.
    private func messageRow(_ message: String, width: Int) -> String {
        let text = clean(message).truncated(toWidth: width, ascii: !unicode)
        let free = max(0, width - text.displayWidth)
        return String(repeating: blankCell, count: free / 2) + text + String(repeating: blankCell, count: free - free / 2)
    }

    /// The canvas width: the plot's, or what fits in `PlotText.defaultTotalWidth` beside a
    /// `gutter` of labels and the frame's two edges.
    private func canvasWidth(_ requested: Int?, gutter: Int) -> Int {
        if let requested { return requested.clamped(to: Size.canvasWidths) }
        return (PlotText.defaultTotalWidth - gutter - 2 - Size.rightMargin).clamped(to: Size.defaultCanvasWidths)
    }

    /// Tick labels of `axis` placed on the `cells` columns or rows that span it (`flip` for a
    /// vertical axis, whose first row is the top); at most one label per cell.
    private func placedTicks(_ axis: Axis, cells: Int, dots: Int, dotsPerCell: Int, flip: Bool) -> [(cell: Int, label: String)] {
        var placed: [(cell: Int, label: String)] = []
        for tick in axis.ticks {
            let f = axis.fraction(tick.position)
            guard f >= -1e-9, f <= 1 + 1e-9 else { continue }
            let dot = Int(((flip ? 1 - f : f) * Double(dots - 1)).rounded())
            let cell = min(cells - 1, max(0, dot / dotsPerCell))
            if placed.contains(where: { $0.cell == cell }) { continue }
            placed.append((cell, tick.label(labelStyle)))
        }
        return placed
    }

    // MARK: Line and scatter

    /// Characters set over the dots of a canvas — series markers and direct labels — by cell.
    struct Overlay {
        let columns: Int, rows: Int
        private(set) var characters: [Int: Character] = [:]
        /// Cells taken by the right half of a wide character.
        private(set) var continued: Set<Int> = []
        /// Cells of direct labels (markers may sit beside them, other labels may not).
        private(set) var labelCells: Set<Int> = []

        init(columns: Int, rows: Int) { (self.columns, self.rows) = (columns, rows) }

        func isFree(_ column: Int, _ row: Int) -> Bool {
            let index = row * columns + column
            return characters[index] == nil && !continued.contains(index)
        }

        mutating func set(_ column: Int, _ row: Int, _ character: Character) {
            characters[row * columns + column] = character
        }

        /// Writes `text` from (column, row) on; the caller has checked that it fits.
        mutating func write(_ text: String, column: Int, row: Int) {
            var c = column
            for character in text {
                characters[row * columns + c] = character
                labelCells.insert(row * columns + c)
                for extra in 1..<max(1, character.displayWidth) {
                    continued.insert(row * columns + c + extra)
                    labelCells.insert(row * columns + c + extra)
                }
                c += max(1, character.displayWidth)
            }
        }

        /// The row's text: overlaid characters over the canvas' cells.
        func line(_ row: Int, over canvas: DotCanvas) -> String {
            var text = ""
            for column in 0..<columns {
                let index = row * columns + column
                if continued.contains(index) { continue }
                text.append(characters[index] ?? canvas.character(column, row))
            }
            return text
        }
    }

    func xy(_ plot: Plot) -> String {
        var scaling = PlotScaling(plot)
        let scaledSeries = plot.series.map { scaling.points($0) }
        let rows = (plot.height ?? PlotText.defaultRows).clamped(to: Size.rows)
        let (xAxis, yAxis) = PlotAxes.xy(plot, scaling)
        let dotsPerRow = unicode ? 4 : 1, dotsPerColumn = unicode ? 2 : 1   // a braille cell is 2 × 4 dots
        let yTicks = placedTicks(yAxis, cells: rows, dots: rows * dotsPerRow, dotsPerCell: dotsPerRow, flip: true)
        let gutterGuess = (yTicks.map(\.label.displayWidth).max() ?? 0) + 1
        let width = canvasWidth(plot.width, gutter: gutterGuess)
        let several = plot.series.count > 1
        // Several series in braille: each is drawn on its own canvas first, so that its markers
        // and its label can be put where it is; ASCII draws each dot as the series' marker.
        let style: DotCanvas.Style = unicode ? .braille : .ascii
        var canvas = DotCanvas(style: style, columns: width, rows: rows)
        var overlay = Overlay(columns: width, rows: rows)
        var overlapped = false
        func dotX(_ x: Double) -> Int { Int((xAxis.fraction(x) * Double(canvas.dotColumns - 1)).rounded()) }
        func dotY(_ y: Double) -> Int { Int(((1 - yAxis.fraction(y)) * Double(canvas.dotRows - 1)).rounded()) }
        var layers: [DotCanvas] = []
        var ends: [(column: Int, row: Int)?] = []
        for (index, points) in scaledSeries.enumerated() {
            let stroke = SeriesStroke(index: index)
            var layer = DotCanvas(style: style, columns: width, rows: rows)
            let drawn = points.count > canvas.dotColumns * pointsKeptPerColumn ? reducedPerColumn(points, column: dotX) : points
            var end: (column: Int, row: Int)?
            if plot.kind == .scatter {
                for case let point? in drawn {
                    let (x, y) = (dotX(point.x), dotY(point.y))
                    if unicode && several {
                        // Points of several series are their markers, one per cell.
                        let (column, row) = (x / dotsPerColumn, y / dotsPerRow)
                        guard column >= 0, column < width, row >= 0, row < rows else { continue }
                        let previous = overlay.isFree(column, row) ? nil : overlay.characters[row * width + column]
                        if let previous, previous != stroke.marker { overlapped = true }
                        overlay.set(column, row, previous == nil || previous == stroke.marker ? stroke.marker : SeriesStroke.overlap)
                        layer.set(x, y)
                    } else {
                        layer.set(x, y, marker: stroke.marker)
                    }
                    if end == nil || x / dotsPerColumn >= end!.column { end = (x / dotsPerColumn, y / dotsPerRow) }
                }
            } else {
                var previous: (Int, Int)?
                for (position, point) in drawn.enumerated() {
                    // A value that cannot be drawn lifts the pen: the line has a gap there.
                    guard let point else { previous = nil; continue }
                    let current = (dotX(point.x), dotY(point.y))
                    if let previous {
                        layer.line(previous.0, previous.1, current.0, current.1, marker: stroke.marker)
                    } else {
                        let isolated = position + 1 >= drawn.count || drawn[position + 1] == nil
                        if isolated { layer.set(current.0, current.1, marker: stroke.marker) }
                    }
                    previous = current
                    end = (current.0 / dotsPerColumn, current.1 / dotsPerRow)
                }
            }
            if canvas.merge(layer) { overlapped = true }
            layers.append(layer)
            ends.append(end)
        }
        if several {
            if unicode && plot.kind == .line { placeMarkers(layers, &overlay) }
            for index in plot.series.indices {
                let name = clean(plot.series[index].name.isEmpty ? "series \(index + 1)" : plot.series[index].name)
                placeLabel(name.truncated(toWidth: Size.maxDirectLabelWidth, ascii: !unicode),
                           series: index, layers: layers, end: ends[index], canvas: canvas, overlay: &overlay)
            }
        }
        var body = (0..<rows).map { overlay.line($0, over: canvas) }
        if scaling.x.isEmpty { body[rows / 2] = messageRow("no drawable data", width: width) }

        var frame = Frame(plot, body: body, width: width)
        for tick in yTicks { frame.leftLabels[tick.cell] = tick.label }
        frame.tickRows = Set(frame.leftLabels.keys)
        frame.xTicks = placedTicks(xAxis, cells: width, dots: canvas.dotColumns, dotsPerCell: dotsPerColumn, flip: false)
            .map { XTick(column: $0.cell, label: $0.label) }
        frame.legend = legendItems(plot)
        if several && overlapped && (plot.kind == .scatter || !unicode) {
            frame.legend.append("\(SeriesStroke.overlap) several series")
        }
        frame.notes = scaling.notes(plot, noun: "point", plural: "points")
        return framed(frame)
    }

    /// Sets each series' marker along its braille line, every few columns, staggered so that the
    /// markers of different series do not fall on the same columns.
    private func placeMarkers(_ layers: [DotCanvas], _ overlay: inout Overlay) {
        let spacing = max(4, min(10, overlay.columns / 6))
        for (index, layer) in layers.enumerated() {
            let marker = SeriesStroke(index: index).marker
            var column = spacing / 2 + index * spacing / max(1, layers.count)
            while column < overlay.columns {
                let rows = (0..<overlay.rows).filter { !layer.isEmpty(column, $0) }
                if !rows.isEmpty {
                    let row = rows[rows.count / 2]
                    if overlay.isFree(column, row) { overlay.set(column, row, marker) }
                }
                column += spacing
            }
        }
    }

    /// Writes a series' name on the canvas beside it: at the end of its line (or its rightmost
    /// point) if there is room, else beside the point nearest that end. The label covers no dots
    /// and no other label, has its own series within two rows, and no other series' dots touch
    /// it — so it cannot be read as another line's name. One that fits nowhere is left to the legend.
    private func placeLabel(_ label: String, series: Int, layers: [DotCanvas], end: (column: Int, row: Int)?,
                            canvas: DotCanvas, overlay: inout Overlay) {
        let width = label.displayWidth
        let (columns, rows) = (overlay.columns, overlay.rows)
        guard width > 0, width + 1 <= columns else { return }
        let others = layers.indices.filter { $0 != series }.map { layers[$0] }
        func fits(_ column: Int, _ row: Int) -> Bool {
            guard row >= 0, row < rows, column >= 0, column + width <= columns else { return false }
            let around = max(0, column - 1)..<min(columns, column + width + 1)
            for c in around {
                if overlay.labelCells.contains(row * columns + c) { return false }
                let inside = c >= column && c < column + width
                if inside && (!overlay.isFree(c, row) || !canvas.isEmpty(c, row)) { return false }
            }
            for r in max(0, row - 1)...min(rows - 1, row + 1) {
                for c in around where others.contains(where: { !$0.isEmpty(c, r) }) { return false }
            }
            let near = max(0, row - 2)...min(rows - 1, row + 2)
            return near.contains { r in around.contains { !layers[series].isEmpty($0, r) } }
        }
        // Anchors: the end first, then the series' cells from right to left.
        var anchors: [(column: Int, row: Int)] = end.map { [$0] } ?? []
        let layer = layers[series]
        for column in stride(from: columns - 1, through: 0, by: -1) {
            let cells = (0..<rows).filter { !layer.isEmpty(column, $0) }
            if !cells.isEmpty { anchors.append((column, cells[cells.count / 2])) }
        }
        for anchor in anchors {
            for (dx, dy) in [(1, 0), (-width - 1, 0), (-width + 1, -1), (-width + 1, 1), (1, -1), (1, 1),
                             (-width / 2, -1), (-width / 2, 1), (-width + 1, -2), (-width + 1, 2)] {
                let (column, row) = (anchor.column + dx, anchor.row + dy)
                if fits(column, row) {
                    overlay.write(label, column: column, row: row)
                    return
                }
            }
        }
    }

    /// "⠒⠒*⠒⠒ train   ⠒⠒+⠒⠒ test": each series' name after a sample of how it is drawn — its
    /// marker on a short line, or the marker alone for points.
    private func legendItems(_ plot: Plot) -> [String] {
        let named = plot.series.count > 1 || plot.series.contains { !$0.name.isEmpty }
        guard named else { return [] }
        let several = plot.series.count > 1
        return plot.series.enumerated().map { index, series in
            let stroke = SeriesStroke(index: index)
            let name = clean(series.name.isEmpty ? "series \(index + 1)" : series.name)
            guard unicode else { return "\(stroke.marker) \(name)" }
            if plot.kind == .scatter { return several ? "\(stroke.marker) \(name)" : "⠂ \(name)" }
            return several ? "⠒⠒\(stroke.marker)⠒⠒ \(name)" : "⠒⠒⠒⠒ \(name)"
        }
    }

    // MARK: Bars and histograms

    func bars(_ plot: Plot) -> String {
        let values = plot.series.first?.y ?? []
        var labels: [String]
        if plot.kind == .histogram {
            let edges = plot.series.first?.x ?? []
            labels = values.indices.map { index in
                guard index + 1 < edges.count else { return "" }
                let format = NumberFormat.significant(3)
                let close = index + 2 == edges.count ? "]" : ")"
                return "[\(format.string(edges[index])), \(format.string(edges[index + 1]))\(close)"
            }
        } else {
            labels = values.indices.map { $0 < plot.labels.count ? plot.labels[$0] : String($0) }
        }
        labels = labels.map(clean)
        var scaling = PlotScaling(plot)
        let scaled = scaling.values(values)
        // The values are read as a column: one precision for all of them, as in a table.
        let valueFormat = NumberFormat.automatic.forColumn(values)
        let valueTexts = values.map { valueFormat.string($0) }
        let valueWidth = valueTexts.map(\.displayWidth).max() ?? 0
        let labelWidth = min(Size.maxLabelWidth, labels.map(\.displayWidth).max() ?? 0)
        let width = canvasWidth(plot.width, gutter: labelWidth + 1)
        let barWidth = max(Size.minBarWidth, width - valueWidth - 1)
        let axis = PlotAxes.values(plot, scaling)
        // A log bar grows from the axis' lowest decade; a linear bar from zero.
        let origin = plot.yScale == .log10 ? 0 : axis.fraction(0)
        let eighths: [Character] = ["▏", "▎", "▍", "▌", "▋", "▊", "▉", "█"]
        var body: [String] = []
        for (index, value) in scaled.enumerated() {
            var row = ""
            let zeroColumn = Int((origin * Double(barWidth)).rounded())
            if let value {
                let length = (axis.fraction(value) - origin) * Double(barWidth)
                if length >= 0 {
                    row += String(repeating: " ", count: zeroColumn)
                    if unicode {
                        let units = Int((length * 8).rounded())
                        row += String(repeating: "█", count: units / 8)
                        if units % 8 > 0 { row.append(eighths[units % 8 - 1]) }
                    } else {
                        row += String(repeating: "#", count: Int(length.rounded()))
                    }
                } else {
                    let cells = Int((-length).rounded())
                    row += String(repeating: " ", count: max(0, zeroColumn - cells))
                    row += String(repeating: unicode ? "█" : "#", count: cells)
                }
            } else {
                row += String(repeating: " ", count: zeroColumn)
            }
            row += " " + valueTexts[index]
            body.append(row.padded(toWidth: width))
        }
        if body.isEmpty { body = [messageRow("no data", width: width)] }

        var frame = Frame(plot, body: body, width: width)
        // The values run along the frame's bottom: a histogram's counts are its y, a bar plot's values its x.
        (frame.yLabel, frame.xLabel) = plot.kind == .histogram ? (plot.xLabel, plot.yLabel) : (plot.yLabel, plot.xLabel)
        for (index, label) in labels.enumerated() { frame.leftLabels[index] = label }
        frame.tickRows = Set(frame.leftLabels.keys)
        frame.xTicks = placedTicks(axis, cells: barWidth, dots: barWidth, dotsPerCell: 1, flip: false)
            .map { XTick(column: $0.cell, label: $0.label) }
        frame.notes = scaling.notes(plot, noun: "bar", plural: "bars")
        return framed(frame)
    }

    // MARK: Heatmap

    /// Shades from lowest to highest; a blank cell is a value that could not be drawn.
    private var shades: [Character] {
        unicode ? ["⡀", "⣀", "⣄", "⣤", "⣦", "⣶", "⣷", "⣿"] : [".", ":", "-", "=", "+", "*", "#", "@"]
    }

    /// A diverging scale's shades, lowest to highest: block shades below 0 (darkest lowest), a dot
    /// around 0, dots above it (densest highest) — two families, so a sign reads without a key.
    private var divergingShades: [Character] {
        unicode ? ["█", "▓", "▒", "░", "·", "⣀", "⣤", "⣶", "⣿"] : ["@", "%", "=", "-", ".", "'", "+", "*", "#"]
    }

    func heatmap(_ plot: Plot) -> String {
        let rows = plot.matrix.count
        let columns = plot.matrix.map(\.count).max() ?? 0
        var scaling = PlotScaling(plot)
        let scaled = plot.matrix.map { scaling.values($0) }
        let shades = ShadeScale(plot, scaled: scaled)
        // Each row of a per-row scale says its range at its right.
        let rowRanges: [String] = shades.perRow ? shades.axes.map { axis in
            axis.map { clean(ShadeScale.rangeText($0, labelStyle, separator: unicode ? "…" : "..")) } ?? ""
        } : []
        let rangeWidth = rowRanges.map(\.displayWidth).max() ?? 0
        let labelWidth = min(Size.maxLabelWidth, plot.labels.map { clean($0).displayWidth }.max() ?? 0)
        let available = max(Size.canvasWidths.lowerBound,
                            canvasWidth(plot.width, gutter: labelWidth + 1) - (rangeWidth > 0 ? rangeWidth + 1 : 0))
        // Several matrix cells share a character when the matrix is larger than the canvas;
        // the character shows their mean (in scaled units), and a note says so.
        let columnGroup = max(1, (columns + available - 1) / max(1, available))
        let rowGroup = max(1, (rows + Size.maxHeatmapRows - 1) / Size.maxHeatmapRows)
        let gridColumns = (columns + columnGroup - 1) / columnGroup
        let gridRows = (rows + rowGroup - 1) / rowGroup
        let cellWidth = gridColumns * Size.wideHeatmapCell <= available ? Size.wideHeatmapCell : 1
        var sums = [Double](repeating: 0, count: gridRows * gridColumns)
        var counts = [Int](repeating: 0, count: gridRows * gridColumns)
        for (r, row) in scaled.enumerated() {
            for (c, value) in row.enumerated() {
                // Per row, a grid row's cells are placed on the scale of the matrix row they come from.
                guard let value, let f = shades.perRow ? shades.fraction(value, row: r) : value as Double? else { continue }
                sums[(r / rowGroup) * gridColumns + c / columnGroup] += f
                counts[(r / rowGroup) * gridColumns + c / columnGroup] += 1
            }
        }
        let width = max(1, gridColumns * cellWidth)
        var body: [String] = []
        for gridRow in 0..<gridRows {
            var line = ""
            for gridColumn in 0..<gridColumns {
                let index = gridRow * gridColumns + gridColumn
                var character = blankCell
                if counts[index] > 0 {
                    let mean = sums[index] / Double(counts[index])
                    if let f = shades.perRow ? mean : shades.fraction(mean, row: 0) {
                        let ramp = shades.diverging ? divergingShades : self.shades
                        character = ramp[min(ramp.count - 1, max(0, Int(f * Double(ramp.count))))]
                    }
                }
                line += String(repeating: character, count: cellWidth)
            }
            body.append(line)
        }
        if body.isEmpty || columns == 0 { body = [messageRow("no data", width: max(width, Size.canvasWidths.lowerBound))] }

        var frame = Frame(plot, body: body, width: body.isEmpty ? width : body[0].displayWidth)
        for gridRow in 0..<gridRows where columns > 0 && gridRow * rowGroup < plot.labels.count {
            frame.leftLabels[gridRow] = clean(plot.labels[gridRow * rowGroup])
            if shades.perRow && rowGroup == 1 { frame.rightLabels[gridRow] = rowRanges[gridRow] }
        }
        let columnLabels = (0..<columns).map { $0 < plot.columnLabels.count ? plot.columnLabels[$0] : String($0) }
        if let ticks = NumericLabelTicks.ticks(columnLabels, target: PlotAxes.horizontalTicks(plot)) {
            // Numbers: ticks at round values, where they fall among the columns.
            for tick in ticks {
                let column = Int(((tick.position + 0.5) / Double(columnGroup) * Double(cellWidth)).rounded(.down))
                frame.xTicks.append(XTick(column: min(width - 1, max(0, column)), label: tick.label))
            }
        } else {
            for gridColumn in 0..<gridColumns {
                frame.xTicks.append(XTick(column: gridColumn * cellWidth + (cellWidth - 1) / 2,
                                          label: clean(columnLabels[gridColumn * columnGroup])))
            }
        }
        let shadeText = String(self.shades)
        if shades.perRow {
            frame.notes.append("shades \(shadeText) per row: each row from its own lowest to highest value, its range at the right"
                + (plot.yScale == .log10 ? " (log10 scale)" : "") + "; blank: not drawn")
        } else if shades.diverging, let axis = shades.axes[0] {
            let ramp = divergingShades, middle = ramp.count / 2
            frame.notes.append("shades \(String(ramp[..<middle])) below \(plot.yScale == .log10 ? "1" : "0") (darkest lowest), "
                + "\(ramp[middle]) around it, \(String(ramp[(middle + 1)...])) above (densest highest), on one scale from "
                + ShadeScale.rangeText(axis, labelStyle, separator: " to ")
                + (plot.yScale == .log10 ? " (log10 scale)" : "") + "; blank: not drawn")
        } else if let axis = shades.axes[0] {
            frame.notes.append("shades \(shadeText) on one scale for all rows, from "
                + ShadeScale.rangeText(axis, labelStyle, separator: " to ")
                + (plot.yScale == .log10 ? " (log10 scale)" : "") + "; blank: not drawn")
        }
        if columnGroup > 1 || rowGroup > 1 {
            frame.notes.append("Each character shows the mean of \(rowGroup) × \(columnGroup) cells (of \(rows) × \(columns)).")
        }
        frame.notes += scaling.notes(plot, noun: "cell", plural: "cells")
        return framed(frame)
    }

    private func pow10(_ x: Double) -> Double { pow(10, x) }

    // MARK: Sparkline

    func sparkline(_ plot: Plot) -> String {
        let levels: [Character] = unicode ? ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
                                          : ["_", ".", ":", "-", "=", "+", "*", "#"]
        let nameWidth = min(Size.maxSparklineNameWidth, plot.series.map { clean($0.name).displayWidth }.max() ?? 0)
        let ranges = plot.series.map { series -> String in
            let finite = Axis.drawable(series.y, plot.yScale)
            guard let low = finite.min(), let high = finite.max() else { return "no drawable data" }
            return clean("\(NumberFormat.automatic.string(low)) … \(NumberFormat.automatic.string(high))")
        }
        let rangeWidth = ranges.map(\.displayWidth).max() ?? 0
        // The default fits name, bars and range, two spaces apart, in 80 columns.
        let fitting = PlotText.defaultTotalWidth - (nameWidth > 0 ? nameWidth + 2 : 0) - 2 - rangeWidth
        let width = (plot.width ?? min(Size.defaultSparklineWidth, fitting)).clamped(to: Size.sparklineWidths)
        var scaling = PlotScaling(plot)
        let reduced = plot.series.map { series -> [Double?] in
            let scaled = scaling.values(series.y)
            // Longer than the line: each character is the mean of its share of the values.
            guard scaled.count > width else { return scaled }
            return (0..<width).map { bucket in
                let slice = scaled[(bucket * scaled.count / width)..<((bucket + 1) * scaled.count / width)].compactMap { $0 }
                return slice.isEmpty ? nil : slice.reduce(0, +) / Double(slice.count)
            }
        }
        let (low, high) = (scaling.y.low, scaling.y.high)
        var lines: [String] = []
        if let title = plot.title.map(clean), !title.isEmpty { lines.append(title) }
        for (index, (series, scaled)) in zip(plot.series, reduced).enumerated() {
            let spark = String(scaled.map { value -> Character in
                guard let value else { return " " }
                let f = high > low ? (value - low) / (high - low) : 0.5
                return levels[min(levels.count - 1, max(0, Int(f * Double(levels.count))))]
            })
            var line = nameWidth > 0 ? clean(series.name).truncated(toWidth: nameWidth, ascii: !unicode).padded(toWidth: nameWidth) + "  " : ""
            line += spark + "  " + ranges[index]
            lines.append(trimmedRight(line))
        }
        if plot.series.isEmpty { lines.append("(no data)") }
        lines += scaling.notes(plot, noun: "value", plural: "values").flatMap { wrappedWords(clean($0), width: PlotText.defaultTotalWidth) }
        return lines.joined(separator: "\n") + "\n"
    }
}
