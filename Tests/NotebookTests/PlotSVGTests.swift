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
