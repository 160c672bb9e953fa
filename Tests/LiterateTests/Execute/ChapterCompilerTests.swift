import Testing
@testable import Literate

/// Reading what swiftc says, without running swiftc.
@Suite struct ChapterCompilerTests {
    @Test(arguments: [
        ("legend/03-rnn.md:42:5: error: cannot find 'lstm' in scope",
         Diagnostic(.error, "cannot find 'lstm' in scope", file: "legend/03-rnn.md", line: 42, column: 5)),
        ("/tmp/x/main.swift:7:1: warning: variable 'x' was never used",
         Diagnostic(.warning, "variable 'x' was never used", file: "/tmp/x/main.swift", line: 7, column: 1)),
        ("C:/odd: path/b.md:3:9: note: did you mean 'y'?",
         Diagnostic(.note, "did you mean 'y'?", file: "C:/odd: path/b.md", line: 3, column: 9)),
    ])
    func aDiagnosticLineIsRead(line: String, expected: Diagnostic) {
        #expect(ChapterCompiler.parseDiagnostic(Substring(line)) == expected)
    }

    @Test(arguments: ["error: emit-module command failed with exit code 1", "  |  `- error: x", "b.md:x:1: error: y", ""])
    func otherLinesAreNot(line: String) {
        #expect(ChapterCompiler.parseDiagnostic(Substring(line)) == nil)
    }
}
