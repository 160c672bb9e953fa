import NotebookCore

/// Renders the TeX of `$…$` and `$$…$$` to MathML at build time, so pages need no JavaScript.
/// Covers the notation of papers on training networks: fractions, scripts, Greek, big operators,
/// roots, accents, `\left…\right`, `cases` and matrices, `\text`. Anything else is an error that
/// names the command, and the page shows the TeX as code instead.
public struct TeXMath: Sendable {
    public struct Failure: Error, Equatable, Sendable {
        public let message: String
    }

    public init() {}

    /// MathML for `tex`; `display` for a block formula.
    public func mathML(_ tex: String, display: Bool) throws(Failure) -> String {
        var parser = Parser(Array(tex.unicodeScalars))
        let body = try parser.parseExpression(until: nil)
        let mode = display ? "block" : "inline"
        return "<math xmlns=\"http://www.w3.org/1998/Math/MathML\" display=\"\(mode)\"><semantics><mrow>\(body)</mrow>"
            + "<annotation encoding=\"application/x-tex\">\(HTMLWriter.escape(tex))</annotation></semantics></math>"
    }
}

private struct Parser {
    let input: [Unicode.Scalar]
    var position = 0
    /// Atoms being parsed inside one another: every nesting (groups, arguments, `\left`,
    /// environments, `\sqrt[…]`) goes through `parseAtom`, which refuses to go deeper than
    /// `maxDepth`, so a formula of 100 000 `{` is an error, not a stack overflow.
    var depth: Int
    static let maxDepth = 100

    init(_ input: [Unicode.Scalar], depth: Int = 0) {
        self.input = input
        self.depth = depth
    }

    typealias Failure = TeXMath.Failure

    static let greek: [String: String] = [
        "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ϵ", "varepsilon": "ε", "zeta": "ζ",
        "eta": "η", "theta": "θ", "vartheta": "ϑ", "iota": "ι", "kappa": "κ", "lambda": "λ", "mu": "μ", "nu": "ν",
        "xi": "ξ", "pi": "π", "rho": "ρ", "sigma": "σ", "tau": "τ", "upsilon": "υ", "phi": "ϕ", "varphi": "φ",
        "chi": "χ", "psi": "ψ", "omega": "ω", "Gamma": "Γ", "Delta": "Δ", "Theta": "Θ", "Lambda": "Λ", "Xi": "Ξ",
        "Pi": "Π", "Sigma": "Σ", "Upsilon": "Υ", "Phi": "Φ", "Psi": "Ψ", "Omega": "Ω",
        "infty": "∞", "partial": "∂", "nabla": "∇", "ell": "ℓ", "emptyset": "∅",
    ]
    static let operators: [String: String] = [
        "times": "×", "cdot": "⋅", "ldots": "…", "cdots": "⋯", "dots": "…", "vdots": "⋮", "leq": "≤", "le": "≤",
        "geq": "≥", "ge": "≥", "neq": "≠", "ne": "≠", "approx": "≈", "sim": "∼", "simeq": "≃", "equiv": "≡",
        "propto": "∝", "pm": "±", "mp": "∓", "to": "→", "rightarrow": "→", "leftarrow": "←", "Rightarrow": "⇒",
        "Leftarrow": "⇐", "leftrightarrow": "↔", "mapsto": "↦", "in": "∈", "notin": "∉", "subset": "⊂",
        "subseteq": "⊆", "cup": "∪", "cap": "∩", "circ": "∘", "odot": "⊙", "otimes": "⊗", "oplus": "⊕",
        "ll": "≪", "gg": "≫", "mid": "∣", "forall": "∀", "exists": "∃", "neg": "¬", "land": "∧", "lor": "∨",
        "div": "÷", "ast": "∗", "star": "⋆", "bullet": "∙", "langle": "⟨", "rangle": "⟩", "lvert": "|", "rvert": "|",
        "lVert": "‖", "rVert": "‖", "|": "‖", "{": "{", "}": "}", "%": "%", "$": "$", "&": "&amp;", "#": "#",
        "sum": "∑", "prod": "∏", "int": "∫", "oint": "∮", "downarrow": "↓", "uparrow": "↑",
    ]
    static let largeOperators: Set<String> = ["sum", "prod", "int", "oint"]
    static let functions: Set<String> = [
        "sin", "cos", "tan", "tanh", "sinh", "cosh", "log", "ln", "exp", "max", "min", "arg", "argmax", "argmin",
        "sup", "inf", "lim", "det", "dim", "ker", "Pr", "sgn",
    ]
    static let accents: [String: String] = [
        "hat": "^", "widehat": "^", "bar": "¯", "overline": "¯", "tilde": "~", "widetilde": "~", "vec": "→",
        "dot": "˙", "ddot": "¨",
    ]
    static let spaces: [String: String] = [
        ",": "0.1667em", ":": "0.2222em", ">": "0.2222em", ";": "0.2778em", " ": "0.25em", "quad": "1em",
        "qquad": "2em", "!": "-0.1667em",
    ]

