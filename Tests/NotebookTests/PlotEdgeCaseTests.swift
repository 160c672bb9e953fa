import Foundation
import Testing
@testable import NotebookCore

/// Edge cases every plot kind must survive in every style: they must render, stay within their
/// frame and say what they could not draw.
enum EdgeCases {
    static let plots: [(name: String, plot: Plot)] = [
        ("empty", Plot.line([.init(name: "", x: [], y: [])], title: "Empty")),
        ("no-series", Plot.line([], title: "No series")),
        ("one-point", Plot.line([.init(name: "", x: [3], y: [7])], title: "One point")),
        ("constant", Plot.line([.init(name: "", x: [0, 1, 2, 3], y: [2, 2, 2, 2])], title: "Constant")),
        ("all-nan", Plot.line([.init(name: "", x: [0, 1, 2], y: [.nan, .nan, .nan])], title: "All NaN", yScale: .log10)),
        ("tiny", Plot.line([.init(name: "", x: [0, 1, 2], y: [1e-300, 2e-300, Double.leastNonzeroMagnitude])], title: "1e-300")),
        ("tiny-log", Plot.line([.init(name: "", x: [0, 1, 2], y: [1e-300, 2e-300, Double.leastNonzeroMagnitude])], title: "1e-300", yScale: .log10)),
        ("log-with-bad-values", Plot.line([.init(name: "norm", x: (0..<12).map(Double.init),
            y: [1e-60, 1e-50, 0, 1e-30, -1, 1e-10, .nan, 1, .infinity, 1e3, -.infinity, 1e2])],
            title: "Zero, negative, NaN and ±Inf on a log axis", yScale: .log10)),
        ("mismatched", Plot.line([.init(name: "a", x: [0, 1, 2, 3, 4], y: [1, 2, 3])], title: "Mismatched")),
        ("wide-labels", Plot.bar(labels: ["勾配ノルム", "🔥 loss", "ab"], values: [3, 1.5, 2], title: "幅の広い文字")),
        ("heatmap-ragged", Plot.heatmap([[1, 2, 3], [4], [.nan, 0, 6]], rowLabels: ["a", "b"], title: "Ragged", scale: .log10)),
        ("histogram-empty", Plot.histogram(values: [], title: "Empty histogram")),
        ("histogram-constant", Plot.histogram(values: [5, 5, 5], bins: 3, title: "Constant histogram")),
        ("bar-negative", Plot.bar(labels: ["up", "down", "missing"], values: [2, -1, .nan], title: "Signed bars")),
        ("sparkline-nan", Plot.sparkline([.init(name: "s", x: [], y: [1, 2, .nan, 4, 3, 0])], title: "Gaps", yScale: .log10)),
        ("heatmap-empty-rows", Plot.heatmap([[], []], title: "Rows without cells")),
        ("heatmap-none", Plot.heatmap([], title: "No matrix")),
        ("bar-none", Plot.bar(labels: [], values: [], title: "No bars")),
        ("sparkline-none", Plot.sparkline([], title: "No series")),
        ("histogram-zero-bins", Plot.histogram(values: [1, 2, 3], bins: 0, title: "Zero bins")),
        ("tiny-canvas", Plot.line([.init(name: "", x: [0, 1], y: [0, 1])], title: "Asked for 0 × -3", width: 0, height: -3)),
        ("extreme-range", Plot.line([.init(name: "", x: [0, 1], y: [-Double.greatestFiniteMagnitude, Double.greatestFiniteMagnitude])], title: "Extreme")),
    ]
}

