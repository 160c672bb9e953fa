import Foundation
import Testing
@testable import NotebookCore

/// Every kind of output through the Markdown and HTML writers, as one document each: what a
/// chapter whose blocks emit each kind turns into (the pipeline adds the prose around them).
/// The Markdown golden is readable on a code-hosting site; the HTML golden is a page fragment.
@Test func galleryAsMarkdownAndHTML() throws {
    let outputs: [(String, RichOutput, WriterOptions)] =
        [("text", .text("tensor([1.0000, 2.0000], shape: [2])\n"), .init()),
         ("table", .table(sampleGradientTable), .init(caption: "Table 1: gradients of a 3-layer network"))]
        + PlotGallery.all.map { ($0.name, .plot($0.plot), .init(caption: "Figure: \($0.name)")) }
    var markdown = "# Gallery\n"
    var html = "<h1>Gallery</h1>\n"
    var svgHTML = "<h1>Gallery (SVG)</h1>\n"
    for (name, output, options) in outputs {
        markdown += "\n## \(name)\n\n" + MarkdownWriter.markdown(output, options: options)
        html += "<h2>\(name)</h2>\n" + HTMLWriter.html(output, options: options)
        var svgOptions = options
        svgOptions.plotStyle = .svg
        svgHTML += "<h2>\(name)</h2>\n" + HTMLWriter.html(output, options: svgOptions)
    }
    expectGolden(markdown, "gallery.md")
    expectGolden(html, "gallery.html")
    expectGolden(svgHTML, "gallery-svg.html")
    // Every figure has exactly one caption, and no raw "<" from data leaks into the page.
    #expect(html.components(separatedBy: "<figure").count - 1 == PlotGallery.all.count)
    #expect(html.components(separatedBy: "<figcaption>").count - 1 == PlotGallery.all.count)
    #expect(svgHTML.components(separatedBy: "<svg ").count - 1 == PlotGallery.all.count)
    #expect(markdown.components(separatedBy: "```text").count - 1 == PlotGallery.all.count + 1)
}
