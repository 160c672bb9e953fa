import Foundation
import Testing
@testable import TensorForge

extension EngineTests {
    @Suite struct MatmulTests {
        static let cases: [([Int], [Int])] = [
            ([3, 4], [4, 5]), ([1, 4], [4, 1]), ([4], [4]), ([4], [4, 3]), ([3, 4], [4]),
            ([2, 3, 4], [2, 4, 5]), ([2, 3, 4], [4, 5]), ([3, 4], [2, 4, 5]), ([2, 1, 3, 4], [3, 4, 2]),
            ([20, 30], [30, 25]),  // large enough for the BLAS path
        ]

        @Test(arguments: cases)
        func matmulDifferentiates(_ a: [Int], _ b: [Int]) {
            expectGradients([randomTensor(a, seed: 1), randomTensor(b, seed: 2)]) { $0[0].matmul($0[1]) }
        }

        @Test func matmulValues() {
            let a = Tensor([[1, 2], [3, 4]]), b = Tensor([[5, 6], [7, 8]])
            #expect(a.matmul(b).scalars == [19, 22, 43, 50])
            #expect((a &* b).scalars == [19, 22, 43, 50])
            #expect(Tensor([1, 2]).matmul(Tensor([3, 4])).item == 11)
            // The BLAS path and the small loop agree.
            let x = randomTensor([40, 50], seed: 3), y = randomTensor([50, 30], seed: 4)
            let blas = x.matmul(y).scalars
            var loop = [Double](repeating: 0, count: 40 * 30)
            for i in 0..<40 { for j in 0..<30 { for k in 0..<50 { loop[i * 30 + j] += x.scalars[i * 50 + k] * y.scalars[k * 30 + j] } } }
            expectClose(blas, loop)
        }

        @Test func linearFunctionDifferentiates() {
            let x = randomTensor([2, 3, 4], seed: 1), w = randomTensor([5, 4], seed: 2), b = randomTensor([5], seed: 3)
            expectGradients([x, w, b]) { linear($0[0], weight: $0[1], bias: $0[2]) }
            expectGradients([x, w]) { linear($0[0], weight: $0[1], bias: nil) }
        }
    }
}

extension EngineTests {
    @Suite struct BLASKernelTests {
        /// A CPU model OpenBLAS does not know must not leave it on its SSE3 (Prescott) kernels when
        /// the CPU has AVX2: that made every product six times slower on a virtual machine.
        @Test func openBLASUsesTheCPUsVectorKernels() throws {
            let cpuinfo = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
            let flags = Set((cpuinfo.split(separator: "\n").first { $0.hasPrefix("flags") } ?? "").split(separator: " ").map(String.init))
            guard flags.contains("avx2") && flags.contains("fma"),
                  ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil else { return }
            #expect(BLASKernels.coreName.lowercased() != "prescott")
        }
    }
}
