import Foundation

/// The compiler step: a chapter's tangled program compiled against the runtime with `swiftc`,
/// and what the compiler said, attributed to the blocks (compile errors point into the
/// Markdown through `#sourceLocation`).
struct ChapterCompiler: Sendable {
    let runtime: Runtime
    /// Seconds the compiler may take: the chapter's `timeout:` is for running, and a loaded
    /// machine must not turn a slow compile into a failure.
    var timeout: Double = 600
    /// Stops the compiler when cancelled.
    var cancellation: Cancellation?

    struct Compilation {
        struct BlockErrors {
            /// The errors, for the build's log.
            var diagnostics: [Diagnostic] = []
            /// The errors and their notes with the compiler's excerpts, for the block's page.
            var shown: [Diagnostic] = []
        }
        var succeeded: Bool
        var diagnostics: [Diagnostic]
        var errorsByBlock: [Int: BlockErrors]
        var unattributed: String
        var seconds: Double
    }

    func compile(_ program: TangledProgram, chapter: ParsedChapter, in folder: String) -> Compilation {
        let source = folder + "/main.swift"
        let binary = folder + "/chapter"
        try? FileManager.default.removeItem(atPath: binary)
        do {
            try program.source.write(toFile: source, atomically: true, encoding: .utf8)
        } catch {
            return Compilation(succeeded: false, diagnostics: [], errorsByBlock: [:],
                               unattributed: "cannot write \(source): \(error.localizedDescription)", seconds: 0)
        }
        // Line tables are all a trap's report needs to name its Markdown line, and lld (when the
        // toolchain has it) links faster: a third off the compile of a small chapter (BENCHMARKS.md).
        var arguments = ["-Onone", "-gline-tables-only", "-swift-version", "5", "-module-name", "Chapter", "-diagnostic-style=llvm",
                         "-I", runtime.directory + "/Modules"]
        if runtime.compiler.hasLLD { arguments.append("-use-ld=lld") }
        for include in runtime.includeDirectories { arguments += ["-I", include] }
        arguments += ["-L", runtime.directory, "-l" + Runtime.libraryName,
                      "-Xlinker", "-rpath", "-Xlinker", runtime.directory, source, "-o", binary]
        let log = folder + "/compile.log"
        var outcome: ChildProcess.Outcome
        // The driver's jobs run directly when they could be learnt (see `CompilerJobs`); through
        // the driver otherwise, or when running them directly did not work.
        let placeholders = arguments.map { $0 == source ? CompilerJobs.source : $0 == binary ? CompilerJobs.binary : $0 }
        if let jobs = CompilerJobs.jobs(compiler: runtime.compiler.path, arguments: placeholders, folder: folder),
           let direct = jobs.run(source: source, binary: binary, folder: folder, programImports: CompilerJobs.imports(of: program.source),
                                 log: log, timeout: timeout, cancellation: cancellation) {
            outcome = direct
        } else {
            do {
                outcome = try ChildProcess(executable: runtime.compiler.path, arguments: arguments,
                                           stdoutPath: log + ".out", stderrPath: log,
                                           timeout: timeout, cancellation: cancellation).run()
            } catch {
                return Compilation(succeeded: false, diagnostics: [], errorsByBlock: [:], unattributed: error.description, seconds: 0)
            }
        }
        let text = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
        var compilation = Compilation(succeeded: outcome.termination == .exited(0), diagnostics: [], errorsByBlock: [:],
                                      unattributed: "", seconds: outcome.seconds)
        if outcome.termination == .timedOut {
            compilation.unattributed = "compiling took longer than \(Int(timeout)) s and was stopped"
            return compilation
        }
        var current: Int?
        var unattributed: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if var diagnostic = ChapterCompiler.parseDiagnostic(line) {
                let block = attribute(&diagnostic, program: program, chapter: chapter)
                ChapterCompiler.nameUnkeptValue(&diagnostic, in: chapter)
                compilation.diagnostics.append(diagnostic)
                current = diagnostic.severity == .warning ? nil : (diagnostic.severity == .note ? current : block)
                if diagnostic.severity == .error {
                    if let block {
                        compilation.errorsByBlock[block, default: .init()].diagnostics.append(diagnostic)
                        compilation.errorsByBlock[block, default: .init()].shown.append(diagnostic)
                    } else {
                        unattributed.append(diagnostic.description)
                    }
                } else if diagnostic.severity == .note, let current, diagnostic.file == chapter.chapter.path {
                    compilation.errorsByBlock[current]?.shown.append(diagnostic)
                }
            } else if let current, !line.isEmpty {
                // The source line and caret that follow a diagnostic.
                if let last = compilation.errorsByBlock[current]?.shown.indices.last {
                    compilation.errorsByBlock[current]?.shown[last].excerpt.append(String(line))
                }
            } else if !line.isEmpty, !compilation.succeeded, line.contains("error") {
                unattributed.append(String(line))
            }
        }
        compilation.unattributed = unattributed.isEmpty
            ? text.split(separator: "\n").suffix(10).joined(separator: "\n")
            : unattributed.joined(separator: "\n")
        if !compilation.succeeded && compilation.errorsByBlock.isEmpty && compilation.unattributed.isEmpty {
            compilation.unattributed = "swiftc ended with \(outcome.termination)"
        }
        return compilation
    }

    /// The compiler's error for a kept value that cannot be saved (see `Checkpoints`) names the
    /// tangler's call; it is located at the name on the `cache:` line, so say the name instead.
    static func nameUnkeptValue(_ diagnostic: inout Diagnostic, in chapter: ParsedChapter) {
        let prefix = "'legendKeep' is unavailable: "
        guard diagnostic.message.hasPrefix(prefix), diagnostic.file == chapter.chapter.path else { return }
        let written = chapter.allBlocks.flatMap(\.options.run.cache)
            .first { chapter.chapter.lineMap.written($0.line) == diagnostic.line && $0.column == diagnostic.column }
        guard let name = written?.name else { return }
        diagnostic.message = "`\(name)` cannot be kept: " + diagnostic.message.dropFirst(prefix.count)
    }

    /// Reads `file:line:col: severity: message`, the compiler's one-line diagnostic form.
    static func parseDiagnostic(_ line: Substring) -> Diagnostic? {
        for severity in [Diagnostic.Severity.error, .warning, .note] {
            guard let marker = line.range(of: ": \(severity.rawValue): ") else { continue }
            let location = line[..<marker.lowerBound].split(separator: ":", omittingEmptySubsequences: false)
            guard location.count >= 3, let lineNumber = Int(location[location.count - 2]),
                  let column = Int(location[location.count - 1]) else { continue }
            let file = location.dropLast(2).joined(separator: ":")
            return Diagnostic(severity, String(line[marker.upperBound...]), file: file, line: lineNumber, column: column)
        }
        return nil
    }

    /// Finds the block a diagnostic belongs to; one reported in the generated framing (an
    /// unbalanced brace) is moved to its block's last line.
    private func attribute(_ diagnostic: inout Diagnostic, program: TangledProgram, chapter: ParsedChapter) -> Int? {
        guard let line = diagnostic.line else { return nil }
        if diagnostic.file == chapter.chapter.path {
            // Inline values share lines with prose and with each other: the column tells them apart.
            let candidates = chapter.allBlocks.filter { $0.codeStartLine <= line && line <= $0.endLine }
            if candidates.count > 1, let column = diagnostic.column {
                return candidates.filter { ($0.inlineColumn ?? 0) <= column }
                    .max { ($0.inlineColumn ?? 0) < ($1.inlineColumn ?? 0) }?.number ?? candidates.first?.number
            }
            return candidates.first?.number
        }
        // Included code is compiled under its own file's name: the error is the include's.
        if let file = diagnostic.file, let inclusion = program.inclusion(file: file, line: line) {
            diagnostic.file = chapter.chapter.path
            diagnostic.line = inclusion.include.line
            diagnostic.column = inclusion.include.column
            diagnostic.message += " (line \(line) of '\(file)', included here)"
            return inclusion.block
        }
        if diagnostic.file?.hasSuffix("/main.swift") == true, let number = program.block(atProgramLine: line),
           let block = chapter.allBlocks.first(where: { $0.number == number }) {
            diagnostic.file = chapter.chapter.path
            diagnostic.line = max(block.codeStartLine, block.endLine - 1)
            diagnostic.column = nil
            return number
        }
        return nil
    }

}