@Test(arguments: EdgeCases.plots.map(\.name))
func edgeCaseRendersInEveryStyle(_ name: String) {
    let plot = EdgeCases.plots.first { $0.name == name }!.plot
    let braille = PlotText.render(plot, style: .braille)
    let ascii = PlotText.render(plot, style: .ascii)
    let svg = PlotSVG.render(plot)
    #expect(ascii.unicodeScalars.allSatisfy { $0.isASCII })
    #expect(!svg.contains("nan") && !svg.contains("inf"))
    // Every framed line of the canvas ends at the same column as the top of the frame.
    let lines = braille.split(separator: "\n")
    if let top = lines.first(where: { $0.contains("┌") }) {
        let frameEnd = top.displayWidth
        for line in lines where line.hasSuffix("│") { #expect(line.displayWidth == frameEnd, "\(line)") }
    }
    expectGolden(braille + "\n" + ascii, "edge-\(name).txt")
}

@Test func undrawnPointsAreCountedByReason() {
    let plot = EdgeCases.plots.first { $0.name == "log-with-bad-values" }!.plot
    // Notes wrap at 80 columns with an indented continuation; read them as one line.
    let text = PlotText.render(plot, style: .braille).replacingOccurrences(of: "\n  ", with: " ")
    #expect(text.contains("5 points not drawn: 1 NaN, 2 ±Inf, 1 zero, 1 negative (a log10 axis shows only values > 0)."))
    #expect(text.contains("10⁻⁶⁰"))
}

@Test func mismatchedLengthsAreNoted() {
    let plot = EdgeCases.plots.first { $0.name == "mismatched" }!.plot
    #expect(plot.series[0].x.count == 3)
    #expect(plot.notes == ["Series \"a\" has 5 x values and 3 y values; drew the first 3 pairs."])
    #expect(PlotText.render(plot, style: .ascii).contains("drew the first 3 pairs"))
}

@Test func logAxisShowsSixtyDecadesWithDecadeTicks() {
    let axis = Axis(scale: .log10, low: -60, high: 3, tickCount: 7)
    #expect(axis.lower == -60 && axis.upper == 3)
    #expect(axis.ticks.map(\.decade) == [-60, -50, -40, -30, -20, -10, 0])
    #expect(axis.ticks.map { $0.label(.ascii) } == ["1e-60", "1e-50", "1e-40", "1e-30", "1e-20", "1e-10", "1e0"])
    #expect(axis.ticks[0].label(.unicode) == "10⁻⁶⁰")
}

@Test func linearAxisRoundsOutToNiceTicks() {
    let axis = Axis(scale: .linear, low: 0.13, high: 2.37, tickCount: 5)
    #expect(axis.lower == 0 && axis.upper == 2.5)
    #expect(axis.ticks.map { $0.label(.ascii) } == ["0.0", "0.5", "1.0", "1.5", "2.0", "2.5"], "one precision for every tick")
}

@Test func aMillionPointsAreReducedAndStillShowTheirExtremes() {
    let count = 1_000_000
    var y = (0..<count).map { sin(Double($0) / 50_000) }
    y[500_123] = 40  // one spike must survive the reduction
    let plot = Plot.line([.init(name: "", x: (0..<count).map(Double.init), y: y)], title: "A million points")
    let text = PlotText.render(plot, style: .braille)
    expectGolden(text, "million-points.braille.txt")
    #expect(text.contains("40"), "the spike sets the top of the axis")
    let svg = PlotSVG.render(plot)
    #expect(svg.utf8.count < 200_000, "SVG of a reduced series stays small: \(svg.utf8.count) bytes")
}

@Test func reductionKeepsOrderFirstLastAndExtremes() {
    let points: [(x: Double, y: Double)?] = [(0, 5), (0.1, 1), (0.2, 9), (0.3, 4), (0.4, 3), nil, nil, (1, 2)]
    let reduced = reducedPerColumn(points) { Int($0) }
    #expect(reduced.count == 6)
    #expect(reduced.compactMap { $0?.y } == [5, 1, 9, 3, 2])
    #expect(reduced[4] == nil)
}

@Test func asciiStyleIsSevenBitForEveryKind() {
    for (_, plot) in PlotGallery.all + EdgeCases.plots {
        let text = PlotText.render(plot, style: .ascii)
        #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "\(plot.kind): \(text)")
    }
}

@Test func defaultTextPlotsFitEightyColumns() {
    for (name, plot) in PlotGallery.all + EdgeCases.plots {
        for style in [PlotText.Style.braille, .ascii] {
            let widest = PlotText.render(plot, style: style).split(separator: "\n").map(\.displayWidth).max() ?? 0
            #expect(widest <= 80, "\(name) is \(widest) columns wide")
        }
    }
}

@Test func brailleCanvasUsesBlankBrailleInside() {
    let plot = PlotGallery.all.first { $0.name == "line-gradient-norms" }!.plot
    let text = PlotText.render(plot, style: .braille)
    let canvasLines = text.split(separator: "\n").filter { $0.hasSuffix("│") }
    #expect(!canvasLines.isEmpty)
    for line in canvasLines {
        let inside = line.drop { $0 != "│" && $0 != "┤" }.dropFirst().dropLast()
        #expect(inside.allSatisfy { ("\u{2800}"..."\u{28FF}").contains($0) }, "\(line)")
    }
}

@Test func aMillionScatteredPointsMakeAFigureOfBoundedSize() {
    let count = 1_000_000
    // Points in no particular order, so reduction by column cannot help; one marker per pixel does.
    let x = (0..<count).map { (i: Int) -> Double in let t = sin(Double(i) * 12.9898) * 43758.5453; return t - t.rounded(.down) }
    let y = x.enumerated().map { (i: Int, v: Double) -> Double in v * v + 0.1 * sin(Double(i)) }
    let plot = Plot.scatter([.init(name: "", x: x, y: y)], title: "A million scattered points")
    let svg = PlotSVG.render(plot)
    #expect(svg.utf8.count < 2_500_000, "\(svg.utf8.count) bytes")
    let text = PlotText.render(plot, style: .braille)
    #expect(text.split(separator: "\n").count < 25)
}

@Test func fiftyLayerHeatmapKeepsOneRowPerLayer() {
    let matrix = (0..<51).map { (layer: Int) -> [Double] in (0..<20).map { (step: Int) -> Double in pow(10, -Double(50 - layer) - Double(step) / 20) } }
    let plot = Plot.heatmap(matrix, rowLabels: (0..<51).map { "\($0 * 2).weight" }, xLabel: "step", scale: .log10)
    let text = PlotText.render(plot, style: .braille)
    #expect(text.contains("100.weight"))
    #expect(!text.contains("Each character shows the mean"))
}
