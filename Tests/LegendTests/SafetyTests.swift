import Foundation
import Testing

/// What `legend` must never do to a user's files (README, "Safety"), tried as a user would: in a
/// project folder of their own, with files that must survive byte for byte.
@Suite struct SafetyTests {
    let cli = CommandLineTests()

    /// A project: a git folder with a book, notes beside it, and a folder of the user's own.
    struct Project {
        let folder: String
        var home: String { folder + "/home" }

        init() throws {
            folder = NSTemporaryDirectory() + "legend-safety-" + UUID().uuidString
            let files = [
                "project/.git/HEAD": "ref: refs/heads/main\n",
                "project/notes.txt": "my notes\n",
                "project/mybook/01-one.md": "# One\n\n```swift-run\nprint(6 * 7)\n```\n",
                "project/mybook/img/figure.txt": "a figure\n",
                "project/docs/guide.md": "# My own docs\n",
                "home/.profile": "export SECRET=1\n",
            ]
            for (name, text) in files {
                let path = folder + "/" + name
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            }
        }

        var project: String { folder + "/project" }

        func remove() { try? FileManager.default.removeItem(atPath: folder) }
    }

    @Test(arguments: [
        (["build", "mybook", "-o", "."], "it is the current folder"),
        (["build", "mybook", "-o", "mybook"], "it is the book folder"),
        (["build", "mybook", "-o", ".."], "it contains the current folder"),
        (["build", "mybook", "-o", "docs"], "it holds files that Legend did not write ('guide.md') and no .legend-site marker"),
        (["build", "mybook", "-o", "mybook/site"], "it is inside the book 'mybook'"),
        (["build", "mybook", "-o", "mybook/img"], "it is inside the book 'mybook'"),
        (["build", "mybook", "-o", "notes.txt"], "it is a file, not a folder"),
        (["build", "mybook", "-o", "HOME"], "it is your home folder"),
        (["build", "mybook", "-o", "/"], "it is the root folder"),
        (["build", "mybook", "-o", "link-to-book"], "it is the book folder"),
        (["serve", "mybook", "-o", ".", "--port", "0"], "it is the current folder"),
        (["serve", "mybook", "-o", "docs", "--port", "0"], "it holds files that Legend did not write"),
    ])
    func anOutputFolderThatHoldsTheUsersFilesIsRefused(arguments: [String], reason: String) throws {
        let project = try Project()
        defer { project.remove() }
        try FileManager.default.createSymbolicLink(atPath: project.project + "/link-to-book", withDestinationPath: project.project + "/mybook")
        let before = GuaranteeTests().tree(project.folder)
        let run = try cli.legend(arguments.map { $0 == "HOME" ? project.home : $0 }, in: project.project,
                                 environment: ["HOME": project.home])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: refusing to write the site into '"), "\(run.stderr)")
        #expect(run.stderr.contains(reason), "\(run.stderr)")
        #expect(run.stderr.split(separator: "\n").count == 1, "one line: \(run.stderr)")
        #expect(GuaranteeTests().tree(project.folder) == before, "every file still there, byte for byte")
    }

    @Test func aSiteLegendBuiltIsReplacedAndAnEmptyFolderIsTaken() throws {
        let project = try Project()
        defer { project.remove() }
        try FileManager.default.createDirectory(atPath: project.project + "/site", withIntermediateDirectories: true)
        for _ in 0..<2 {
            let run = try cli.legend(["build", "mybook", "-o", "site"], in: project.project)
            #expect(run.status == 0, "\(run.stderr)")
        }
        #expect(FileManager.default.fileExists(atPath: project.project + "/site/.legend-site"))
        #expect(try String(contentsOfFile: project.project + "/site/01-one.md", encoding: .utf8).contains("```text\n42\n```"))
        #expect(FileManager.default.fileExists(atPath: project.project + "/notes.txt"))
    }

