import Foundation
import Testing

/// `--shard K/N`, caches merged by copying, and `--frozen`: a book built as a CI matrix.
@Suite struct ScaleOutTests {
    let cli = CommandLineTests()

    /// Every regular file under `folder`, by relative path.
    func files(_ folder: String) -> [String: Data] {
        var found: [String: Data] = [:]
        for case let name as String in FileManager.default.enumerator(atPath: folder)! {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue {
                found[name] = FileManager.default.contents(atPath: folder + "/" + name)
            }
        }
        return found
    }

    /// `cp -R from/. into/`, as a user merges cache folders.
    func copy(_ from: String, into: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/cp")
        process.arguments = ["-R", from + "/.", into + "/"]
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
    }

    func writeBook(_ folder: String) throws {
        try FileManager.default.createDirectory(atPath: folder + "/book", withIntermediateDirectories: true)
        try "title: Shards\n".write(toFile: folder + "/book/book.yml", atomically: true, encoding: .utf8)
        for (index, name) in ["alpha", "beta", "gamma", "delta", "epsilon"].enumerated() {
            let chapter = "# \(name)\n\n```swift-run\nlet x = Tensor([\(index + 1).0, 2.0], requiresGrad: true)\nlet y = (x * x).sum()\ny.backward()\nprint(\"\(name)\", x.grad!)\n```\n"
            try chapter.write(toFile: folder + "/book/0\(index + 1)-\(name).md", atomically: true, encoding: .utf8)
        }
        try "# Prose only\n\nNothing runs here.\n".write(toFile: folder + "/book/06-prose.md", atomically: true, encoding: .utf8)
    }

    @Test func twoShardsMergedByCopyingWeaveTheSiteAPlainBuildWeaves() async throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try writeBook(folder)
        let cli = self.cli
        let (first, second) = try await offThePool {
            (try cli.legend(["build", "book", "--shard", "1/2", "--cache", "cache-1"], in: folder),
             try cli.legend(["build", "book", "--shard", "2/2", "--cache", "cache-2"], in: folder))
        }
        #expect(first.status == 0 && second.status == 0, "\(first.stderr)\n\(second.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/output"), "a shard writes no site")
        // Each chapter with blocks ran in exactly one shard; the prose-only chapter in none.
        for name in ["alpha", "beta", "gamma", "delta", "epsilon"] {
            let ran = [first, second].filter { $0.stderr.contains("ran      book/0") && $0.stderr.contains("-\(name).md") }.count
            #expect(ran == 1, "\(name): \(first.stderr)\n\(second.stderr)")
        }
        #expect(first.stderr.contains("shard 1/2: 3 of 5 chapters") && second.stderr.contains("shard 2/2: 2 of 5 chapters"), "\(first.stderr)\n\(second.stderr)")

        try FileManager.default.createDirectory(atPath: folder + "/merged", withIntermediateDirectories: true)
        try copy(folder + "/cache-1", into: folder + "/merged")
        try copy(folder + "/cache-2", into: folder + "/merged")
        let frozen = try await offThePool { try cli.legend(["build", "book", "--frozen", "--cache", "merged", "-o", "frozen-site"], in: folder) }
        #expect(frozen.status == 0, "\(frozen.stderr)")
        let plain = try await offThePool { try cli.legend(["build", "book", "--cache", "plain-cache", "-o", "plain-site"], in: folder) }
        #expect(plain.status == 0, "\(plain.stderr)")
        let woven = files(folder + "/frozen-site")
        #expect(woven == files(folder + "/plain-site"), "the frozen site equals a plain build byte for byte")
        #expect(String(decoding: woven["01-alpha.md"] ?? Data(), as: UTF8.self).contains("alpha tensor([2., 4.], shape: [2])"))

