import Foundation

// Every number a reader sees goes through here, so a table cell, a tick label and an SVG
// description agree. `String(format:)` is used without a locale: it formats as the C locale
// does on every machine, so output never depends on where a book is built.

extension NumberFormat {
    /// The text of `value` in this format; the same in every writer and on every run.
    ///
    /// ```swift
    /// NumberFormat.automatic.string(1.23456e-60)  // "1.235e-60"
    /// NumberFormat.automatic.string(0.5)          // "0.5"
    /// NumberFormat.fixed(2).string(3.14159)       // "3.14"
    /// ```
    public func string(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "Inf" }
        switch self {
        case .automatic:
            return NumberFormat.significant(4).string(value)
        case .significant(let requested):
            let digits = min(max(1, requested), 17)
            if value == 0 { return "0" }
            let magnitude = abs(value)
            if magnitude < 1e-3 || magnitude >= 1e6 {
                return NumberFormat.trimMantissa(NumberFormat.scientific(digits).string(value))
            }
            // Fixed point with as many decimals as the significant digits need; never `%g`,
            // which would switch 123456 to 1.235e+05.
            let exponent = Int(log10(magnitude).rounded(.down))
            let decimals = max(0, digits - 1 - exponent)
            var text = String(format: "%.\(decimals)f", value)
            if text.contains(".") {
                while text.hasSuffix("0") { text.removeLast() }
                if text.hasSuffix(".") { text.removeLast() }
            }
            return text == "-0" ? "0" : text
        case .scientific(let requested):
            let digits = min(max(1, requested), 17)
            if value == 0 { return "0" }
            return NumberFormat.tidyExponent(String(format: "%.\(digits - 1)e", value))
        case .fixed(let requested):
            let text = String(format: "%.\(min(max(0, requested), 30))f", value)
            // "-0.00" reads as a sign error; a rounded zero is zero.
            return text.allSatisfy({ $0 == "-" || $0 == "0" || $0 == "." }) && text.hasPrefix("-")
                ? String(text.dropFirst()) : text
        case .percent(let requested):
            return NumberFormat.fixed(requested).string(value * 100) + "%"
        }
    }

    /// `1.500e-5` → `1.5e-5`: the automatic format shows only the digits that carry information.
    static func trimMantissa(_ text: String) -> String {
        guard let e = text.firstIndex(of: "e") else { return text }
        var mantissa = String(text[..<e])
        if mantissa.contains(".") {
            while mantissa.hasSuffix("0") { mantissa.removeLast() }
            if mantissa.hasSuffix(".") { mantissa.removeLast() }
        }
        return mantissa + text[e...]
    }

    /// `1.23e-05` → `1.23e-5`, `1.0e+03` → `1.0e3`: shorter, and what readers of papers expect.
    static func tidyExponent(_ text: String) -> String {
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
