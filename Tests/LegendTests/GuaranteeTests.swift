import Foundation
import Testing

/// The guarantees of issue "Hardening and proof": a build killed at any moment leaves either
/// the old site or the new one, and two cold builds of the legend are byte-identical.
@Suite(.serialized) struct GuaranteeTests {
    static let root = CommandLineTests.root

    /// Every file under `folder` with its contents.
    func tree(_ folder: String) -> [String: Data] {
        var files: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(atPath: folder) else { return files }
        while let relative = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: folder + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue {
                files[relative] = FileManager.default.contents(atPath: folder + "/" + relative)
            }
        }
        return files
    }

    @Test func aBuildKilledAtAnyMomentLeavesTheOldSiteOrTheNew() async throws {
        try await offThePool { try aBuildKilledAtAnyMomentLeavesTheOldSiteOrTheNewBody() }
    }

    func aBuildKilledAtAnyMomentLeavesTheOldSiteOrTheNewBody() throws {
        let folder = NSTemporaryDirectory() + "legend-kill-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder + "/book", withIntermediateDirectories: true)
        // Prose only, and plenty of it, so that kills land while files are being written.
        let paragraph = String(repeating: "The gradients vanished into the abyss. ", count: 40) + "\n\n"
        func write(_ version: String) throws {
            for chapter in 1...6 {
                try ("# Chapter \(chapter), version \(version)\n\n" + String(repeating: paragraph, count: 600))
                    .write(toFile: folder + "/book/0\(chapter)-c.md", atomically: true, encoding: .utf8)
            }
        }
        let legend = CommandLineTests.executable
        func build() throws -> Process {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: legend)
            process.arguments = ["build", "book", "--output", "site"]
            process.currentDirectoryURL = URL(fileURLWithPath: folder)
            process.standardError = FileHandle.nullDevice
            try process.run()
            return process
        }
        try write("A")
        let first = try build()
        first.waitUntilExit()
        let old = tree(folder + "/site")
        try write("B")
        let second = try build()
        second.waitUntilExit()
        let new = tree(folder + "/site")
        #expect(!old.isEmpty && old != new)
        try write("A")
        try build().waitUntilExit()

        var sawOld = 0, sawNew = 0
        for attempt in 0..<40 {
            try write(attempt % 2 == 0 ? "B" : "A")
            let process = try build()
            usleep(UInt32.random(in: 0...120_000))
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let now = tree(folder + "/site")
            #expect(now == old || now == new, "attempt \(attempt): a mixed or partial site")
            if now == old { sawOld += 1 } else if now == new { sawNew += 1 }
            let staging = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.contains("legend-staging") }
            #expect(staging.count <= 1, "abandoned staging folders are cleared by the next build: \(staging)")
        }
        #expect(sawOld + sawNew == 40)
    }

    @Test func twoColdBuildsOfTheLegendAreByteIdentical() async throws {
        try await offThePool { try twoColdBuildsOfTheLegendAreByteIdenticalBody() }
    }

    func twoColdBuildsOfTheLegendAreByteIdenticalBody() throws {
        let folder = NSTemporaryDirectory() + "legend-twice-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for run in ["one", "two"] {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: CommandLineTests.executable)
            process.arguments = ["build", Self.root + "/legend", "--output", folder + "/" + run, "--no-cache"]
            process.currentDirectoryURL = URL(fileURLWithPath: folder)
            process.standardError = FileHandle.nullDevice
            try process.run()
            process.waitUntilExit()
            #expect(process.terminationStatus == 0)
        }
        let one = tree(folder + "/one"), two = tree(folder + "/two")
        #expect(one.count > 10)
        #expect(one.keys.sorted() == two.keys.sorted())
        for (path, data) in one where two[path] != data { Issue.record("\(path) differs between two cold builds") }
    }
}
