import Foundation
import Testing
@testable import Literate

/// The execution policy, one case per line of `Executor.plan`.
@Suite struct ExecutorTests {
    @Test func thePolicy() throws {
        let book = try TemporaryBook(["01-a.md": "```swift-run\nprint(1)\n```\n"])
        defer { book.remove() }
        let chapter = try parse("```swift-run\nprint(1)\n```\n")
        let runtime = Runtime(directory: "/nowhere", includeDirectories: [], fingerprint: "engine-1",
                              compiler: Compiler(path: "/usr/bin/false", identity: "swiftc 0"))
        let cache = ResultCache(directory: book.folder + "/cache/results")
        let key = try ResultCache.key(for: chapter, program: Tangler().tangle(chapter, lineNeutral: true),
                                      runtimeFingerprint: "engine-1", bookDirectory: book.book)
        func plan(_ execution: BuildOptions.Execution, useCache: Bool = true, runtime: Runtime? = nil) -> String {
            var options = book.options
            options.execution = execution
            options.useCache = useCache
            switch Executor(options: options, log: { _ in }).plan(key, chapter: chapter, cache: cache, runtime: runtime) {
            case .cached: return "cached"
            case .run: return "run"
            case .notRun: return "not run"
            case .missing: return "missing"
            }
        }
        #expect(plan(.run, runtime: runtime) == "run")
        #expect(plan(.draft) == "not run")
        #expect(plan(.frozen) == "missing")
        cache.store(ChapterResult(blocks: [BlockResult(status: .ran)]), for: key, chapter: chapter, seconds: 1)
        #expect(plan(.run, runtime: runtime) == "cached")
        #expect(plan(.run, useCache: false, runtime: runtime) == "run")
        #expect(plan(.draft) == "cached")
        #expect(plan(.frozen) == "cached")
    }

    @Test func parallelMapKeepsOrderAndBound() {
        let running = Locked((now: 0, most: 0))
        let squares = Array(0..<40).parallelMap(width: 3) { value -> Int in
            running.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
            usleep(2_000)
            running.withLock { $0.now -= 1 }
            return value * value
        }
        #expect(squares == (0..<40).map { $0 * $0 })
        #expect(running.withLock { $0.most } <= 3)
    }
}
