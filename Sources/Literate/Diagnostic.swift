/// A problem found in a book, printed the way compilers print them so editors can jump to it:
/// `legend/03-rnn.md:42:5: error: cannot find 'lstm' in scope`.
public struct Diagnostic: Error, Codable, Sendable, Equatable, CustomStringConvertible {
    public enum Severity: String, Codable, Sendable { case error, warning, note }

    public var severity: Severity
    public var file: String?
    public var line: Int?
    public var column: Int?
    public var message: String
    /// Lines shown under the diagnostic, as the compiler prints them: the source line and a caret.
    public var excerpt: [String] = []

    public init(_ severity: Severity, _ message: String, file: String? = nil, line: Int? = nil, column: Int? = nil,
                excerpt: [String] = []) {
        self.severity = severity
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        self.excerpt = excerpt
    }

    public static func error(_ message: String, file: String? = nil, line: Int? = nil, column: Int? = nil) -> Diagnostic {
        Diagnostic(.error, message, file: file, line: line, column: column)
    }

    public static func warning(_ message: String, file: String? = nil, line: Int? = nil, column: Int? = nil) -> Diagnostic {
        Diagnostic(.warning, message, file: file, line: line, column: column)
    }

    public var location: String {
        guard let file else { return "" }
        var text = file
        if let line {
            text += ":\(line)"
            if let column { text += ":\(column)" }
        }
        return text
    }

    public var description: String {
        let location = self.location
        return (location.isEmpty ? "" : location + ": ") + "\(severity.rawValue): \(message)"
    }

    /// The description and the excerpt under it.
    public var text: String { ([description] + excerpt).joined(separator: "\n") }
}
