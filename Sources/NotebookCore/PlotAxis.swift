import Foundation

/// Why a value could not be placed on an axis.
enum Undrawable: Int, CaseIterable, Comparable {
    case nan, infinite, zeroOnLog, negativeOnLog

    static func < (a: Undrawable, b: Undrawable) -> Bool { a.rawValue < b.rawValue }

    func phrase(_ count: Int) -> String {
        switch self {
        case .nan: return "\(count) NaN"
        case .infinite: return "\(count) ±Inf"
        case .zeroOnLog: return "\(count) zero"
        case .negativeOnLog: return "\(count) negative"
        }
    }
}

/// Tallies values that were not drawn, to say so under the plot.
struct UndrawnTally {
    private(set) var counts: [Undrawable: Int] = [:]
    var total: Int { counts.values.reduce(0, +) }

    mutating func add(_ reason: Undrawable) { counts[reason, default: 0] += 1 }

    /// "3 points not drawn: 2 NaN, 1 zero (log10 axis)." — reasons in a fixed order.
    func note(noun: String, plural: String) -> String? {
        guard total > 0 else { return nil }
        let parts = Undrawable.allCases.compactMap { reason in counts[reason].map { reason.phrase($0) } }
        let logs = counts[.zeroOnLog] != nil || counts[.negativeOnLog] != nil
        return "\(total) \(total == 1 ? noun : plural) not drawn: \(parts.joined(separator: ", "))"
            + (logs ? " (a log10 axis shows only values > 0)." : ".")
    }
}

extension Comparable {
    /// The value, or the nearer end of `range` when it lies outside.
    func clamped(to range: ClosedRange<Self>) -> Self { min(max(self, range.lowerBound), range.upperBound) }
}

/// The lowest and highest of the values seen.
struct Extent {
    private(set) var low = Double.infinity, high = -Double.infinity
    var isEmpty: Bool { low > high }

    mutating func include(_ value: Double) { low = min(low, value); high = max(high, value) }
}

/// Puts a plot's values on its scales for drawing: each value is scaled, or nil where it cannot
/// be drawn (NaN, ±Inf, ≤ 0 on a log axis) and counted for the note under the plot; the drawable
/// ones make up the range of each axis.
struct PlotScaling {
    private let xScale: Plot.Scale, yScale: Plot.Scale
    private var tally = UndrawnTally()
    /// What the values span, in scaled units. `y`: drawable values only. `x`: every point whose
    /// x can be drawn, even where its y cannot — the axis spans the data given, and a gap shows
    /// where a value is missing rather than the axis stopping short.
    private(set) var x = Extent(), y = Extent()

    init(_ plot: Plot) { (xScale, yScale) = (plot.xScale, plot.yScale) }

    /// Values on the y scale: bar lengths, heatmap cells, sparklines.
    mutating func values(_ values: [Double]) -> [Double?] {
        values.map { value in
            switch Axis.scaled(value, yScale) {
            case .success(let scaled): y.include(scaled); return scaled
            case .failure(let error): tally.add(error.reason); return nil
            }
        }
    }

    /// A series' points on both scales; a point with a coordinate that cannot be drawn is nil and
    /// counted once (for the y value's reason when both fail).
    mutating func points(_ series: Plot.Series) -> [(x: Double, y: Double)?] {
        (0..<min(series.x.count, series.y.count)).map { index in
            switch (Axis.scaled(series.x[index], xScale), Axis.scaled(series.y[index], yScale)) {
            case (.success(let sx), .success(let sy)):
                x.include(sx); y.include(sy)
                return (sx, sy)
            case (.success(let sx), .failure(let error)):
                x.include(sx)
                tally.add(error.reason)
                return nil
            case (.failure(let error), _):
                tally.add(error.reason)
                return nil
            }
        }
    }

    /// "3 points not drawn: …" when some were not, then the plot's own notes.
    func notes(_ plot: Plot, noun: String, plural: String) -> [String] {
        (tally.note(noun: noun, plural: plural).map { [$0] } ?? []) + plot.notes
    }
}

