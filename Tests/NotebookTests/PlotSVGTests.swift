import Foundation
import Testing
@testable import NotebookCore

@Test(arguments: PlotGallery.all.map(\.name))
func svgGolden(_ name: String) {
    let plot = PlotGallery.all.first { $0.name == name }!.plot
    let svg = PlotSVG.render(plot)
    #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
    #expect(svg.contains("<title id=\"") && svg.contains("<desc id=\""))
    #expect(!svg.contains("nan") && !svg.contains("inf"), "non-finite numbers must never reach coordinates")
    expectGolden(svg, "\(name).svg")
}

@Test func svgNumbersAreFixedPointWithOneDecimal() {
    #expect(svgNumber(12.25) == "12.3" || svgNumber(12.25) == "12.2")
    #expect(svgNumber(-0.04) == "0")
    #expect(svgNumber(100) == "100")
    #expect(svgNumber(-3.5) == "-3.5")
    #expect(svgNumber(.nan) == "0")
    #expect(svgNumber(1e300) == "1000000000")
}

@Test func svgIdentifiersAreStableAndDependOnData() {
    let a = Plot.line([.init(name: "a", x: [0, 1], y: [1, 2])])
    let b = Plot.line([.init(name: "a", x: [0, 1], y: [1, 3])])
    #expect(plotIdentifier(a) == plotIdentifier(a))
    #expect(plotIdentifier(a) != plotIdentifier(b))
}

@Test func svgEscapesUserText() {
    let plot = Plot.line([.init(name: "<b>&", x: [0, 1], y: [1, 2])], title: "a < b & \"c\"")
    let svg = PlotSVG.render(plot)
    #expect(svg.contains("a &lt; b &amp; &quot;c&quot;"))
    #expect(!svg.contains("<b>&"))
}

@Test func aLegendTooWideForOneRowWrapsInsideThePlot() {
    let names = ["g = 0.9, measured", "g = 0.9, g^k", "g = 1, measured", "g = 1, g^k", "g = 1.1, measured", "g = 1.1, g^k"]
    let plot = Plot.line(names.enumerated().map { .init(name: $1, x: [0, 1], y: [1, Double($0 + 2)]) })
    let svg = PlotSVG.render(plot)
    let width = Double(svg.firstMatch(of: /viewBox="0 0 ([0-9.]+) ([0-9.]+)"/)!.1)!
    let height = Double(svg.firstMatch(of: /viewBox="0 0 ([0-9.]+) ([0-9.]+)"/)!.2)!
    // Every entry of the legend (the names written with no colour of their own) starts inside the plot.
    let entries = svg.matches(of: /<text x="([0-9.]+)" y="([0-9.]+)" text-anchor="start">([^<]*)<\/text>/)
        .filter { names.contains(String($0.3)) }
    #expect(entries.count == names.count)
    for entry in entries {
        let x = Double(entry.1)!, y = Double(entry.2)!
        let end = x + Double(entry.3.count) * 7   // the layout's width of a character
        #expect(end <= width && y <= height, "\(entry.3) ends at \(end) of \(width), at y \(y) of \(height)")
    }
    #expect(Set(entries.map { entry in entry.2 }).count > 1, "the entries take more than one row")
}
