// libFuzzer target: bytes as a .bib file → Bibliography, ReferenceList, CitationScanner. Bad input must end
// in a Diagnostic, never trap or hang. Run by scripts/fuzz.
import Foundation
import FuzzDriver
import Literate

@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    FuzzEntry.bibtex(bytes: bytes)
    return 0
}

@main enum FuzzBibTeX {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
    }
}
