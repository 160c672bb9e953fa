import Foundation
import Testing
import TensorForge
@testable import Notebook

/// A deep sigmoid network: the book's patient. Fixed seed, so the numbers are the same on every run.
func sigmoidNetwork(depth: Int, width: Int = 8) -> Sequential {
    manualSeed(0)
    var layers: [any Module<Tensor>] = []
    for _ in 0..<depth {
        layers.append(Linear(width, width))
        layers.append(Sigmoid())
    }
    layers.append(Linear(width, 1))
    return Sequential(layers)
}

@Test func fiftyLayerGradientsInThreeLines() {
    let model = sigmoidNetwork(depth: 50)
    let x = Tensor.randn(16, 8), y = Tensor.randn(16, 1)
    // The three lines a chapter writes: compute the report, show it, show its plot.
    mseLoss(model(x), y).backward()
    let gradients = gradientReport(model)
    let shown = OutputCapture.outputs { show(gradients); gradientPlot(gradients) }
    let plot = gradients.plot()
    #expect(shown == [.table(gradients.table), .plot(plot)])

    #expect(gradients.parameters.count == 102)
    #expect(gradients.parameters.first?.name == "0.weight")
    #expect(gradients.parameters.last?.name == "100.bias")
    let norms = gradients.weights.map(\.norm)
    #expect(norms.count == 51)
    #expect(norms.allSatisfy { $0.isFinite && $0 >= 0 })
    #expect(norms.first! < norms.last! * 1e-10, "gradients vanish toward the input: \(norms.first!) vs \(norms.last!)")
    #expect(gradients.weights.last?.ratioToLast == 1)
    #expect(plot.yScale == .log10)
    let text = PlotText.render(plot, style: .braille)
    #expect(text.contains("10⁻"), "decade ticks on the log axis")
    let table = MarkdownWriter.markdown(.table(gradients.table))
    #expect(table.contains("| 0.weight "))
    #expect(table.contains("8×8"))
}

@Test func parametersWithoutGradientsAreMarkedNotInvented() {
    let model = sigmoidNetwork(depth: 2)
    let report = gradientReport(model)
    #expect(report.parameters.allSatisfy { !$0.hasGradient && $0.norm.isNaN })
    let text = TerminalWriter.text(.table(report.table))
    #expect(text.contains("—"))
    #expect(text.contains("have no gradient"))
}

@Test func normDoesNotUnderflowForTinyGradients() {
    #expect(stableNorm([3e-200, 4e-200], 4e-200) == 5e-200)
    #expect(stableNorm([0, 0], 0) == 0)
    let plain = [3.0, 4.0]
    #expect(stableNorm(plain, 4) == 5)
}

@Test func activationStatisticsShowSaturation() {
    manualSeed(1)
    let model = Sequential(Linear(4, 64), Sigmoid(), Linear(64, 64), Tanh(), Linear(64, 4), ReLU())
    let input = Tensor.randn(32, 4) * 20  // large inputs drive sigmoid into saturation
    let record = recordActivations(model, input: input)
    #expect(record.layers.map(\.kind) == ["Linear", "Sigmoid", "Linear", "Tanh", "Linear", "ReLU"])
    #expect(record.activationLayers.map(\.layer) == ["1", "3", "5"])
    let sigmoid = record.layers[1]
    #expect(sigmoid.saturated! > 0.3, "inputs of std 20 saturate most sigmoid units: \(sigmoid.saturated!)")
    #expect(record.layers[5].saturated == nil)
    #expect(sigmoid.values.count == 32 * 64)
    let table = TerminalWriter.text(.table(record.table))
    #expect(table.contains("Sigmoid"))
    let histogram = record.histogram(sigmoid, bins: 10)
    #expect(histogram.series[0].y.reduce(0, +) == Double(32 * 64))
}

@Test func trainingHistoryPlotsLossAndGradientHeatmap() {
    let model = sigmoidNetwork(depth: 4, width: 4)
    let x = Tensor.randn(8, 4), y = Tensor.randn(8, 1)
    let optimizer = SGD(model.parameters, lr: 0.1)
    let history = TrainingHistory()
    for _ in 0..<5 {
        optimizer.zeroGrad()
        let loss = mseLoss(model(x), y)
        loss.backward()
        history.record(loss: loss.item, gradientsOf: model)
        optimizer.step()
    }
    #expect(history.losses.count == 5)
    #expect(history.parameterNames == ["0.weight", "2.weight", "4.weight", "6.weight", "8.weight"])
    #expect(history.gradientNorms.allSatisfy { $0.count == 5 && $0.allSatisfy(\.isFinite) })
    let heatmap = history.gradientHeatmap()
    #expect(heatmap.matrix.count == 5 && heatmap.matrix[0].count == 5)
    let curves = history.gradientNormPlot(maxCurves: 3)
    #expect(curves.series.map(\.name) == ["0.weight", "4.weight", "8.weight"])
    #expect(PlotText.render(history.lossPlot(), style: .ascii).contains("Training loss"))
}

@Test func tableCellsFromAnyValue() {
    #expect(Table.Cell(1.5) == .number(1.5))
    #expect(Table.Cell(3) == .integer(3))
    #expect(Table.Cell(UInt8(7)) == .integer(7))
    #expect(Table.Cell("a") == .text("a"))
    #expect(Table.Cell(Tensor(2.5)) == .number(2.5))
    #expect(Table.Cell(true) == .text("true"))
}

@Test func columnTablesKeepOrderAndNoteShortColumns() {
    let table = Table.columns(["step": [0, 1, 2], "loss": [0.5, 0.25]], formats: ["loss": .fixed(2)])
    #expect(table.columns.map(\.name) == ["step", "loss"])
    #expect(table.rows[2] == [.integer(2), .text("")])
    #expect(table.notes == ["Columns \"loss\" have fewer than 3 values; the missing cells are blank."])
    #expect(TerminalWriter.text(.table(table)).contains("0.25"))
}