/// The axes of a plot, decided once from the plot and its data so that every writer — braille,
/// ASCII, SVG — draws the same ranges with the same ticks. The number of ticks aimed at depends
/// on the plot's requested size in character cells, never on the writer.
enum PlotAxes {
    /// Ticks aimed at along a horizontal axis: one per 11 columns of a requested width, else 6.
    static func horizontalTicks(_ plot: Plot) -> Int {
        plot.width.map { ($0 / 11).clamped(to: 2...12) } ?? 6
    }

    /// Ticks aimed at along a vertical axis: a log axis' decade labels are short, so it carries more.
    static func verticalTicks(_ plot: Plot, scale: Plot.Scale) -> Int {
        let rowsPerTick = scale == .log10 ? 2 : 3
        return plot.height.map { ($0 / rowsPerTick).clamped(to: 2...12) } ?? (scale == .log10 ? 7 : 5)
    }

    /// The x and y axes of a line or scatter plot.
    static func xy(_ plot: Plot, _ scaling: PlotScaling) -> (x: Axis, y: Axis) {
        (Axis(scale: plot.xScale, covering: scaling.x, tickCount: horizontalTicks(plot)),
         Axis(scale: plot.yScale, covering: scaling.y, tickCount: verticalTicks(plot, scale: plot.yScale)))
    }

    /// The value axis of a bar plot or histogram (drawn horizontally, from zero on a linear scale).
    static func values(_ plot: Plot, _ scaling: PlotScaling) -> Axis {
        Axis(scale: plot.yScale, covering: scaling.y, tickCount: min(5, horizontalTicks(plot)), includeZero: true)
    }
}

/// A tick on an axis: where it is (in scaled units) and what it says.
struct Tick: Equatable {
    var position: Double
    /// For a log10 axis at 1, 2 or 5 × a power of ten, that power (so writers can print 10⁻⁶⁰,
    /// 2×10⁻⁶⁰ or 1e-60), and the 1, 2 or 5.
    var decade: Int?
    var mantissa: Int = 1
    var value: Double
    /// How a tick without a decade prints its value: every tick of an axis shares it, so the
    /// labels read 0.0 0.5 1.0, not 0 0.5 1.
    var format: NumberFormat = .automatic

    func label(_ style: LabelStyle) -> String {
        if let decade {
            switch style {
            case .unicode: return (mantissa == 1 ? "" : "\(mantissa)×") + "10" + superscript(decade)
            case .ascii, .svg: return "\(mantissa)e\(decade)"
            }
        }
        return format.string(value)
    }

    private func superscript(_ number: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return (number < 0 ? "⁻" : "") + String(abs(number)).map { digits[Int(String($0))!] }
    }
}

enum LabelStyle { case unicode, ascii, svg }

/// A step of 1, 2 or 5 × 10ⁿ for ticks over `low...high`: the one whose ticks, rounded out to
/// cover the range, waste least of it and come nearest `target` in number (a simpler step wins
/// a tie). `nil` when the range is empty or not finite.
struct NiceStep: Equatable {
    /// The step is `multiple` × 10^`exponent`.
    let multiple: Double, exponent: Int
    /// The first and last tick, in steps: ticks are `first…last` × step.
    let first: Double, last: Double

    var step: Double { multiple * pow(10, Double(exponent)) }

    /// The value of tick `k` (in steps), computed so that 0.1 × 3 prints as 0.3.
    func value(_ k: Double) -> Double {
        exponent < 0 ? k * multiple / pow(10, Double(-exponent)) : k * multiple * pow(10, Double(exponent))
    }

    /// Decimals that show every tick exactly: 1 for a step of 0.5, 0 for 20.
    var decimals: Int { max(0, -exponent) }

    init?(low: Double, high: Double, target: Int) {
        let span = (high / 2 - low / 2) * 2
        guard span.isFinite, span > 0, low.isFinite, high.isFinite else { return nil }
        let goal = Double(max(1, target))
        let rough = log10(span / goal).rounded(.down)
        guard rough.isFinite else { return nil }
        var best: (score: Double, step: NiceStep)?
        for exponent in Int(rough) - 1...Int(rough) + 1 {
            for (multiple, simplicity) in [(1.0, 0.0), (2.0, 0.1), (5.0, 0.05)] {
                let step = multiple * pow(10, Double(exponent))
                let first = (low / step).rounded(.down), last = (high / step).rounded(.up)
                let intervals = last - first
                guard step > 0, intervals >= 1, intervals <= goal * 2 + 2, (first * step).isFinite, (last * step).isFinite
                else { continue }
                let waste = 1 - span / (intervals * step)
                let score = 2 * waste + abs(intervals - goal) / goal + simplicity
                if best == nil || score < best!.score - 1e-12 {
                    best = (score, NiceStep(multiple: multiple, exponent: exponent, first: first, last: last))
                }
            }
        }
        guard let best else { return nil }
        self = best.step
    }