    var atEnd: Bool { position >= input.count }
    func peek() -> Unicode.Scalar? { atEnd ? nil : input[position] }

    mutating func skipSpaces() {
        while let scalar = peek(), scalar == " " || scalar == "\n" || scalar == "\t" || scalar == "\r" { position += 1 }
    }

    /// Items until the end, a closing brace, `\right`, `\end`, or (in a table) `&` and `\\`.
    mutating func parseExpression(until stop: Unicode.Scalar?, inTable: Bool = false) throws(Failure) -> String {
        var output = ""
        while true {
            skipSpaces()
            guard let scalar = peek() else {
                if stop != nil { throw Failure(message: "a '{' is never closed") }
                return output
            }
            if scalar == "}" {
                if stop == "}" { return output }
                throw Failure(message: "a '}' has no matching '{'")
            }
            if lookingAtCommand("right") || lookingAtCommand("end") {
                // Those close what encloses a group, so the group's '}' is missing.
                if stop == "}" { throw Failure(message: "a '{' is never closed before '\\\(lookingAtCommand("end") ? "end" : "right")'") }
                return output
            }
            if inTable && (scalar == "&" || lookingAt("\\\\")) { return output }
            output += try parseScripted()
        }
    }

    func lookingAt(_ text: String) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard position + scalars.count <= input.count else { return false }
        return Array(input[position..<position + scalars.count]) == scalars
    }

    func lookingAtCommand(_ name: String) -> Bool {
        guard lookingAt("\\" + name) else { return false }
        let after = position + 1 + name.unicodeScalars.count
        return after >= input.count || !input[after].properties.isAlphabetic
    }

    /// An atom with any `^` and `_` after it.
    mutating func parseScripted() throws(Failure) -> String {
        let atom = try parseAtom()
        var base = atom.0
        let isLargeOperator = atom.1
        // A function name takes its scripts itself; the invisible "function application" sign
        // follows the scripted whole (`tanh²` then ⁡), keeping each script element two-child.
        let application = "<mo>&#x2061;</mo>"
        let applies = base.hasSuffix(application)
        if applies { base = String(base.dropLast(application.count)) }
        var subscriptPart: String?, superscriptPart: String?
        while true {
            skipSpaces()
            if peek() == "_", subscriptPart == nil {
                position += 1
                subscriptPart = try parseArgument()
            } else if peek() == "^", superscriptPart == nil {
                position += 1
                superscriptPart = try parseArgument()
            } else if peek() == "'" {
                // f' → f with a prime superscript.
                var primes = ""
                while peek() == "'" { primes += "′"; position += 1 }
                base = "<msup>\(base)<mo>\(primes)</mo></msup>"
            } else {
                break
            }
        }
        let (under, over) = isLargeOperator ? ("munderover", ("munder", "mover")) : ("msubsup", ("msub", "msup"))
        let scripted: String
        switch (subscriptPart, superscriptPart) {
        case let (sub?, sup?): scripted = "<\(under)>\(base)\(sub)\(sup)</\(under)>"
        case let (sub?, nil): scripted = "<\(over.0)>\(base)\(sub)</\(over.0)>"
        case let (nil, sup?): scripted = "<\(over.1)>\(base)\(sup)</\(over.1)>"
        default: scripted = base
        }
        return applies ? scripted + application : scripted
    }

    /// One argument: a group or a single atom, wrapped as one element.
    mutating func parseArgument() throws(Failure) -> String {
        skipSpaces()
        guard let scalar = peek() else { throw Failure(message: "a '^', '_' or command is missing its argument") }
        if scalar == "{" {
            position += 1
            let inner = try parseExpression(until: "}")
            position += 1
            return "<mrow>\(inner)</mrow>"
        }
        if scalar.properties.numericType != nil {
            position += 1
            return "<mn>\(scalar)</mn>"
        }
        return try parseAtom().0
    }

    /// The raw text of a `{…}` group (for `\text`, environment names).
    mutating func parseRawGroup() throws(Failure) -> String {
        skipSpaces()
        guard peek() == "{" else { throw Failure(message: "expected '{'") }
        position += 1
        var depth = 1, text = ""
        while let scalar = peek() {
            position += 1
            if scalar == "{" { depth += 1 }
            if scalar == "}" { depth -= 1; if depth == 0 { return text } }
            text.unicodeScalars.append(scalar)
        }
        throw Failure(message: "a '{' is never closed")
    }

    mutating func parseAtom() throws(Failure) -> (String, Bool) {
        guard depth < Parser.maxDepth else {
            throw Failure(message: "the formula nests more than \(Parser.maxDepth) levels deep; simplify it")
        }
        depth += 1
        defer { depth -= 1 }
        guard let scalar = peek() else { throw Failure(message: "unexpected end of formula") }
        position += 1
        switch scalar {
        case "{":
            let inner = try parseExpression(until: "}")
            position += 1
            return ("<mrow>\(inner)</mrow>", false)
        case "\\":
            return try parseCommand()
        case "0"..."9", ".":
            var number = String(scalar)
            while let next = peek(), ("0"..."9").contains(next) || (next == "." && number.last != ".") {
                number.unicodeScalars.append(next)
                position += 1
            }
            return ("<mn>\(number)</mn>", false)
        case "&":
            throw Failure(message: "'&' is only allowed inside cases or a matrix")
        case "<": return ("<mo>&lt;</mo>", false)
        case ">": return ("<mo>&gt;</mo>", false)
        case "+", "-", "=", "(", ")", "[", "]", "|", "/", ",", ";", ":", "!", "*", "?":
            let text = scalar == "-" ? "−" : scalar == "*" ? "∗" : String(scalar)
            return ("<mo>\(text)</mo>", false)
        case "^", "_":
            throw Failure(message: "'\(scalar)' has nothing before it")
        case "~":
            return ("<mspace width=\"0.25em\"/>", false)
        default:
            if scalar.properties.isAlphabetic {
                return ("<mi>\(HTMLWriter.escape(String(scalar)))</mi>", false)
            }
            return ("<mo>\(HTMLWriter.escape(String(scalar)))</mo>", false)
        }
    }

    mutating func parseCommand() throws(Failure) -> (String, Bool) {
        guard let first = peek() else { throw Failure(message: "a formula ends with '\\'") }
        var name = ""
        if first.properties.isAlphabetic {
            while let scalar = peek(), scalar.properties.isAlphabetic, scalar.isASCII {
                name.unicodeScalars.append(scalar)
                position += 1
            }
        } else {
            name = String(first)
            position += 1
        }
        if let symbol = Parser.greek[name] {
            return ("<mi>\(symbol)</mi>", false)
        }
        if let width = Parser.spaces[name] {
            return ("<mspace width=\"\(width)\"/>", false)
        }
        if let symbol = Parser.operators[name] {
            if Parser.largeOperators.contains(name) {
                return ("<mo largeop=\"true\" movablelimits=\"true\">\(symbol)</mo>", true)
            }
            return ("<mo>\(symbol)</mo>", false)
        }
        if Parser.functions.contains(name) {
            return ("<mi>\(name)</mi><mo>&#x2061;</mo>", name == "max" || name == "min" || name == "lim" || name == "sup" || name == "inf" || name == "argmax" || name == "argmin")
        }
        if let mark = Parser.accents[name] {
            let base = try parseArgument()
            return ("<mover accent=\"true\">\(base)<mo stretchy=\"false\">\(mark)</mo></mover>", false)
        }
        switch name {
        case "frac", "dfrac", "tfrac":
            let numerator = try parseArgument()
            let denominator = try parseArgument()
            return ("<mfrac>\(numerator)\(denominator)</mfrac>", false)
        case "sqrt":
            skipSpaces()
            if peek() == "[" {
                position += 1
                var index = ""
                while let scalar = peek(), scalar != "]" { index.unicodeScalars.append(scalar); position += 1 }
                guard peek() == "]" else { throw Failure(message: "'\\sqrt[' is never closed with ']'") }
                position += 1
                var inner = Parser(Array(index.unicodeScalars), depth: depth)
                let root = try inner.parseExpression(until: nil)
                return ("<mroot>\(try parseArgument())<mrow>\(root)</mrow></mroot>", false)
            }
            return ("<msqrt>\(try parseArgument())</msqrt>", false)
        case "text", "textrm", "mbox", "textit", "textbf":
            let text = try parseRawGroup()
            let variant = name == "textit" ? " mathvariant=\"italic\"" : name == "textbf" ? " mathvariant=\"bold\"" : ""
            return ("<mtext\(variant)>\(HTMLWriter.escape(text))</mtext>", false)
        case "mathrm", "operatorname":
            return ("<mi mathvariant=\"normal\">\(HTMLWriter.escape(try parseRawGroup()))</mi>", false)
        case "mathbf", "boldsymbol":
            return ("<mi mathvariant=\"bold\">\(HTMLWriter.escape(try parseRawGroup()))</mi>", false)
        case "mathbb":
            return ("<mi mathvariant=\"double-struck\">\(HTMLWriter.escape(try parseRawGroup()))</mi>", false)
        case "mathcal":
            return ("<mi mathvariant=\"script\">\(HTMLWriter.escape(try parseRawGroup()))</mi>", false)
        case "left":
            let open = try parseDelimiter()
            let inner = try parseExpression(until: nil)
            guard lookingAtCommand("right") else { throw Failure(message: "'\\left' has no matching '\\right'") }
            position += "\\right".unicodeScalars.count
            let close = try parseDelimiter()
            return ("<mrow>\(fence(open))\(inner)\(fence(close))</mrow>", false)
        case "right":
            throw Failure(message: "'\\right' has no matching '\\left'")
        case "begin":
            return (try parseEnvironment(try parseRawGroup()), false)
        case "end":
            throw Failure(message: "'\\end' has no matching '\\begin'")
        case "\\":
            throw Failure(message: "'\\\\' (a new row) is only allowed inside cases or a matrix")
        default:
            throw Failure(message: "unsupported TeX command '\\\(name)'")
        }
    }

    func fence(_ delimiter: String) -> String {
        delimiter.isEmpty ? "" : "<mo fence=\"true\" stretchy=\"true\">\(delimiter)</mo>"
    }

    mutating func parseDelimiter() throws(Failure) -> String {
        skipSpaces()
        guard let scalar = peek() else { throw Failure(message: "'\\left' or '\\right' is missing its delimiter") }
        position += 1
        switch scalar {
        case ".": return ""
        case "(", ")", "[", "]", "|", "/": return String(scalar)
        case "<": return "⟨"
        case ">": return "⟩"
        case "\\":
            var name = ""
            while let next = peek(), next.properties.isAlphabetic || (name.isEmpty && (next == "{" || next == "}" || next == "|")) {
                name.unicodeScalars.append(next)
                position += 1
                if next == "{" || next == "}" || next == "|" { break }
            }
            switch name {
            case "{", "lbrace": return "{"
            case "}", "rbrace": return "}"
            case "|", "Vert": return "‖"
            case "langle": return "⟨"
            case "rangle": return "⟩"
            case "lvert", "rvert", "vert": return "|"
            case "lfloor": return "⌊"
            case "rfloor": return "⌋"
            case "lceil": return "⌈"
            case "rceil": return "⌉"
            default: throw Failure(message: "unsupported delimiter '\\\(name)'")
            }
        default:
            throw Failure(message: "unsupported delimiter '\(scalar)'")
        }
    }

    mutating func parseEnvironment(_ name: String) throws(Failure) -> String {
        let fences: [String: (String, String)] = [
            "cases": ("{", ""), "matrix": ("", ""), "pmatrix": ("(", ")"), "bmatrix": ("[", "]"),
            "vmatrix": ("|", "|"), "Bmatrix": ("{", "}"), "aligned": ("", ""), "array": ("", ""),
        ]
        guard let (open, close) = fences[name] else {
            throw Failure(message: "unsupported environment '\(name)'")
        }
        if name == "array" { _ = try parseRawGroup() }
        var rows: [[String]] = [[]]
        while true {
            let cell = try parseExpression(until: nil, inTable: true)
            rows[rows.count - 1].append(cell)
            if peek() == "&" {
                position += 1
            } else if lookingAt("\\\\") {
                position += 2
                rows.append([])
            } else if lookingAtCommand("end") {
                position += "\\end".unicodeScalars.count
                let ending = try parseRawGroup()
                guard ending == name else { throw Failure(message: "'\\begin{\(name)}' is closed by '\\end{\(ending)}'") }
                break
            } else if atEnd {
                throw Failure(message: "'\\begin{\(name)}' has no '\\end{\(name)}'")
            } else {
                throw Failure(message: "unexpected '\\right' inside '\\begin{\(name)}'")
            }
        }
        if rows.count > 1, rows.last == [""] { rows.removeLast() }
        let align = name == "cases" || name == "aligned" ? " columnalign=\"left\"" : ""
        let table = rows.map { row in
            "<mtr>" + row.map { "<mtd\(align)>\($0)</mtd>" }.joined() + "</mtr>"
        }.joined()
        return "<mrow>\(fence(open))<mtable\(align)>\(table)</mtable>\(fence(close))</mrow>"
    }
}
