#if canImport(Glibc)
import Glibc
#endif
import Foundation
import NotebookCore

/// Chapter results stored by content. The key covers everything a result depends on: the
/// tangled program (code, seed, file path), the block options, the runtime's fingerprint
/// (engine and notebook sources, compiler), the timeout and the contents of declared inputs.
/// An entry stores its whole key and is only served when that matches exactly.
public struct ResultCache: Sendable {
    public let directory: String
    static let format = "legend-result-cache 4"

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
    /// With `only`, the key of those blocks of the chapter (a checkpoint's: the blocks up to it).
    static func key(for chapter: ParsedChapter, program: TangledProgram, runtimeFingerprint: String?,
                    bookDirectory: String, environment: [String: String] = [:], only: Set<Int>? = nil) throws(Diagnostic) -> Key {
        let frontMatter = chapter.chapter.frontMatter
        var key = [format, "timeout: \(frontMatter.timeout)"]
        if let memory = frontMatter.memory { key.append("memory: \(memory)") }
        key += ChapterEnvironment.keyLines(for: frontMatter, host: environment)
        // With `only`, blocks are named by their place among those (see `Tangler.tangle(positional:)`).
        for (position, block) in chapter.allBlocks.filter({ only?.contains($0.number) ?? true }).enumerated() {
            key.append("block \(only == nil ? block.number : position + 1): \(block.options.runKey) eval-problems: \(chapter.blockProblems[block.number]?.description ?? "none")")
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
        /// The chapter's path as the run that made the result named it, in its messages.
        let chapter: String
        /// Where each block started when the result was made.
        let blockLines: [Int]
        /// When the run ended (seconds since 1970), to choose among runtimes.
        let made: Double
        let result: ChapterResult
    }

    /// `results/<content>/<whole key>.json`: a chapter's entries for every runtime it ran on
    /// sit in one folder, so drafts and frozen builds find them without an index.
    private func folder(for key: Key) -> String { directory + "/" + Hash.hex(key.content) }
    private func file(for key: Key) -> String { folder(for: key) + "/" + Hash.hex(key.full) + ".json" }

    private func entry(at path: String) -> Entry? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return try? ChannelRecord.makeDecoder().decode(Entry.self, from: data)
    }

    /// The result stored for `key` — for the same runtime, or with `anyRuntime` the one of this
    /// runtime if there is one, else the newest of any runtime for this chapter's content — or
    /// nil. A damaged entry counts as missing. Line numbers in its messages follow the blocks to
    /// where they are now (prose edits move them).
    func lookup(_ key: Key, chapter: ParsedChapter, anyRuntime: Bool = false) -> ChapterResult? {
        var found = entry(at: file(for: key)).flatMap { $0.key == key.full ? $0 : nil }
        if found == nil && anyRuntime {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder(for: key))) ?? []
            found = names.sorted().compactMap { entry(at: folder(for: key) + "/" + $0) }
                .filter { $0.key.hasSuffix("\n" + key.content) }
                .max { ($0.made, $0.key) < ($1.made, $1.key) }
        }
        guard let found, found.blockLines.count == chapter.allBlocks.count else { return nil }
        let lines = chapter.allBlocks.map(\.startLine)
        guard found.blockLines != lines || found.chapter != chapter.chapter.path else { return found.result }
        return ResultCache.relocate(found.result, from: found.blockLines, to: lines, path: found.chapter, now: chapter.chapter.path)
    }

    /// Stores a result whole or not at all (written aside, then linked into place). An entry,
    /// once there, is never replaced (unless it is damaged): every file of the cache is named by
    /// what it was computed from, so cache folders of several machines merge by copying.
    func store(_ result: ChapterResult, for key: Key, chapter: ParsedChapter, seconds: Double) {
        // The side channel's coder: it keeps NaN and infinities, which results may hold.
        let encoder = ChannelRecord.makeEncoder()
        let made = Date().timeIntervalSince1970.rounded()
        guard let data = try? encoder.encode(Entry(key: key.full, chapter: chapter.chapter.path, blockLines: chapter.allBlocks.map(\.startLine),
                                                  made: made, result: result)) else { return }
        let path = file(for: key)
        if entry(at: path)?.key != key.full { ResultCache.create(path, data, replacingDamaged: true) }
        let timing = Timing(chapter: chapter.chapter.fileName, seconds: seconds, made: made)
        if let data = try? JSONEncoder().encode(timing) {
            ResultCache.create(timingsFolder(for: chapter.chapter.fileName) + "/" + Hash.hex(key.full) + ".json", data, replacingDamaged: false)
        }
    }

    /// Writes `data` to `path` unless a file is there already (or, with `replacingDamaged`,
    /// replaces what is there): written aside, then linked or renamed into place, so a reader
    /// never sees half a file.
    private static func create(_ path: String, _ data: Data, replacingDamaged: Bool) {
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let aside = folder + "/.writing-\(getpid())-\(UUID().uuidString)"
        guard (try? data.write(to: URL(fileURLWithPath: aside))) != nil else { return }
        defer { unlink(aside) }
        if link(aside, path) != 0 && errno == EEXIST && replacingDamaged { rename(aside, path) }
    }

    // MARK: Run times

    /// How long a chapter took the last time it ran, for `--shard` to balance its jobs:
    /// `timings/<chapter path>/<whole key>.json`, one immutable file per run.
    struct Timing: Codable {
        let chapter: String
        let seconds: Double
        let made: Double
    }

    private var timingsFolder: String { (directory as NSString).deletingLastPathComponent + "/timings" }
    private func timingsFolder(for chapterPath: String) -> String { timingsFolder + "/" + Hash.hex(chapterPath) }

    /// The run time of the chapter named `chapterPath` in its book (`Chapter.fileName`)
    /// measured last, or nil.
    func lastSeconds(ofChapter chapterPath: String) -> Double? {
        let folder = timingsFolder(for: chapterPath)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
        return names.sorted().compactMap { name -> Timing? in
            guard let data = FileManager.default.contents(atPath: folder + "/" + name) else { return nil }
            return try? JSONDecoder().decode(Timing.self, from: data)
        }
        .filter { $0.chapter == chapterPath }
        .max { ($0.made, $0.seconds) < ($1.made, $1.seconds) }?.seconds
    }

    /// Moves every diagnostic in `result` about `path` from the old block positions to the new
    /// ones, and to the chapter's path as it is named `now` (from where the command was typed).
    static func relocate(_ result: ChapterResult, from old: [Int], to new: [Int], path: String, now: String? = nil) -> ChapterResult {
        func shift(_ diagnostic: Diagnostic) -> Diagnostic {
            guard diagnostic.file == path else { return diagnostic }
            var moved = diagnostic
            moved.file = now ?? path
            guard let line = diagnostic.line, let block = old.lastIndex(where: { $0 <= line }) else { return moved }
            moved.line = line + new[block] - old[block]
            return moved
        }
        var moved = result
        for index in moved.blocks.indices {
            moved.blocks[index].failure = moved.blocks[index].failure.map(shift)
            moved.blocks[index].claims = moved.blocks[index].claims.map { claim in
                let place = shift(Diagnostic(.note, "", file: claim.file, line: claim.line))
                var claim = claim
                claim.file = place.file ?? claim.file
                claim.line = place.line ?? claim.line
                return claim
            }
        }
        moved.diagnostics = moved.diagnostics.map(shift)
        return moved
    }
}