    @Test func cleanDeletesOnlyALegendCache() throws {
        let project = try Project()
        defer { project.remove() }
        let foreign = project.project + "/data"
        try FileManager.default.createDirectory(atPath: foreign + "/results", withIntermediateDirectories: true)
        try "precious\n".write(toFile: foreign + "/results/run.csv", atomically: true, encoding: .utf8)
        let before = GuaranteeTests().tree(project.folder)
        for cache in ["data", ".", ".."] {
            let run = try cli.legend(["clean", "--cache", cache], in: project.project)
            #expect(run.status == 1, "\(cache)")
            #expect(run.stderr.hasPrefix("error: "), "\(run.stderr)")
        }
        #expect(GuaranteeTests().tree(project.folder) == before)

        let build = try cli.legend(["build", "mybook", "-o", "site"], in: project.project)
        #expect(build.status == 0, "\(build.stderr)")
        #expect(FileManager.default.fileExists(atPath: project.project + "/mybook/.legend-cache/CACHEDIR.TAG"), "the book's cache")
        let clean = try cli.legend(["clean", "mybook"], in: project.project)
        #expect(clean.status == 0, "\(clean.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.project + "/mybook/.legend-cache"))
    }

    /// Two builds and a check of one book at once, started at staggered offsets: each result is
    /// the one its own program printed, whole.
    @Test func concurrentCommandsOnOneBookEachGetTheirOwnResult() async throws {
        try await offThePool { try concurrentCommands() }
    }

    func concurrentCommands() throws {
        let project = try Project()
        defer { project.remove() }
        let lines = (1...20).map { "print(\"line \($0) of 20\"); fflush(stdout); usleep(15_000);" }.joined(separator: "\n")
        try "# One\n\n```swift-run\n\(lines)\n```\n".write(toFile: project.project + "/mybook/01-one.md", atomically: true, encoding: .utf8)
        let expected = "```text\n" + (1...20).map { "line \($0) of 20\n" }.joined() + "```"
        let first = try cli.legend(["build", "mybook", "-o", "published"], in: project.project)
        #expect(first.status == 0, "\(first.stderr)")
        for (round, offset) in [0.0, 0.05, 0.15, 0.3, 0.45, 0.6].enumerated() {
            let a = try cli.start(["build", "mybook", "-o", "a", "--no-cache"], in: project.project)
            Thread.sleep(forTimeInterval: offset)
            let b = try cli.start(["build", "mybook", "-o", "b", "--no-cache"], in: project.project)
            Thread.sleep(forTimeInterval: offset / 2)
            let check = try cli.start(["check", "mybook", "-o", "published"], in: project.project)
            for (name, process) in [("a", a), ("b", b), ("check", check)] {
                let run = process.finish()
                #expect(run.status == 0, "round \(round), \(name): \(run.stderr)")
            }
            for site in ["a", "b"] {
                let markdown = try String(contentsOfFile: project.project + "/\(site)/01-one.md", encoding: .utf8)
                #expect(markdown.contains(expected), "round \(round), site \(site)")
            }
        }
        let work = (try? FileManager.default.contentsOfDirectory(atPath: project.project + "/.legend-cache/work")) ?? []
        #expect(work.isEmpty, "work folders are deleted when their run ends: \(work)")
    }

    /// A chapter that daemonizes a sleeper (it leaves the session): `legend` adopts it as the
    /// subreaper of what it starts, and kills it when the chapter ends.
    @Test func aDaemonThatLeavesTheSessionIsKilled() throws {
        let project = try Project()
        defer { project.remove() }
        let marker = "4243.\(Int.random(in: 100...999))"
        try """
            # One

            ```swift-run
            print(system("setsid -f sleep \(marker) >/dev/null 2>&1 </dev/null"))
            ```

            """.write(toFile: project.project + "/mybook/01-one.md", atomically: true, encoding: .utf8)
        let run = try cli.legend(["build", "mybook", "-o", "site"], in: project.project)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(CommandLineTests.processes(containing: marker).isEmpty, "the sleeper is gone")
    }
}
