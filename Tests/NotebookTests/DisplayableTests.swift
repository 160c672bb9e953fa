import Foundation
import Testing
import TensorForge
@testable import Notebook

/// `show` displays every displayable type in its rich form, and `displayLast` shows a block's
/// last value as a notebook does.
@Suite struct DisplayableTests {
    static func trainedReport() -> (model: Sequential, report: GradientReport) {
        let model = sigmoidNetwork(depth: 3, width: 4)
        mseLoss(model(Tensor.randn(8, 4)), Tensor.randn(8, 1)).backward()
        return (model, gradientReport(model))
    }

    @Test func tablesPlotsAndOutputsShowAsThemselves() {
        let table = Table.rows(["a"], [[1]])
        let plot = Plot.line([.init(name: "", x: [0, 1], y: [1, 2])])
        #expect(OutputCapture.outputs { show(table) } == [.table(table)])
        #expect(OutputCapture.outputs { show(plot) } == [.plot(plot)])
        #expect(OutputCapture.outputs { show(RichOutput.text("hi\n")) } == [.text("hi\n")])
        #expect(OutputCapture.outputs { show([plot, plot]) } == [.plot(plot), .plot(plot)])
    }

    @Test func aGradientReportShowsItsTableNotADump() {
        let (_, report) = Self.trainedReport()
        let shown = OutputCapture.outputs { show(report) }
        #expect(shown == [.table(report.table)])
        let statistics = OutputCapture.outputs { show(report.parameters[0]) }
        guard case .table(let one)? = statistics.first else { Issue.record("\(statistics)"); return }
        #expect(one.rows.count == 1 && one.title == "Gradient of 0.weight")
        // What the issue saw: the report's debug description as text.
        for output in shown + statistics {
            if case .text(let text) = output { #expect(!text.contains("GradientReport(")) }
        }
    }

    @Test func theDeprecatedGradientTableShowsOnce() {
        let (model, report) = Self.trainedReport()
        let shown = OutputCapture.outputs { _ = legacyGradientTable(model) }
        #expect(shown == [.table(report.table)])
    }

    @Test func activationRecordsShowTheirTableAndALayerItsHistogram() {
        manualSeed(2)
        let model = Sequential(Linear(4, 8), Tanh(), Linear(8, 2))
        let record = recordActivations(model, input: Tensor.randn(16, 4))
        #expect(OutputCapture.outputs { show(record) } == [.table(record.table)])
        let layer = OutputCapture.outputs { show(record.layers[1]) }
        #expect(layer.count == 2)
        if case .plot(let histogram)? = layer.last { #expect(histogram.kind == .histogram) } else { Issue.record("\(layer)") }
    }

    @Test func aTrainingHistoryShowsItsCurves() {
        let history = TrainingHistory()
        for step in 0..<3 { history.record(loss: 1 / Double(step + 1)) }
        #expect(OutputCapture.outputs { show(history) } == [.plot(history.lossPlot())])
        let model = sigmoidNetwork(depth: 2, width: 3)
        mseLoss(model(Tensor.randn(4, 3)), Tensor.randn(4, 1)).backward()
        history.record(loss: 0.2, gradientsOf: model)
        let shown = OutputCapture.outputs { show(history) }
        #expect(shown.count == 2)
        if case .plot(let curves)? = shown.last { #expect(curves.yScale == .log10 && curves.series.count == 3) }
    }

    @Test func tensorsShowTheirValuesAndShape() {
        let shown = OutputCapture.outputs { show(Tensor([[1, 2], [3, 4]])) }
        guard case .text(let text)? = shown.first, shown.count == 1 else { Issue.record("\(shown)"); return }
        #expect(text.contains("shape: [2, 2]"))
    }

    @Test func otherValuesShowAsText() {
        #expect(OutputCapture.outputs { show(42) } == [.text("42\n")])
        #expect(OutputCapture.outputs { show("a b") } == [.text("a b\n")])
        let plot: Plot? = Plot.bar(labels: ["a"], values: [1])
        #expect(OutputCapture.outputs { show(plot as Any) } == [.plot(plot!)], "an optional displayable shows richly")
    }

    @Test func verbsShowOnceAndReturnNothing() {
        let shown = OutputCapture.outputs {
            LegendSession.displayLast(lineplot([1, 2, 3], title: "t"))
            LegendSession.displayLast(table(["a"], [[1]]))
            LegendSession.displayLast(heatmap([[1, 2]], shading: .perRow))
        }
        #expect(shown.count == 3, "each verb's output once, nothing for its ()")
    }

    @Test func displayLastShowsValuesLikeANotebook() {
        let (_, report) = Self.trainedReport()
        #expect(OutputCapture.outputs { LegendSession.displayLast(()) } == [])
        #expect(OutputCapture.outputs { LegendSession.displayLast(Optional<Void>.some(())) } == [])
        #expect(OutputCapture.outputs { LegendSession.displayLast(2 + 2) } == [.text("4\n")])
        #expect(OutputCapture.outputs { LegendSession.displayLast("done") } == [.text("done\n")])
        #expect(OutputCapture.outputs { LegendSession.displayLast(report) } == [.table(report.table)])
        #expect(OutputCapture.outputs { LegendSession.displayLast(report.plot()) } == [.plot(report.plot())])
    }
}

/// The deprecated form, called from one place so that its warning is not repeated.
@available(*, deprecated)
func legacyGradientTable(_ model: Sequential) -> GradientReport { gradientTable(model) }
