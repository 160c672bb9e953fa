// libFuzzer target: bytes as a safetensors file → Safetensors.decode, then each tensor printed
// (what a chapter does with weights it loads). Bad input must throw a SafetensorsError, never
// trap or allocate more than the file could hold. Run by scripts/fuzz.
import Foundation
import FuzzDriver
import TensorForge

@_cdecl("LLVMFuzzerTestOneInput")
func testOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Data(bytes: $0, count: size) } ?? Data()
    guard let tensors = try? Safetensors.decode(bytes, source: "fuzz.safetensors") else { return 0 }
    for (_, tensor) in tensors { _ = tensor.description }
    return 0
}

@main enum FuzzSafetensors {
    static func main() {
        var argc = CommandLine.argc
        var argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = CommandLine.unsafeArgv
        exit(LLVMFuzzerRunDriver(&argc, &argv, testOneInput))
    }
}