    private init(multiple: Double, exponent: Int, first: Double, last: Double) {
        (self.multiple, self.exponent, self.first, self.last) = (multiple, exponent, first, last)
    }

    /// The format all ticks of this step share, so that they read 0.0 0.5 1.0: fixed point with
    /// the step's decimals, or scientific with the digits that tell ticks apart when they are
    /// below 1e-6 in step or from 1e6 on.
    var format: NumberFormat {
        let largest = max(abs(value(first)), abs(value(last)))
        if largest < 1e6 && decimals <= 6 { return .fixed(decimals) }
        let digits = Int(log10(largest).rounded(.down)) - exponent + 1
        return .scientific(min(17, max(1, digits)))
    }
}

/// One axis of a plot: the scale, the range shown (in scaled units: log10 of the value on a log
/// axis) and the ticks. Bounds are rounded out to ticks at 1, 2 or 5 × 10ⁿ (linear) or to whole
/// decades (log10), so the frame's edges are round numbers.
struct Axis {
    let scale: Plot.Scale
    let lower: Double
    let upper: Double
    let ticks: [Tick]

    /// The scaled value, or why it cannot be drawn.
    static func scaled(_ value: Double, _ scale: Plot.Scale) -> Result<Double, UndrawableError> {
        if value.isNaN { return .failure(.init(reason: .nan)) }
        if value.isInfinite { return .failure(.init(reason: .infinite)) }
        guard scale == .log10 else { return .success(value) }
        if value == 0 { return .failure(.init(reason: .zeroOnLog)) }
        if value < 0 { return .failure(.init(reason: .negativeOnLog)) }
        return .success(log10(value))
    }

    struct UndrawableError: Error { let reason: Undrawable }

    /// The values that can be drawn on `scale`, unscaled (for a range in the units of the data).
    static func drawable(_ values: [Double], _ scale: Plot.Scale) -> [Double] {
        values.filter { (try? scaled($0, scale).get()) != nil }
    }

    func scaled(_ value: Double) -> Double? { try? Axis.scaled(value, scale).get() }

    /// Where a scaled value falls, 0 at `lower` and 1 at `upper`. Halving first keeps the
    /// arithmetic finite for ranges near ±Double.greatestFiniteMagnitude.
    func fraction(_ scaled: Double) -> Double {
        let span = upper / 2 - lower / 2
        return span > 0 ? (scaled / 2 - lower / 2) / span : 0.5
    }

    /// The text of a bound (or any scaled value) in the units of the data.
    func valueText(_ scaled: Double, _ style: LabelStyle) -> String {
        guard scale == .log10 else {
            return ticks.first.map { $0.format }.map { $0.string(scaled) } ?? NumberFormat.automatic.string(scaled)
        }
        if scaled == scaled.rounded() { return Tick(position: scaled, decade: Int(scaled), value: pow(10, scaled)).label(style) }
        return NumberFormat.significant(3).string(pow(10, scaled))
    }

    /// An axis from exactly `low` to `high` (scaled units), not rounded out: a per-row shade
    /// scale, which runs from the row's lowest value to its highest.
    init(scale: Plot.Scale, exactly low: Double, _ high: Double) {
        self.scale = scale
        (lower, upper) = low < high ? (low, high) : (low - 0.5, high + 0.5)
        let format = NumberFormat.significant(3)
        ticks = [Tick(position: lower, value: lower, format: format), Tick(position: upper, value: upper, format: format)]
    }

