/// A chapter's text with the positions a diagnostic needs.
public struct SourceText: Sendable {
    public let path: String
    public let text: String
    /// The lines without their terminators, so `lines[n - 1]` is line n.
    public let lines: [Substring]

    /// Decodes `bytes` as UTF-8, refusing invalid input with the byte offset and line of the first
    /// bad byte, so the author can find it. A leading byte-order mark is dropped.
    public init(path: String, bytes: some Collection<UInt8>) throws(Diagnostic) {
        // The file's bytes as they were read (no copy), validated by the standard library's
        // fast decoder; the slow search for the bad byte runs only when there is one.
        let decoded = bytes.withContiguousStorageIfAvailable { SourceText.decode($0) } ?? Array(bytes).withUnsafeBufferPointer(SourceText.decode)
        switch decoded {
        case .success(let text):
            self.init(path: path, text: text)
        case .failure(let bad):
            throw .error("not valid UTF-8 at byte offset \(bad.offset); save the file as UTF-8", file: path, line: bad.line)
        }
    }

    private struct InvalidUTF8: Error { let offset: Int; let line: Int }

    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<String, InvalidUTF8> {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        if let text = String(validating: body, as: UTF8.self) { return .success(text) }
        let bytes = Array(body)
        let bad = firstInvalidUTF8(in: bytes[...]) ?? 0
        let line = bytes[..<bad].reduce(1) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        // Offsets count from the file's first byte, byte-order mark included.
        return .failure(InvalidUTF8(offset: bad + body.startIndex, line: line))
    }

    public init(path: String, text: String) {
        self.path = path
        self.text = text
        self.lines = text.splitLines().map { line in
            line.utf8.last == UInt8(ascii: "\r") ? line.dropLast() : line
        }
    }

    /// The index of the first byte that does not belong to a valid UTF-8 sequence.
    static func firstInvalidUTF8(in bytes: ArraySlice<UInt8>) -> Int? {
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let lead = bytes[index]
            let length: Int
            switch lead {
            case 0x00...0x7F: index += 1; continue
            case 0xC2...0xDF: length = 2
            case 0xE0...0xEF: length = 3
            case 0xF0...0xF4: length = 4
            default: return index
            }
            guard index + length <= bytes.endIndex else { return index }
            let second = bytes[index + 1]
            let secondRange: ClosedRange<UInt8> = switch lead {
            case 0xE0: 0xA0...0xBF
            case 0xED: 0x80...0x9F
            case 0xF0: 0x90...0xBF
            case 0xF4: 0x80...0x8F
            default: 0x80...0xBF
            }
            guard secondRange.contains(second) else { return index }
            for offset in 2..<length where !(0x80...0xBF).contains(bytes[index + offset]) { return index }
            index += length
        }
        return nil
    }
}

extension String {
    /// The text split at each line feed, keeping any carriage return. (Splitting the `String`
    /// itself would not do: to Swift, "\r\n" is one character, not a line feed.)
    func splitLines(maxSplits: Int = .max) -> [Substring] {
        var copy = self
        let feeds: [Int] = copy.withUTF8 { bytes in
            var found: [Int] = []
            var i = 0
            while i < bytes.count && found.count < maxSplits {
                if bytes[i] == 10 { found.append(i) }
                i += 1
            }
            return found
        }
        var lines: [Substring] = []
        lines.reserveCapacity(feeds.count + 1)
        var start = utf8.startIndex
        var previous = 0
        for feed in feeds {
            let end = utf8.index(start, offsetBy: feed - previous)
            lines.append(self[start..<end])
            start = utf8.index(after: end)
            previous = feed + 1
        }
        lines.append(self[start...])
        return lines
    }
}
