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
    /// What the drawable values span, in scaled units (`x`: points only).
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
            case (_, .failure(let error)), (.failure(let error), _):
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

/// A tick on an axis: where it is (in scaled units) and what it says.
struct Tick: Equatable {
    var position: Double
    /// For a log10 axis at a whole decade, the decade (so writers can print 10⁻⁶⁰ or 1e-60).
    var decade: Int?
    var value: Double

    func label(_ style: LabelStyle) -> String {
        if let decade {
            switch style {
            case .unicode: return "10" + superscript(decade)
            case .ascii, .svg: return "1e\(decade)"
            }
        }
        return NumberFormat.automatic.string(value)
    }

    private func superscript(_ number: Int) -> String {
        let digits: [Character] = ["⁰", "¹", "²", "³", "⁴", "⁵", "⁶", "⁷", "⁸", "⁹"]
        return (number < 0 ? "⁻" : "") + String(abs(number)).map { digits[Int(String($0))!] }
    }
}

enum LabelStyle { case unicode, ascii, svg }

/// One axis of a plot: the scale, the range shown (in scaled units: log10 of the value on a log
/// axis) and the ticks. Bounds are rounded out to ticks (linear) or whole decades (log10), so the
/// frame's edges are round numbers.
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
        var lo = low ?? 0, hi = high ?? (scale == .log10 ? 1 : 1)
        if includeZero, scale == .linear { lo = min(lo, 0); hi = max(hi, 0) }
        if scale == .log10 {
            var a = lo.rounded(.down), b = hi.rounded(.up)
            if a == b { a -= 1; b += 1 }
            var step = 1.0
            for candidate in [1.0, 2, 5, 10, 20, 25, 50, 100, 200, 500] where (b - a) / candidate <= Double(target) {
                step = candidate
                break
            }
            if (b - a) / step > Double(target) { step = ((b - a) / Double(target)).rounded(.up) }
            var ticks: [Tick] = []
            var k = (a / step).rounded(.up) * step
            while k <= b {
                ticks.append(Tick(position: k, decade: Int(k), value: pow(10, k)))
                k += step
            }
            lower = a; upper = b; self.ticks = ticks
            return
        }
        if lo == hi {
            // A constant series: centre it in a small range around its value.
            let pad = lo == 0 ? 1 : abs(lo) * 0.1
            lo -= pad; hi += pad
        }
        let span = hi / 2 - lo / 2  // half the span, finite even for extreme ranges
        let raw = span * 2 / Double(target)
        guard raw.isFinite, raw > 0 else {
            lower = lo; upper = hi
            ticks = [Tick(position: lo, value: lo), Tick(position: hi, value: hi)]
            return
        }
        let magnitude = pow(10, log10(raw).rounded(.down))
        let normalized = raw / magnitude
        let step = (normalized <= 1 ? 1 : normalized <= 2 ? 2 : normalized <= 5 ? 5 : 10) * magnitude
        let first = (lo / step).rounded(.down), last = (hi / step).rounded(.up)
        let a = first * step, b = last * step
        if a.isFinite, b.isFinite, a < b {
            lower = a; upper = b
            ticks = stride(from: first, through: last, by: 1).map { k in
                let value = k * step
                return Tick(position: value, value: abs(value) < step * 1e-9 ? 0 : value)
            }
        } else {
            lower = lo; upper = hi
            ticks = [Tick(position: lo, value: lo), Tick(position: hi, value: hi)]
        }
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