    /// An axis covering `extent` (in scaled units); an empty one gives a unit axis.
    init(scale: Plot.Scale, covering extent: Extent, tickCount: Int, includeZero: Bool = false) {
        self.init(scale: scale, low: extent.isEmpty ? nil : extent.low, high: extent.isEmpty ? nil : extent.high,
                  tickCount: tickCount, includeZero: includeZero)
    }

    /// An axis covering the scaled values `low...high` with about `ticks` ticks; `nil` bounds
    /// (no drawable data) give a unit axis.
    init(scale: Plot.Scale, low: Double?, high: Double?, tickCount: Int, includeZero: Bool = false) {
        self.scale = scale
        let target = max(2, tickCount)
        var lo = low ?? 0, hi = high ?? 1
        if includeZero, scale == .linear { lo = min(lo, 0); hi = max(hi, 0) }
        if scale == .log10 {
            var a = lo.rounded(.down), b = hi.rounded(.up)
            if a == b { a -= 1; b += 1 }
            lower = a; upper = b
            ticks = Axis.logTicks(a, b, target: target)
            return
        }
        if lo == hi {
            // A constant series: centre it in a small range around its value.
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= pad; hi += pad
        }
        guard let nice = NiceStep(low: lo, high: hi, target: target) else {
            lower = lo; upper = hi
            ticks = [Tick(position: lo, value: lo), Tick(position: hi, value: hi)]
            return
        }
        lower = nice.value(nice.first); upper = nice.value(nice.last)
        let format = nice.format
        ticks = stride(from: nice.first, through: nice.last, by: 1).map { k in
            let value = nice.value(k)
            return Tick(position: value, value: abs(value) < nice.step * 1e-9 ? 0 : value, format: format)
        }
    }

    /// Ticks of a log axis from decade `a` to decade `b`: every 1, 2, 5, 10, 20, 50, … decades;
    /// within two decades, at 1, 2 and 5 × each power of ten as well.
    private static func logTicks(_ a: Double, _ b: Double, target: Int) -> [Tick] {
        if b - a <= 2 {
            var ticks: [Tick] = []
            for decade in Int(a)...Int(b) {
                for mantissa in [1, 2, 5] where Double(decade) + log10(Double(mantissa)) <= b + 1e-12 {
                    let position = Double(decade) + log10(Double(mantissa))
                    ticks.append(Tick(position: position, decade: decade, mantissa: mantissa,
                                      value: Double(mantissa) * pow(10, Double(decade))))
                }
            }
            return ticks
        }
        var step = 1.0
        var candidate = 1.0
        let multiples = [1.0, 2, 5]
        search: for power in 0...400 {
            for multiple in multiples {
                candidate = multiple * pow(10, Double(power))
                if (b - a) / candidate <= Double(target) { step = candidate; break search }
            }
        }
        var ticks: [Tick] = []
        var k = (a / step).rounded(.up)
        while k * step <= b {
            let decade = k * step
            ticks.append(Tick(position: decade, decade: Int(decade), value: pow(10, decade)))
            k += 1
        }
        return ticks
    }
}

/// Points a series keeps per column of the drawing once `reducedPerColumn` thins it; a series
/// longer than this many per column is thinned.
let pointsKeptPerColumn = 4

/// Consecutive points that land in the same column are replaced by at most four of them — the
/// first, the lowest, the highest and the last, in their original order — so a million-point
/// series draws the same picture from a few thousand points. Order is kept, so a curve that
/// doubles back is still drawn correctly.
func reducedPerColumn(_ points: [(x: Double, y: Double)?], column: (Double) -> Int) -> [(x: Double, y: Double)?] {
    var result: [(x: Double, y: Double)?] = []
    var group: [(x: Double, y: Double)] = []
    var groupColumn = Int.min
    func flush() {
        guard !group.isEmpty else { return }
        if group.count <= pointsKeptPerColumn {
            result.append(contentsOf: group.map { Optional($0) })
        } else {
            var lowest = 0, highest = 0
            for index in group.indices {
                if group[index].y < group[lowest].y { lowest = index }
                if group[index].y > group[highest].y { highest = index }
            }
            for index in Set([0, lowest, highest, group.count - 1]).sorted() { result.append(group[index]) }
        }
        group.removeAll(keepingCapacity: true)
    }
    for point in points {
        guard let point else {
            flush()
            if let last = result.last, last != nil { result.append(nil) }  // one break is enough
            continue
        }
        let c = column(point.x)
        if c != groupColumn { flush(); groupColumn = c }
        group.append(point)
    }
    flush()
    return result
}

