// Terminal and monospace-font columns that text takes: CJK ideographs and most emoji take two,
// combining marks none. Tables and plots pad by this width, not by `count`, so a label such as
// "層 3" or "🔥 loss" does not push the frame out of line.

extension Unicode.Scalar {
    /// Columns this scalar takes on its own (0, 1 or 2).
    var displayWidth: Int {
        let value = self.value
        if value == 0 { return 0 }
        switch properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return 0
        default: break
        }
        if properties.isEmojiPresentation { return 2 }
        // East Asian Wide and Fullwidth ranges (Unicode Standard Annex #11), the common blocks.
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF,
             0xA000...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60,
             0xFFE0...0xFFE6, 0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}

extension Character {
    /// Columns this character (a grapheme cluster) takes: the widest of its scalars, and two for
    /// a cluster that asks for emoji presentation (U+FE0F).
    var displayWidth: Int {
        var width = 0
        for scalar in unicodeScalars {
            if scalar.value == 0xFE0F { return 2 }
            width = max(width, scalar.displayWidth)
        }
        return width
    }
}

extension StringProtocol {
    /// Columns the text takes in a monospace terminal.
    public var displayWidth: Int { reduce(0) { $0 + $1.displayWidth } }
}

extension String {
    /// The text cut to at most `width` columns, ending in "…" when cut (or "~" when `ascii`).
    func truncated(toWidth width: Int, ascii: Bool = false) -> String {
        guard displayWidth > width else { return self }
        guard width > 0 else { return "" }
        var result = ""
        var used = 0
        for character in self {
            let w = character.displayWidth
            if used + w > width - 1 { break }
            result.append(character)
            used += w
        }
        return result + (ascii ? "~" : "…")
    }

    /// The text padded with spaces to `width` columns, on the left when `right` is true.
    func padded(toWidth width: Int, right: Bool = false) -> String {
        let padding = String(repeating: " ", count: max(0, width - displayWidth))
        return right ? padding + self : self + padding
    }

    /// The text centred in `width` columns (extra space goes to the right).
    func centered(inWidth width: Int) -> String {
        let free = max(0, width - displayWidth)
        return String(repeating: " ", count: free / 2) + self + String(repeating: " ", count: free - free / 2)
    }

    /// The text in 7-bit ASCII, for the ASCII plot style: common mathematical signs are spelled
    /// out (‖ → ||, ₂ → 2, → → ->), anything else becomes "?".
    var asciiOnly: String {
        var result = ""
        for scalar in unicodeScalars {
            if scalar.isASCII { result.unicodeScalars.append(scalar); continue }
            switch scalar.value {
            case 0x2016: result += "||"
            case 0x2080...0x2089: result += String(scalar.value - 0x2080)
            case 0x2070: result += "0"
            case 0x00B9: result += "1"
            case 0x00B2: result += "2"
            case 0x00B3: result += "3"
            case 0x2074...0x2079: result += String(scalar.value - 0x2070)
            case 0x207B, 0x2212, 0x2013, 0x2014: result += "-"
            case 0x2192: result += "->"
            case 0x2190: result += "<-"
            case 0x00D7: result += "x"
            case 0x00B1: result += "+/-"
            case 0x2032, 0x2019, 0x2018: result += "'"
            case 0x201C, 0x201D: result += "\""
            case 0x00B7, 0x22C5: result += "."
            case 0x2026: result += "..."
            case 0x2264: result += "<="
            case 0x2265: result += ">="
            case 0x2248: result += "~"
            case 0x03B1: result += "alpha"
            case 0x03B2: result += "beta"
            case 0x03B7: result += "eta"
            case 0x03B8: result += "theta"
            case 0x03BB: result += "lambda"
            case 0x03BC: result += "mu"
            case 0x03C3: result += "sigma"
            case 0x2207: result += "grad "
            case 0x0300...0x036F, 0xFE0F, 0x200D: break  // combining marks and joiners vanish
            default: result += "?"
            }
        }
        return result
    }
}
