// libFuzzer target: bytes as YAML → a chapter's front matter and a book.yml. Bad input must end
// in a Diagnostic, never trap, hang or expand an alias. Run by scripts/fuzz.
import Foundation
import FuzzDriver
import Literate

@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzEntry.yaml(bytes: bytes)
    return 0
}

@main enum FuzzYAML {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
    }
}