        // A frozen build with a shard's cache alone names what the other shard ran.
        let partial = try await offThePool { try cli.legend(["build", "book", "--frozen", "--cache", "cache-1", "-o", "partial"], in: folder) }
        #expect(partial.status == 1)
        #expect(partial.stderr.contains("results are not in the cache, and a frozen build runs nothing"), "\(partial.stderr)")
    }

    @Test func cacheEntriesAreNeverRewrittenSoCopiesMergeWithoutConflict() async throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try writeBook(folder)
        let cli = self.cli
        let first = try await offThePool { try cli.legend(["build", "book", "--cache", "cache", "-o", "site"], in: folder) }
        #expect(first.status == 0, "\(first.stderr)")
        let before = files(folder + "/cache").filter { $0.key.hasPrefix("results/") || $0.key.hasPrefix("timings/") }
        #expect(before.keys.filter { $0.hasPrefix("results/") }.count == 5)
        #expect(before.keys.filter { $0.hasPrefix("timings/") }.count == 5)
        // Run everything again: the entries of the same keys stay as they were, byte for byte;
        // the second run's time is filed beside the first, under a name of its own.
        let again = try await offThePool { try cli.legend(["build", "book", "--no-cache", "--cache", "cache", "-o", "site"], in: folder) }
        #expect(again.status == 0, "\(again.stderr)")
        let after = files(folder + "/cache").filter { $0.key.hasPrefix("results/") }
        #expect(after == before.filter { $0.key.hasPrefix("results/") })
        // An edited chapter gets an entry of its own; the old one stays.
        try "# alpha\n\n```swift-run\nprint(\"edited\")\n```\n".write(toFile: folder + "/book/01-alpha.md", atomically: true, encoding: .utf8)
        let edited = try await offThePool { try cli.legend(["build", "book", "--cache", "cache", "-o", "site"], in: folder) }
        #expect(edited.status == 0, "\(edited.stderr)")
        let now = files(folder + "/cache").filter { $0.key.hasPrefix("results/") }
        #expect(now.count == 6 && before.filter { $0.key.hasPrefix("results/") }.allSatisfy { now[$0.key] == $0.value })
    }

    @Test func shardOptionsAreChecked() throws {
        for (arguments, message) in [
            (["build", "--shard", "3/2"], "--shard takes K/N with 1 ≤ K ≤ N, such as 2/4, not '3/2'."),
            (["build", "--shard", "x"], "--shard takes K/N with 1 ≤ K ≤ N, such as 2/4, not 'x'."),
            (["build", "--shard", "1/2", "--frozen"], "--shard runs chapters, and --frozen runs none; pass one."),
            (["build", "--shard", "1/2", "-o", "site"], "--shard writes no site, so --output has no use; drop it."),
        ] {
            let run = try cli.legend(arguments)
            #expect(run.status != 0)
            #expect(run.stderr.contains(message), "\(arguments): \(run.stderr)")
        }
    }

    @Test func theCacheIsTheBooksWhereverTheCommandIsTyped() async throws {
        let folder = try cli.temporaryFolder()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try writeBook(folder)
        try FileManager.default.createDirectory(atPath: folder + "/book/notes", withIntermediateDirectories: true)
        let cli = self.cli
        let fromAbove = try await offThePool { try cli.legend(["build", "book", "-o", "site"], in: folder) }
        #expect(fromAbove.status == 0, "\(fromAbove.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder + "/book/.legend-cache/CACHEDIR.TAG"))
        // From inside the book, the chapters are named differently but their results are the same.
        let fromInside = try await offThePool { try cli.legend(["build", "-o", "../../site"], in: folder + "/book/notes") }
        #expect(fromInside.status == 0, "\(fromInside.stderr)")
        #expect(fromInside.stderr.contains("Built 6 chapters (0 ran, 5 cached, 1 without blocks)"), "\(fromInside.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder + "/book/notes/.legend-cache"))
        let clean = try cli.legend(["clean"], in: folder + "/book/notes")
        #expect(clean.status == 0 && !FileManager.default.fileExists(atPath: folder + "/book/.legend-cache"), "\(clean.stderr)")
    }
}
