import Foundation
import Testing
@testable import Literate

@Suite struct InstallationTests {
    /// An install's layout, with empty files where the real ones would be.
    func fakeInstall(fingerprint: String?) throws -> String {
        let prefix = NSTemporaryDirectory() + "legend-prefix-" + UUID().uuidString
        let manager = FileManager.default
        for folder in ["bin", "lib/legend/Modules", "share/legend/templates"] {
            try manager.createDirectory(atPath: prefix + "/" + folder, withIntermediateDirectories: true)
        }
        for file in ["bin/legend", "lib/legend/libLegendRuntime.so", "lib/legend/Modules/Notebook.swiftmodule",
                     "lib/legend/Modules/TensorForge.swiftmodule"] {
            try Data().write(to: URL(fileURLWithPath: prefix + "/" + file))
        }
        if let fingerprint { try fingerprint.write(toFile: prefix + "/lib/legend/fingerprint", atomically: true, encoding: .utf8) }
        try "repository: https://example.org/legend.git\nrevision: 0123abc\n"
            .write(toFile: prefix + "/share/legend/source", atomically: true, encoding: .utf8)
        return prefix
    }

    @Test func anInstallIsFoundBesideItsExecutable() throws {
        let prefix = try fakeInstall(fingerprint: "digest")
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        let found = Installation.find(environment: [:], executable: prefix + "/bin/legend")
        #expect(found == .installed(prefix: prefix))
        #expect(found?.themeFolder == prefix + "/share/legend/templates")
        #expect(found?.source.repository == "https://example.org/legend.git" && found?.source.revision == "0123abc")
        #expect(Installation.find(environment: ["LEGEND_HOME": prefix + "/"], executable: nil) == .installed(prefix: prefix))
    }

    @Test func aCheckoutIsFoundAboveItsBuildFolder() {
        #expect(Installation.find(environment: [:], executable: packageRoot + "/.build/x86_64-unknown-linux-gnu/release/legend")
                == .checkout(root: packageRoot))
        #expect(Installation.find(environment: ["LEGEND_HOME": packageRoot], executable: "/usr/bin/legend") == .checkout(root: packageRoot))
    }

    @Test func elsewhereNothingIsFoundNotEvenFromTheCurrentFolder() {
        #expect(Installation.find(environment: [:], executable: "/usr/bin/legend") == nil)
        #expect(Installation.find(environment: ["LEGEND_HOME": "/usr"], executable: packageRoot + "/.build/debug/legend") == nil,
                "LEGEND_HOME, when set, is the only place looked at")
        #expect(throws: Diagnostic.error(Installation.notFound)) { try Runtime.prepare(installation: nil, log: { _ in }) }
    }

    @Test func anInstalledRuntimeCarriesTheFingerprintOfItsSources() throws {
        let prefix = try fakeInstall(fingerprint: "digest\n")
        defer { try? FileManager.default.removeItem(atPath: prefix) }
        let runtime = try Runtime.prepare(installation: .installed(prefix: prefix), log: { _ in })
        #expect(runtime.directory == prefix + "/lib/legend")
        #expect(runtime.includeDirectories == [prefix + "/lib/legend/include"])
        #expect(runtime.fingerprint == Runtime.fingerprint(sourceDigest: "digest", compiler: runtime.compiler))
        let checkout = try #require(Runtime.describe(installation: .checkout(root: packageRoot)))
        #expect(checkout.fingerprint == Runtime.fingerprint(sourceDigest: Runtime.sourceDigest(root: packageRoot), compiler: runtime.compiler),
                "an install of these sources shares the checkout's cached results")

        let unmarked = try fakeInstall(fingerprint: nil)
        defer { try? FileManager.default.removeItem(atPath: unmarked) }
        #expect(throws: Diagnostic.error("the installed runtime '\(unmarked)/lib/legend' has no fingerprint file; install Legend again with `scripts/install` from its checkout")) {
            try Runtime.prepare(installation: .installed(prefix: unmarked), log: { _ in })
        }
    }
}
