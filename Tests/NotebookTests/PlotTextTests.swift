import Foundation
import Testing
@testable import NotebookCore

@Test(arguments: PlotGallery.all.map(\.name))
func brailleGolden(_ name: String) {
    let plot = PlotGallery.all.first { $0.name == name }!.plot
    expectGolden(PlotText.render(plot, style: .braille), "\(name).braille.txt")
}

@Test(arguments: PlotGallery.all.map(\.name))
func asciiGolden(_ name: String) {
    let plot = PlotGallery.all.first { $0.name == name }!.plot
    let text = PlotText.render(plot, style: .ascii)
    #expect(text.unicodeScalars.allSatisfy { $0.isASCII }, "ASCII style must be 7-bit")
    expectGolden(text, "\(name).ascii.txt")
}

/// The canvas of a text plot: what lies between the left and right edges of the frame.
func canvasLines(_ text: String) -> [String] {
    let lines = text.split(separator: "\n").map(String.init)
    let isFrame = { (line: String) -> Bool in
        let edge = line.trimmingCharacters(in: .whitespaces)
        return edge.count > 2 && edge.allSatisfy { "+-┌┐└┘─┬".contains($0) }
    }
    guard let top = lines.firstIndex(where: isFrame), let bottom = lines.lastIndex(where: isFrame), top < bottom
    else { return [] }
    return lines[(top + 1)..<bottom].map { line in
        let characters = Array(line)
        let edges = characters.indices.filter { "│┤|+".contains(characters[$0]) }
        guard let left = edges.first, let right = edges.last, left < right else { return "" }
        return String(characters[(left + 1)..<right])
    }
}

@Test func noTwoSeriesShareAMark() {
    #expect(Set(SeriesStroke.markers).count == SeriesStroke.markers.count)
    #expect(!SeriesStroke.markers.contains(SeriesStroke.overlap))
    #expect(SeriesStroke.markers.allSatisfy { $0.isASCII && $0.displayWidth == 1 })
    let pairs = (0..<8).map { SVGRenderer.colors[$0 % SVGRenderer.colors.count] + "/" + SVGRenderer.dashes[$0 % SVGRenderer.dashes.count] }
    #expect(Set(pairs).count == 8, "colour and dash differ for each of eight series")
    #expect(Set(SVGRenderer.dashes).count == SVGRenderer.dashes.count)
}

@Test(arguments: [PlotText.Style.braille, .ascii])
func aLegendOfTwelveSeriesHasTwelveDifferentMarks(_ style: PlotText.Style) {
    let x = (0..<20).map(Double.init)
    let series = (0..<12).map { k in Plot.Series(name: "s\(k)", x: x, y: x.map { $0 * Double(k + 1) }) }
    let text = PlotText.render(Plot.line(series), style: style)
    let items = text.split(separator: "\n").filter { $0.contains(" s0") || $0.contains(" s11") || $0.contains(" s5") }
        .flatMap { $0.components(separatedBy: "   ") }.map { $0.trimmingCharacters(in: .whitespaces) }
    let marks = (0..<12).compactMap { k -> Character? in
        items.first { $0.hasSuffix(" s\(k)") }.flatMap { item in item.first { $0 != "⠒" } }
    }
    #expect(marks.count == 12 && Set(marks).count == 12, "\(marks)")
}

@Test(arguments: [PlotText.Style.braille, .ascii])
func severalSeriesAreLabelledOnTheCanvas(_ style: PlotText.Style) {
    for name in ["line-two-series", "line-four-series", "scatter"] {
        let plot = PlotGallery.all.first { $0.name == name }!.plot
        let canvas = canvasLines(PlotText.render(plot, style: style)).joined(separator: "\n")
        for series in plot.series {
            let label = style == .ascii ? series.name.asciiOnly : series.name
            #expect(canvas.contains(label), "\(name): \(series.name) is labelled beside its data")
        }
    }
}

@Test func brailleLinesOfSeveralSeriesCarryTheirMarkers() {
    let plot = PlotGallery.all.first { $0.name == "line-four-series" }!.plot
    let canvas = canvasLines(PlotText.render(plot, style: .braille)).joined()
    for index in plot.series.indices { #expect(canvas.contains(SeriesStroke(index: index).marker)) }
}

@Test func aSingleSeriesIsNeitherMarkedNorLabelledOnTheCanvas() {
    let plot = PlotGallery.all.first { $0.name == "line-gradient-norms" }!.plot
    let canvas = canvasLines(PlotText.render(plot, style: .braille)).joined()
    #expect(canvas.allSatisfy { ("\u{2800}"..."\u{28FF}").contains($0) })
}

@Test func heatmapLegendsSayWhichShadeScaleIsShown() {
    let perRow = PlotGallery.all.first { $0.name == "heatmap-per-row" }!.plot
    let shared = PlotGallery.all.first { $0.name == "heatmap-shared" }!.plot
    for style in [PlotText.Style.braille, .ascii] {
        #expect(PlotText.render(perRow, style: style).contains("per row: each row from its own lowest to highest value"))
        #expect(PlotText.render(shared, style: style).contains("on one scale for all rows, from 0 to "))
    }
    #expect(PlotSVG.render(perRow).contains("each row on its own scale"))
    #expect(PlotSVG.render(shared).contains("one scale for all rows"))
    // A per-row scale uses the darkest shade in every row; a shared one leaves the first row pale.
    let rows = canvasLines(PlotText.render(perRow, style: .braille))
    #expect(rows.count == 6 && rows.allSatisfy { $0.contains("⣿") })
    #expect(!canvasLines(PlotText.render(shared, style: .braille))[0].contains("⣿"))
}

@Test func numericHeatmapColumnsHaveRoundTicks() {
    let plot = PlotGallery.all.first { $0.name == "heatmap-per-row" }!.plot
    for style in [PlotText.Style.braille, .ascii] {
        #expect(textXTicks(PlotText.render(plot, style: style)) == ["-1.0", "-0.5", "0.0", "0.5"])
    }
    let svg = PlotSVG.render(plot)
    for label in ["-1.0", "-0.5", "0.0", "0.5"] { #expect(svg.contains(">\(label)</text>")) }
    #expect(!svg.contains(">-0.7</text>"))
}
