import Foundation
import NotebookCore

/// Chapter results stored by content. The key covers everything a result depends on: the
/// tangled program (code, seed, file path), the block options, the runtime's fingerprint
/// (engine and notebook sources, compiler), the timeout and the contents of declared inputs.
/// An entry stores its whole key and is only served when that matches exactly.
public struct ResultCache: Sendable {
    public let directory: String
    static let format = "legend-result-cache 2"

    public init(directory: String) {
        self.directory = directory
    }

    /// A cache key in two parts: what the chapter is (its program, options and inputs), and
    /// that plus the runtime it ran on. Runs are stored under the whole key; the chapter part
    /// finds the latest result for drafts and frozen builds, which do not run anything.
    struct Key: Sendable {
        let content: String
        let full: String
    }

    /// The key of `chapter`; throws if a declared input is missing, or is not a regular file
    /// inside the book. `environment` is `legend`'s own, for the chapter's `env:` variables.
    static func key(for chapter: ParsedChapter, program: TangledProgram, runtimeFingerprint: String?,
                    bookDirectory: String, environment: [String: String] = [:]) throws(Diagnostic) -> Key {
        let frontMatter = chapter.chapter.frontMatter
        var key = [format, "timeout: \(frontMatter.timeout)"]
        if let memory = frontMatter.memory { key.append("memory: \(memory)") }
        key += ChapterEnvironment.keyLines(for: frontMatter, host: environment)
        for block in chapter.blocks {
            key.append("block \(block.number): \(block.options.runKey) eval-problems: \(chapter.blockProblems[block.number]?.description ?? "none")")
        }
        let root = RealPath.of(bookDirectory)
        for input in frontMatter.inputs.sorted() {
            let path = bookDirectory + "/" + input
            let data: Data
            switch ContainedFile.read(path, inside: root) {
            case .success(let contents): data = contents
            case .failure(let refusal):
                let line = chapter.chapter.source.lines.firstIndex { $0.hasPrefix("inputs:") }.map { $0 + 1 }
                let advice = refusal == .missing ? "fix the path in 'inputs:' or add the file" : "name a regular file inside the book in 'inputs:'"
                throw .error("declared input '\(input)' \(refusal.reason) (looked for \(path)); \(advice)",
                             file: chapter.chapter.path, line: line)
            }
            var hash = Hash()
            hash.combine(data)
            key.append("input \(input): \(hash.hex)")
        }
        key.append("program:\n" + program.source)
        let content = key.joined(separator: "\n")
        return Key(content: content, full: "runtime: \(runtimeFingerprint ?? "none")\n" + content)
    }

    private struct Entry: Codable {
        let key: String
        /// Where each block started when the result was made.
        let blockLines: [Int]
        let result: ChapterResult
    }

    private func file(for key: String) -> String { directory + "/" + Hash.hex(key) + ".json" }
    private func latestFile(for content: String) -> String { directory + "/latest-" + Hash.hex(content) + ".json" }

    /// The result stored for `key` — for the same runtime, or with `anyRuntime` the latest one
    /// for this chapter's content — or nil. A damaged entry counts as missing. Line numbers in
    /// its messages follow the blocks to where they are now (prose edits move them).
    func lookup(_ key: Key, chapter: ParsedChapter, anyRuntime: Bool = false) -> ChapterResult? {
        let path = anyRuntime ? latestFile(for: key.content) : file(for: key.full)
        guard let data = FileManager.default.contents(atPath: path),
              let entry = try? ChannelRecord.makeDecoder().decode(Entry.self, from: data),
              anyRuntime ? entry.key.hasSuffix("\n" + key.content) : entry.key == key.full,
              entry.blockLines.count == chapter.blocks.count else { return nil }
        let lines = chapter.blocks.map(\.startLine)
        guard entry.blockLines != lines else { return entry.result }
        return ResultCache.relocate(entry.result, from: entry.blockLines, to: lines, path: chapter.chapter.path)
    }

    /// Stores a result whole or not at all (written aside, then renamed into place).
    func store(_ result: ChapterResult, for key: Key, chapter: ParsedChapter) {
        // The side channel's coder: it keeps NaN and infinities, which results may hold.
        let encoder = ChannelRecord.makeEncoder()
        guard let data = try? encoder.encode(Entry(key: key.full, blockLines: chapter.blocks.map(\.startLine), result: result)) else { return }
        try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try? data.write(to: URL(fileURLWithPath: file(for: key.full)), options: .atomic)
        try? data.write(to: URL(fileURLWithPath: latestFile(for: key.content)), options: .atomic)
    }

    /// Moves the line of every diagnostic in `result` about `path` from the old block positions
    /// to the new ones.
    static func relocate(_ result: ChapterResult, from old: [Int], to new: [Int], path: String) -> ChapterResult {
        func shift(_ diagnostic: Diagnostic) -> Diagnostic {
            guard diagnostic.file == path, let line = diagnostic.line,
                  let block = old.lastIndex(where: { $0 <= line }) else { return diagnostic }
            var moved = diagnostic
            moved.line = line + new[block] - old[block]
            return moved
        }
        var moved = result
        for index in moved.blocks.indices {
            moved.blocks[index].failure = moved.blocks[index].failure.map(shift)
        }
        moved.diagnostics = moved.diagnostics.map(shift)
        return moved
    }
}
