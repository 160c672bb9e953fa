import Foundation

/// A seeded source of random numbers: xoshiro256** seeded through SplitMix64, with Box–Muller
/// for normal samples. Pure integer arithmetic, so a seed gives the same numbers on every
/// machine and every run.
public final class Generator {
    private var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

    /// A generator started from `seed`.
    public init(seed: Int) { self.seed(seed) }

    /// The generator's whole state, to save and restore a point in its sequence (PyTorch's
    /// `get_state`/`set_state`): setting what was read continues the sequence from there.
    public var state: [UInt64] {
        get { [words.0, words.1, words.2, words.3] }
        set {
            require(newValue.count == 4, "Generator.state: a state is 4 numbers, not \(newValue.count).")
            words = (newValue[0], newValue[1], newValue[2], newValue[3])
        }
    }

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
        words = (splitMix(), splitMix(), splitMix(), splitMix())
    }

    /// The next 64 random bits.
    public func nextUInt64() -> UInt64 {
        let result = rotateLeft(words.1 &* 5, 7) &* 9
        let t = words.1 << 17
        words.2 ^= words.0
        words.3 ^= words.1
        words.1 ^= words.2
        words.0 ^= words.3
        words.2 ^= t
        words.3 = rotateLeft(words.3, 45)
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
