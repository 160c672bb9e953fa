// libFuzzer target: bytes as a chapter → parse → tangle → weave (HTML, Markdown, search index),
// no execution. Built and run by scripts/fuzz (see TESTING.md).
import Foundation
import FuzzDriver
import Literate

/// The default theme, read once from the checkout's templates/.
let theme: Theme = {
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    do {
        return try Theme.load(from: [root.appendingPathComponent("templates").path])
    } catch {
        fatalError("cannot load the default theme: \(error)")
    }
}()

@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzEntry.weave(bytes: bytes, theme: theme)
    return 0
}

@main enum FuzzWeave {
    static func main() {
        _ = theme
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
    }
}
