import Foundation
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

/// The driver's jobs, learnt once and then run directly (see `CompilerJobs`).
@Suite struct CompilerJobsTests {
    @Test func theJobsOfAChapterCompileAreLearntFromTheDriver() throws {
        let compiler = try Compiler.find()
        let folder = NSTemporaryDirectory() + "legend-jobs-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let jobs = try #require(CompilerJobs.jobs(compiler: compiler.path,
                                                  arguments: ["-Onone", CompilerJobs.source, "-o", CompilerJobs.binary], folder: folder))
        #expect(jobs.frontend.contains(CompilerJobs.source))
        #expect(jobs.link.contains(CompilerJobs.binary))
        // Run directly, they build a program that runs, in a folder of the run's own.
        try "print(\"direct\")\n".write(toFile: folder + "/main.swift", atomically: true, encoding: .utf8)
        let outcome = try #require(jobs.run(source: folder + "/main.swift", binary: folder + "/chapter", folder: folder,
                                            programImports: [], log: folder + "/log", timeout: 120, cancellation: nil))
        #expect(outcome.termination == .exited(0))
        #expect(FileManager.default.isExecutableFile(atPath: folder + "/chapter"))
    }

    @Test func theImportsAreWhatTheAutolinkStepDependsOn() {
        #expect(CompilerJobs.imports(of: "import Foundation\nlet x = 1\n  import Glibc\n@_exported import A\nimport Foundation\n")
            == ["@_exported import A", "import Foundation", "import Glibc"])
    }
}
