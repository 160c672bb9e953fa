import Foundation
import NotebookCore

extension LegendSession {
    /// An inline value of the prose (`` `{swift} expr` ``), evaluated at its place in the
    /// chapter: its text goes to standard output, which the runner gives the value's own slot.
    /// A number is written in the format tables use (`NumberFormat.automatic`); text as it is.
    public static func inline(_ value: () -> Any) {
        print(inlineText(value()), terminator: "")
    }

    static func inlineText(_ value: Any) -> String {
        switch value {
        case let number as Double: NumberFormat.automatic.string(number)
        case let number as Float: NumberFormat.automatic.string(Double(number))
        case let text as String: text
        case let text as Substring: String(text)
        case let value as CustomStringConvertible: value.description
        default: String(describing: value)
        }
    }
}

extension BinaryFloatingPoint {
    /// The number in one of the formats tables use, for prose:
    /// `` `{swift} ratio.formatted(.scientific(2))` `` → `3.2e-7`.
    public func formatted(_ format: NumberFormat) -> String {
        format.string(Double(self))
    }
}