/// Ticks along a heatmap's row or column labels when the labels are numbers evenly spaced
/// (bin starts −1.0, −0.9, …, steps 0, 10, 20, …): ticks at 1, 2 or 5 × 10ⁿ, placed where those
/// values fall between the cells, instead of every third label as it happens to come.
struct NumericLabelTicks {
    /// A tick: its position in cells (0 is the middle of the first cell) and its text.
    struct Placed: Equatable { var position: Double; var label: String }

    /// `nil` when the labels are not all numbers, fewer than three, or not evenly spaced.
    static func ticks(_ labels: [String], target: Int) -> [Placed]? {
        guard labels.count >= 3 else { return nil }
        let values = labels.compactMap { Double($0.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "−", with: "-")) }
        guard values.count == labels.count, values.allSatisfy(\.isFinite) else { return nil }
        let first = values[0], spacing = (values[values.count - 1] - values[0]) / Double(values.count - 1)
        guard spacing != 0, spacing.isFinite else { return nil }
        // Labels printed with fewer digits than their spacing (-8.55 as "-8.6") still count as even.
        for (index, value) in values.enumerated() where abs(value - (first + Double(index) * spacing)) > abs(spacing) * 0.25 {
            return nil
        }
        let low = min(first, values[values.count - 1]) - abs(spacing) / 2
        let high = max(first, values[values.count - 1]) + abs(spacing) / 2
        guard let nice = NiceStep(low: low, high: high, target: target) else { return nil }
        let format = nice.format
        return stride(from: nice.first, through: nice.last, by: 1).compactMap { k -> Placed? in
            let value = nice.value(k)
            guard value >= low - 1e-9 * abs(spacing), value <= high + 1e-9 * abs(spacing) else { return nil }
            return Placed(position: (value - first) / spacing, label: format.string(abs(value) < nice.step * 1e-9 ? 0 : value))
        }
    }
}

/// How heatmap cells map to shades: one range for every cell (rounded out to nice values, on
/// the plot's linear or log10 scale), or one per row. Shared by the text and SVG writers, so
/// both say the same range.
struct ShadeScale {
    /// The range of each row (one entry for a shared scale), as an axis in scaled units.
    let axes: [Axis?]
    let perRow: Bool
    /// One range symmetric about 0 (scaled units), its two halves shaded apart.
    let diverging: Bool

    init(_ plot: Plot, scaled: [[Double?]]) {
        let perRow = plot.shading == .perRow
        let diverging = plot.shading == .diverging
        self.perRow = perRow
        self.diverging = diverging
        func axis(_ values: [Double?]) -> Axis? {
            var extent = Extent()
            for case let value? in values { extent.include(value) }
            guard !extent.isEmpty else { return nil }
            if diverging {
                // Symmetric, so that 0 is the middle shade whatever the data's balance.
                let reach = max(abs(extent.low), abs(extent.high), 1e-300)
                extent.include(-reach)
                extent.include(reach)
            }
            // One scale for all rows is an axis with round ends; a row's own runs from its
            // lowest value to its highest, so every row uses every shade.
            return perRow ? Axis(scale: plot.yScale, exactly: extent.low, extent.high)
                : Axis(scale: plot.yScale, covering: extent, tickCount: 4)
        }
        axes = perRow ? scaled.map(axis) : [axis(scaled.flatMap { $0 })]
    }

    func axis(row: Int) -> Axis? { perRow ? (row < axes.count ? axes[row] : nil) : axes[0] }

    /// Where a scaled cell value falls in its row's range, 0…1.
    func fraction(_ value: Double, row: Int) -> Double? {
        axis(row: row).map { $0.fraction(value).clamped(to: 0...1) }
    }

    /// "0 … 400" or "10⁻⁵¹ … 10⁻⁴": a range as the legend and the row labels print it.
    static func rangeText(_ axis: Axis, _ style: LabelStyle, separator: String) -> String {
        axis.valueText(axis.lower, style) + separator + axis.valueText(axis.upper, style)
    }
}
