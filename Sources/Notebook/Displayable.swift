import NotebookCore
import TensorForge

// One display model: a value is either computed or shown, and `show(_:)` shows anything.
//
// - Functions that compute return a value and show nothing: `Plot.line(…)`, `Table.rows(…)`,
//   `gradientReport(model)`, `recordActivations(model, input:)`, `history.lossPlot()`.
// - Functions that show are verbs and return nothing: `show(x)`, `table(…)`, `lineplot(…)`,
//   `histogram(…)`, `heatmap(…)`, `gradientPlot(report)`.
// - A type that has a rich form conforms to `Displayable`; `show` emits its `richOutputs`, and
//   prints any other value as text. `LegendSession.displayLast` does the same for the value of a
//   block's last expression (and nothing for `()`), so a block may end in a bare `report`.

/// A value with a rich form: tables, plots or text that `show(_:)` emits for it.
///
/// ```swift
/// extension LossCurve: Displayable {
///     public var richOutputs: [RichOutput] { [.plot(Plot.line([.init(name: "loss", x: steps, y: losses)]))] }
/// }
/// show(curve)
/// ```
public protocol Displayable {
    /// What `show(_:)` emits for this value, in order.
    var richOutputs: [RichOutput] { get }
}

extension RichOutput: Displayable {
    public var richOutputs: [RichOutput] { [self] }
}

extension Table: Displayable {
    public var richOutputs: [RichOutput] { [.table(self)] }
}

extension Plot: Displayable {
    public var richOutputs: [RichOutput] { [.plot(self)] }
}

/// A tensor shows its values (summarised when large) and its shape.
extension Tensor: Displayable {
    public var richOutputs: [RichOutput] { [.text(String(describing: self) + "\n")] }
}

/// Several displayable values show one after the other.
extension Array: Displayable where Element: Displayable {
    public var richOutputs: [RichOutput] { flatMap(\.richOutputs) }
}

/// Shows a value in its rich form: a `Table`, `Plot`, `GradientReport`, `ActivationRecord`,
/// `TrainingHistory`, `Tensor` — anything `Displayable` — as tables and plots; any other value
/// as its description.
///
/// ```swift
/// show(gradientReport(model))   // the gradient table
/// show(report.plot())           // ‖grad‖₂ per layer
/// show(model(x))                // tensor([[0.5012], [0.4988]], shape: [2, 1])
/// ```
public func show(_ value: Any) {
    if let displayable = value as? any Displayable {
        for output in displayable.richOutputs { LegendSession.emit(output) }
    } else {
        LegendSession.emit(.text(String(describing: value) + "\n"))
    }
}

extension LegendSession {
    /// Shows the value of a block's last expression, as a notebook does: a `Displayable` value in
    /// its rich form, `()` (the value of a call that shows or returns nothing) not at all, any
    /// other value as `print` writes it. The tangler wraps a block's trailing expression in it.
    ///
    /// ```swift
    /// LegendSession.displayLast(gradientReport(model))   // the table
    /// LegendSession.displayLast(lineplot(losses))        // () — the plot was shown by lineplot
    /// LegendSession.displayLast(2 + 2)                   // 4
    /// ```
    public static func displayLast<T>(_ value: T) {
        if T.self == Void.self || T.self == Optional<Void>.self { return }
        if let displayable = value as? any Displayable {
            for output in displayable.richOutputs { emit(output) }
        } else if let capture {
            capture.append(.text(String(describing: value) + "\n"))
        } else {
            print(value)
        }
    }
}
