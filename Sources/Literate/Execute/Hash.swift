/// FNV-1a, 64 bits, twice over with different offsets (128 bits in all): a fast fingerprint for
/// cache file names. Not a security boundary: cache entries also store their whole key and are
/// only served when it matches exactly.
struct Hash {
    private var first: UInt64 = 0xcbf2_9ce4_8422_2325
    private var second: UInt64 = 0x6c62_272e_07bb_0142

    mutating func combine<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes {
            first = (first ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            second = (second ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            second = second ^ (second >> 29)
        }
        // A separator, so ("ab", "c") and ("a", "bc") differ.
        first = (first ^ 0xff) &* 0x0000_0100_0000_01b3
        second = (second ^ 0xff) &* 0x0000_0100_0000_01b3
    }

    mutating func combine(_ text: Substring) { combine(text.utf8) }
    mutating func combine(_ text: String) { combine(text.utf8) }

    var hex: String {
        func pad(_ value: UInt64) -> String {
            let digits = String(value, radix: 16)
            return String(repeating: "0", count: 16 - digits.count) + digits
        }
        return pad(first) + pad(second)
    }

    static func hex(_ text: String) -> String {
        var hash = Hash()
        hash.combine(text)
        return hash.hex
    }
}
