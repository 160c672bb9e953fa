import Foundation
import Testing
@testable import Literate

/// A book whose blocks emit every kind of output, checked in the Markdown and the HTML, in each
/// plot style (braille by default, `//| plot: ascii`, `//| plot: svg`).
@Suite struct OutputKindsBuildTests {
    static let blocks = """
        ```swift-run
        //| caption: A table
        table(["layer", "norm"], [["0.weight", 1.5e-42], ["2.weight", 3.25]])
        ```

        ```swift-run
        //| caption: Norms per layer
        lineplot((0..<50).map { pow(10, Double($0) - 45) }, title: "Gradient norm", xLabel: "layer", yScale: .log10)
        ```

        ```swift-run
        scatterplot(x: [1, 2, 3], y: [3, 1, 2], title: "Points")
        barplot(labels: ["sigmoid", "relu"], values: [1e-40, 0.5], title: "Ratio", scale: .log10)
        histogram(values: (0..<200).map { sin(Double($0)) }, bins: 8, title: "Activations")
        heatmap([[1e-30, 1e-20], [1e-10, 1]], rowLabels: ["a", "b"], columnLabels: ["x", "y"], title: "Heat", scale: .log10)
        sparkline([3, 2, 1, 0.5, 0.25], name: "loss")
        show(Tensor([[1, 2], [3, 4]]))
        ```

        """

    func build(plot: String?) throws -> TemporaryBook {
        let front = plot.map { "---\nplot: \($0)\n---\n" } ?? ""
        let book = try TemporaryBook(["01-kinds.md": front + "# Kinds\n\n" + Self.blocks])
        let report = try book.build().0
        #expect(!report.failed)
        return book
    }

    @Test func brailleInMarkdownAndHTML() throws {
        let book = try build(plot: nil)
        defer { book.remove() }
        let markdown = try book.read("01-kinds.md")
        #expect(markdown.contains("| layer    |     norm |\n| -------- | -------: |\n| 0.weight | 1.50e-42 |\n| 2.weight |   3.25e0 |"))
        #expect(markdown.contains("*A table*"))
        for title in ["Gradient norm", "Points", "Ratio", "Activations", "Heat"] {
            #expect(markdown.contains(title), "\(title) in the Markdown")
        }
        #expect(markdown.contains("10⁻⁴⁰") && markdown.contains("⠀"))
        #expect(markdown.contains("tensor([[1., 2.],"))
        let html = try book.article("01-kinds.html")
        #expect(html.contains("<caption>A table</caption>") && html.contains("<th scope=\"col\""))
        #expect(html.contains("<figure class=\"plot") && html.contains("<figcaption>Norms per layer</figcaption>"))
        #expect(!html.contains("<svg"))
    }

    @Test func asciiPlotsAreSevenBit() throws {
        let book = try build(plot: "ascii")
        defer { book.remove() }
        let markdown = try book.read("01-kinds.md")
        let plots = markdown.components(separatedBy: "```text\n").dropFirst().map { $0.components(separatedBy: "```").first ?? "" }
        #expect(!plots.isEmpty)
        for plot in plots where plot.contains("Gradient norm") || plot.contains("Points") {
            #expect(plot.unicodeScalars.allSatisfy { $0.isASCII }, "\(plot)")
        }
    }

    @Test func svgInHTMLAndTextInMarkdown() throws {
        let book = try build(plot: "svg")
        defer { book.remove() }
        let html = try book.article("01-kinds.html")
        #expect(html.components(separatedBy: "<svg").count - 1 >= 6)
        #expect(html.contains("<title") && html.contains("<desc"))
        // Code-hosting sites do not show inline SVG: the Markdown keeps text plots.
        #expect(try book.read("01-kinds.md").contains("⠀"))
    }
}
