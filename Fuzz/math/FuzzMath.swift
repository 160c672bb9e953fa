// libFuzzer target: bytes as TeX → TeXMath.mathML, inline and display. Bad input must throw
// TeXMath.Failure, never trap, loop or overflow the stack. Run by scripts/fuzz.
import Foundation
import FuzzDriver
import Literate

@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    // Math reaches the renderer as text cut from a decoded chapter; invalid UTF-8 is repaired
    // here as String(decoding:) would.
    let tex = String(decoding: bytes, as: UTF8.self)
    _ = try? TeXMath().mathML(tex, display: false)
    _ = try? TeXMath().mathML(tex, display: true)
    return 0
}

@main enum FuzzMath {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
    }
}
