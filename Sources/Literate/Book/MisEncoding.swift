/// Finds text that was UTF-8 read as Windows-1252, Windows-1254 or Latin-1 and saved again —
/// `ðŸ“œ` for `📜`, `â€™` for `’`, `Ã©` for `é` — and says what it was meant to be.
enum MisEncoding {
    struct Finding: Equatable {
        let line: Int
        let column: Int
        let text: String
        let intended: String
    }

    /// The byte each character of the two code pages stands for, above 0x7F.
    static let bytes: [Character: UInt8] = {
        var table: [Character: UInt8] = [:]
        // Windows-1252's 0x80–0x9F; 0xA0–0xFF are Latin-1, the same as Unicode.
        let windows1252: [UInt8: Character] = [
            0x80: "€", 0x82: "‚", 0x83: "ƒ", 0x84: "„", 0x85: "…", 0x86: "†", 0x87: "‡", 0x88: "ˆ", 0x89: "‰",
            0x8A: "Š", 0x8B: "‹", 0x8C: "Œ", 0x8E: "Ž", 0x91: "‘", 0x92: "’", 0x93: "“", 0x94: "”", 0x95: "•",
            0x96: "–", 0x97: "—", 0x98: "˜", 0x99: "™", 0x9A: "š", 0x9B: "›", 0x9C: "œ", 0x9E: "ž", 0x9F: "Ÿ",
        ]
        for (byte, character) in windows1252 { table[character] = byte }
        for byte in UInt8(0xA0)...UInt8(0xFF) { table[Character(Unicode.Scalar(byte))] = byte }
        // Windows-1254 differs from Latin-1 in six letters.
        let windows1254: [UInt8: Character] = [0xD0: "Ğ", 0xDD: "İ", 0xDE: "Ş", 0xF0: "ğ", 0xFD: "ı", 0xFE: "ş"]
        for (byte, character) in windows1254 { table[character] = byte }
        return table
    }()

    static func scan(_ lines: [Substring]) -> [Finding] {
        var findings: [Finding] = []
        for (index, line) in lines.enumerated() {
            // Every mangled character is outside ASCII; most lines are ASCII and are skipped
            // without being split into characters.
            guard line.utf8.contains(where: { $0 >= 0x80 }) else { continue }
            let characters = Array(line)
            var i = 0
            while i < characters.count {
                defer { i += 1 }
                guard let lead = bytes[characters[i]], (0xC2...0xF4).contains(lead) else { continue }
                let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
                var sequence = [lead]
                var j = i + 1
                // Bytes lost in the mangling (undefined in the code page) may be missing or
                // replaced; require at least one continuation and no wrong byte.
                while j < characters.count, sequence.count < length, let byte = bytes[characters[j]] ?? continuation(characters[j]),
                      (0x80...0xBF).contains(byte) {
                    sequence.append(byte)
                    j += 1
                }
                guard sequence.count == length, let intended = String(validating: sequence, as: UTF8.self) else { continue }
                let column = String(characters[..<i]).utf8.count + 1
                findings.append(Finding(line: index + 1, column: column, text: String(characters[i..<j]), intended: intended))
                i = j - 1
            }
        }
        return findings
    }

    /// C1 controls stand for themselves when a decoder kept undefined bytes.
    private static func continuation(_ character: Character) -> UInt8? {
        guard let scalar = character.unicodeScalars.first, character.unicodeScalars.count == 1,
              (0x80...0x9F).contains(scalar.value) else { return nil }
        return UInt8(scalar.value)
    }

    static func diagnostics(for source: SourceText) -> [Diagnostic] {
        scan(source.lines).map { finding in
            .error("mis-encoded text '\(finding.text)' (UTF-8 read as Windows-1252/1254); it was probably '\(finding.intended)' — re-decode the file or retype it",
                   file: source.path, line: finding.line, column: finding.column)
        }
    }
}
