import Foundation

/// A seeded source of random numbers: xoshiro256** seeded through SplitMix64, with Box–Muller
/// for normal samples. Pure integer arithmetic, so a seed gives the same numbers on every
/// machine and every run.
public final class Generator {
    private var state: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// A generator started from `seed`.
    public init(seed: Int) { self.seed(seed) }

    /// Restarts the sequence from `seed`.
    public func seed(_ seed: Int) {
        var s = UInt64(bitPattern: Int64(seed))
        func splitMix() -> UInt64 {
            s &+= 0x9E37_79B9_7F4A_7C15
            var z = s
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        state = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// The next 64 random bits.
    public func nextUInt64() -> UInt64 {
        let result = rotateLeft(state.1 &* 5, 7) &* 9
        let t = state.1 << 17
        state.2 ^= state.0
        state.3 ^= state.1
        state.1 ^= state.2
        state.0 ^= state.3
        state.2 ^= t
        state.3 = rotateLeft(state.3, 45)
        return result
    }

    @inline(__always) private func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// A uniform sample in [0, 1) with 53 random bits.
    public func nextUniform() -> Double { Double(nextUInt64() >> 11) * 0x1.0p-53 }

    /// A standard normal sample (Box–Muller; uses two uniforms per sample, keeping no state
    /// beyond the generator so that sequences are easy to reason about).
    public func nextNormal() -> Double {
        let u1 = 1 - nextUniform()  // in (0, 1], so the logarithm is finite
        let u2 = nextUniform()
        return (-2 * Foundation.log(u1)).squareRoot() * Foundation.cos(2 * Double.pi * u2)
    }

    /// A uniform integer in `low..<high` (unbiased, by rejection).
    public func nextInt(_ low: Int, _ high: Int) -> Int {
        require(high > low, "randint: empty range \(low)..<\(high).")
        let span = UInt64(high - low)
        let limit = UInt64.max - UInt64.max % span
        var r = nextUInt64()
        while r >= limit { r = nextUInt64() }
        return low + Int(r % span)
    }
}

/// The generator used when no explicit one is passed; `manualSeed` restarts it.
nonisolated(unsafe) public var defaultGenerator = Generator(seed: 0)

/// Seeds the default generator, as `torch.manual_seed` does: the same seed gives the same numbers.
public func manualSeed(_ seed: Int) {
    defaultGenerator.seed(seed)
}
