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
