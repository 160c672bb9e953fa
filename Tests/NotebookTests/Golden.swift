import Foundation
import Testing

/// Compares `actual` with the golden file `Golden/<name>`; with LEGEND_RECORD=1 in the
/// environment it writes the file instead. A missing golden file is written and fails the test,
/// so a new golden is always looked at before it counts.
func expectGolden(_ actual: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Golden").appendingPathComponent(name)
    let record = ProcessInfo.processInfo.environment["LEGEND_RECORD"] == "1"
    guard !record, let expected = try? String(contentsOf: url, encoding: .utf8) else {
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? actual.write(to: url, atomically: true, encoding: .utf8)
        if !record {
            Issue.record("Golden file \(name) was missing; recorded it. Review it and run the tests again.",
                         sourceLocation: sourceLocation)
        }
        return
    }
    if expected != actual {
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        let line = zip(expectedLines, actualLines).enumerated().first { $0.element.0 != $0.element.1 }?.offset
            ?? min(expectedLines.count, actualLines.count)
        let want = line < expectedLines.count ? String(expectedLines[line]) : "<end>"
        let got = line < actualLines.count ? String(actualLines[line]) : "<end>"
        Issue.record("""
            Output differs from golden file \(name) at line \(line + 1):
              expected: \(want)
              actual:   \(got)
            Re-record with LEGEND_RECORD=1 if the change is intended.
            """, sourceLocation: sourceLocation)
    }
}
