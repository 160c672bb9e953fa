import Testing
@testable import NotebookCore

let samplePlot = Plot.line([.init(name: "loss", x: [0, 1, 2], y: [3, 2, 1])], title: "Loss <train>")

@Test func markdownPutsTextPlotsInATextFence() {
    let markdown = MarkdownWriter.markdown(.plot(samplePlot), options: .init(caption: "Figure 1"))
    #expect(markdown.hasPrefix("```text\n"))
    #expect(markdown.contains("\n```\n"))
    #expect(markdown.hasSuffix("*Figure 1*\n"))
    let ascii = MarkdownWriter.markdown(.plot(samplePlot), options: .init(plotStyle: .ascii))
    #expect(ascii.unicodeScalars.allSatisfy { $0.isASCII })
    let svg = MarkdownWriter.markdown(.plot(samplePlot), options: .init(plotStyle: .svg))
    #expect(svg.hasPrefix("```text\n") && !svg.contains("<svg"), "Markdown keeps a text plot even when HTML uses SVG")
}

@Test func fenceOutgrowsBackticksInside() {
    #expect(MarkdownWriter.fenced("a ``` b").hasPrefix("````text\n"))
}

@Test func htmlPutsPlotsInAFigureWithACaption() {
    let html = HTMLWriter.html(.plot(samplePlot), options: .init(caption: "Figure 1: a < b"))
    #expect(html.hasPrefix("<figure class=\"plot plot-line\">\n<pre class=\"plot\" role=\"img\" aria-label=\"Loss &lt;train&gt;\">"))
    #expect(html.contains("<figcaption>Figure 1: a &lt; b</figcaption>"))
    #expect(html.hasSuffix("</figure>\n"))
    #expect(!html.contains("<train>"))
    let svg = HTMLWriter.html(.plot(samplePlot), options: .init(plotStyle: .svg, caption: "Figure 1"))
    #expect(svg.contains("<figure class=\"plot plot-line\">\n<svg "))
    #expect(svg.contains("<title id=") && svg.contains("<desc id="))
    #expect(svg.contains("<figcaption>Figure 1</figcaption>"))
}

@Test func everyWriterIsDeterministic() {
    for (_, plot) in PlotGallery.all {
        for style in WriterOptions.PlotStyle.allCases {
            let options = WriterOptions(plotStyle: style)
            #expect(HTMLWriter.html(.plot(plot), options: options) == HTMLWriter.html(.plot(plot), options: options))
        }
    }
}

@Test func outputsSurviveTheChannelWithNaNAndInfinity() throws {
    let plot = EdgeCases.plots.first { $0.name == "log-with-bad-values" }!.plot
    let record = ChannelRecord(event: .output, block: 1, output: .plot(plot))
    let data = try ChannelRecord.makeEncoder().encode(record)
    let decoded = try ChannelRecord.makeDecoder().decode(ChannelRecord.self, from: data)
    // NaN != NaN, so compare what the writers make of it.
    #expect(decoded.output.map { TerminalWriter.text($0) } == TerminalWriter.text(.plot(plot)))
}
