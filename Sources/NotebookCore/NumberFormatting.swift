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

extension NumberFormat {
    /// The one format a column's numbers are all written in, chosen from the values: `.automatic`
    /// and `.significant(n)` become fixed point with the decimals the most precise value needs
    /// (0.4 beside 0.49 is "0.40"), or scientific with a shared number of digits when a value is
    /// below 1e-3 or from 1e6 on, or the column would need more than n + 3 digits in fixed point,
    /// or more than n + 1 significant digits in its largest value.
    /// Formats that fix their precision (`fixed`, `scientific`, `percent`) are kept.
    ///
    /// ```swift
    /// NumberFormat.automatic.forColumn([0.4, 0.49, 1])      // .fixed(2): 0.40 0.49 1.00
    /// NumberFormat.automatic.forColumn([2.7e-59, 9.2e-42])  // .scientific(2): 2.7e-59 9.2e-42
    /// ```
    public func forColumn(_ values: [Double]) -> NumberFormat {
        let digits: Int
        switch self {
        case .automatic: digits = 4
        case .significant(let requested): digits = min(max(1, requested), 17)
        case .scientific, .fixed, .percent: return self
        }
        let shown = values.filter { $0.isFinite && $0 != 0 }
        guard let largest = shown.map({ abs($0) }).max(), let smallest = shown.map({ abs($0) }).min() else { return .fixed(0) }
        let perValue = NumberFormat.significant(digits)
        func scientific() -> NumberFormat {
            // As many significant digits as the most precise value shows on its own.
            let needed = shown.map { value -> Int in
                let text = NumberFormat.trimMantissa(NumberFormat.scientific(digits).string(value))
                let mantissa = text.prefix { $0 != "e" }
                return mantissa.filter(\.isNumber).count
            }.max() ?? 1
            return .scientific(max(1, needed))
        }
        if smallest < 1e-3 || largest >= 1e6 { return scientific() }
        let decimals = shown.map { value -> Int in
            let text = perValue.string(value)
            guard let point = text.firstIndex(of: ".") else { return 0 }
            return text.distance(from: point, to: text.endIndex) - 1
        }.max() ?? 0
        let integerDigits = largest < 1 ? 1 : Int(log10(largest).rounded(.down)) + 1
        // Nor may fixed point give the largest value more than one digit beyond those asked for
        // (0.36003 beside 0.00351 at three digits): that precision would be the column's, not its.
        let largestShows = largest >= 1 ? integerDigits + decimals : decimals + Int(log10(largest).rounded(.down)) + 1
        return integerDigits + decimals > digits + 3 || largestShows > digits + 1 ? scientific() : .fixed(decimals)
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
