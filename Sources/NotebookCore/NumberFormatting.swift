import Foundation

extension NumberFormat {
    /// The text of `value` in this format; the same in every writer and on every run.
    public func string(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "Inf" }
        switch self {
        case .automatic:
            return NumberFormat.significant(4).string(value)
        case .significant(let digits):
            let magnitude = abs(value)
            if value == 0 { return "0" }
            if magnitude < 1e-3 || magnitude >= 1e6 { return NumberFormat.scientific(digits).string(value) }
            return trimZeros(String(format: "%.\(max(1, digits))g", value))
        case .scientific(let digits):
            let text = String(format: "%.\(max(0, digits - 1))e", value)
            return tidyExponent(text)
        case .fixed(let digits):
            return String(format: "%.\(max(0, digits))f", value)
        }
    }

    private func trimZeros(_ text: String) -> String {
        guard text.contains("."), !text.contains("e") else { return text }
        var trimmed = text
        while trimmed.hasSuffix("0") { trimmed.removeLast() }
        if trimmed.hasSuffix(".") { trimmed.removeLast() }
        return trimmed
    }

    /// `1.23e-05` → `1.23e-5`: shorter, and what readers of papers expect.
    private func tidyExponent(_ text: String) -> String {
        guard let e = text.firstIndex(of: "e") else { return text }
        let mantissa = text[..<e]
        var exponent = text[text.index(after: e)...]
        var sign = ""
        if let first = exponent.first, first == "-" || first == "+" {
            sign = first == "-" ? "-" : ""
            exponent = exponent.dropFirst()
        }
        let digits = exponent.drop(while: { $0 == "0" })
        return "\(mantissa)e\(sign)\(digits.isEmpty ? "0" : String(digits))"
    }
}

extension Table.Cell {
    /// The cell's text under the column's number format.
    public func string(_ format: NumberFormat) -> String {
        switch self {
        case .text(let text): return text
        case .integer(let value): return String(value)
        case .number(let value): return format.string(value)
        }
    }

    public var isNumeric: Bool {
        if case .text = self { return false }
        return true
    }
}
