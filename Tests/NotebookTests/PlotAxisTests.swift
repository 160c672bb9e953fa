import Foundation
import Testing
@testable import NotebookCore

/// Axes: ticks at 1, 2 or 5 × 10ⁿ, one precision per axis, the same in every writer, and ranges
/// over the data given.

@Test(arguments: [(0.0, 99.0), (-6, 6), (0.05, 2.4), (0.13, 2.37), (-1, 0.3), (1e-7, 3.3e-7), (-1234, 98765), (3, 3.0001)])
func linearTicksAreOneTwoOrFiveTimesAPowerOfTen(_ low: Double, _ high: Double) {
    for target in [3, 5, 6, 8] {
        let axis = Axis(scale: .linear, low: low, high: high, tickCount: target)
        #expect(axis.lower <= low && axis.upper >= high, "the axis covers the data")
        let steps = zip(axis.ticks.dropFirst(), axis.ticks).map { $0.value - $1.value }
        let step = steps[0]
        let mantissa = step / pow(10, log10(step).rounded(.down))
        #expect([1.0, 2, 5].contains { abs(mantissa - $0) < 1e-6 }, "step \(step) for \(low)…\(high)")
        #expect(steps.allSatisfy { abs($0 - step) < step * 1e-6 })
        for tick in axis.ticks {
            let q = tick.value / step
            #expect(abs(q - q.rounded()) < 1e-9 * max(1, abs(q)))
        }
        #expect(Set(axis.ticks.map { $0.label(.ascii) }).count == axis.ticks.count, "labels are distinct")
        let decimals = Set(axis.ticks.map { $0.label(.ascii).split(separator: ".").dropFirst().first?.count ?? 0 })
        #expect(decimals.count == 1, "one precision per axis: \(axis.ticks.map { $0.label(.ascii) })")
    }
}

@Test func aRangeOfMinusSixToSixIsNotWidenedToTen() {
    let axis = Axis(scale: .linear, low: -6, high: 6, tickCount: 6)
    #expect(axis.lower == -6 && axis.upper == 6)
    #expect(axis.ticks.map { $0.label(.ascii) } == ["-6", "-4", "-2", "0", "2", "4", "6"])
}

@Test func aNarrowLogAxisHasTicksAtOneTwoAndFive() {
    let axis = Axis(scale: .log10, low: log10(1.5e-3), high: log10(4e-2), tickCount: 7)
    #expect(axis.ticks.map { $0.label(.ascii) } == ["1e-3", "2e-3", "5e-3", "1e-2", "2e-2", "5e-2", "1e-1"])
    #expect(axis.ticks[1].label(.unicode) == "2×10⁻³")
}

/// Each writer's x tick labels, left to right: the text plot's line under the frame, the SVG's
/// labels below its x axis.
func textXTicks(_ text: String) -> [String] {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard let bottom = lines.lastIndex(where: { $0.contains("└") || ($0.contains("+-") && $0.hasSuffix("+")) }),
          bottom + 1 < lines.count else { return [] }
    return lines[bottom + 1].split(separator: " ").map(String.init)
}

func svgXTicks(_ svg: String) -> [String] {
    guard let group = svg.components(separatedBy: "<g class=\"ticks\"").dropFirst().first?.components(separatedBy: "</g>").first
    else { return [] }
    let bottom = group.components(separatedBy: "<text ").dropFirst().filter { $0.contains("text-anchor=\"middle\"") }
    return bottom.compactMap { $0.components(separatedBy: ">").dropFirst().first?.components(separatedBy: "<").first }
}

@Test(arguments: PlotGallery.all.filter { $0.plot.kind == .line || $0.plot.kind == .scatter }.map(\.name))
func textAndSVGShowTheSameXTicks(_ name: String) {
    let plot = PlotGallery.all.first { $0.name == name }!.plot
    let svg = svgXTicks(PlotSVG.render(plot))
    #expect(!svg.isEmpty)
    let axes = PlotAxes.xy(plot, { var s = PlotScaling(plot); for series in plot.series { _ = s.points(series) }; return s }())
    if plot.xScale == .linear {
        #expect(svg == axes.x.ticks.map { $0.label(.svg) })
    }
    for style in [PlotText.Style.braille, .ascii] {
        #expect(textXTicks(PlotText.render(plot, style: style)) == axes.x.ticks.map { $0.label(style == .braille ? .unicode : .ascii) })
    }
}

@Test func theDerivativesPlotsXAxisRunsOverItsData() {
    let plot = PlotGallery.all.first { $0.name == "line-four-series" }!.plot
    for style in [PlotText.Style.braille, .ascii] {
        #expect(textXTicks(PlotText.render(plot, style: style)) == ["-6", "-4", "-2", "0", "2", "4", "6"])
    }
    #expect(PlotSVG.render(plot).contains("x axis “x” from -6 to 6"))
}

@Test func theXAxisSpansPointsWhoseValuesCannotBeDrawn() {
    // The last drawable point is at x = 4; the data runs to x = 10.
    let plot = Plot.line([.init(name: "", x: (0...10).map(Double.init), y: [1, 2, 3, 4, 5] + Array(repeating: .nan, count: 6))])
    #expect(textXTicks(PlotText.render(plot, style: .ascii)).last == "10")
    #expect(PlotSVG.render(plot).contains("x axis from 0 to 10"))
}

@Test func aLineHasAGapWhereAValueCannotBeDrawn() {
    for (bad, scale) in [(Double.nan, Plot.Scale.linear), (.infinity, .linear), (-.infinity, .linear), (0, .log10), (-3, .log10)] {
        let plot = Plot.line([.init(name: "", x: [0, 1, 2, 3], y: [1, 2, bad, 4])], yScale: scale, width: 40)
        // ASCII: one cell per dot, so the columns strictly between x = 1 and x = 3 must be empty.
        let text = PlotText.render(plot, style: .ascii)
        let canvas = text.split(separator: "\n").filter { $0.hasSuffix("|") && !$0.contains("--") }
        let columns = canvas.map { line -> [Character] in Array(line.drop { $0 != "|" && $0 != "+" }.dropFirst().dropLast()) }
        let from = 40 / 3 + 1, to = 2 * 40 / 3 + 2
        for row in columns { #expect(row[from...to].allSatisfy { $0 == " " }, "\(bad): \(String(row))") }
        #expect(text.contains("1 point not drawn"))
        // SVG: two pieces of path, the second a lone point.
        let svg = PlotSVG.render(plot)
        let path = svg.components(separatedBy: "<path class=\"series\" d=\"").dropFirst().first?.prefix { $0 != "\"" } ?? ""
        #expect(path.filter { $0 == "M" }.count == 2, "\(bad): \(path)")
    }
}
