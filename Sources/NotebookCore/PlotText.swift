/// Draws plots as text. (A first, plain rendering; the braille canvas replaces it.)
public enum PlotText {
    public enum Style: Sendable { case braille, ascii }

    public static func render(_ plot: Plot, style: Style) -> String {
        var lines: [String] = []
        if let title = plot.title { lines.append(title) }
        for series in plot.series {
            lines.append("\(series.name): \(series.y.count) points")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
