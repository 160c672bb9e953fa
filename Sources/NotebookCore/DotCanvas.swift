/// A grid of character cells that plots draw dots on.
///
/// Braille style: each cell holds 2 × 4 dots, written as one braille pattern (U+2800 + bits), so
/// an 60 × 15 cell canvas has 120 × 60 dots; an empty cell is U+2800, the blank braille pattern,
/// which has the same width as the others in every monospace font that has braille at all.
/// ASCII style: one dot per cell, written as the series' marker character.
struct DotCanvas {
    enum Style { case braille, ascii }

    let style: Style
    let columns: Int
    let rows: Int
    private var bits: [UInt8]
    private var markers: [Character?]

    init(style: Style, columns: Int, rows: Int) {
        self.style = style
        self.columns = max(1, columns)
        self.rows = max(1, rows)
        bits = [UInt8](repeating: 0, count: self.columns * self.rows)
        markers = [Character?](repeating: nil, count: self.columns * self.rows)
    }

    /// Dots across and down.
    var dotColumns: Int { style == .braille ? columns * 2 : columns }
    var dotRows: Int { style == .braille ? rows * 4 : rows }

    // Braille bit of the dot at (column within cell, row within cell), per Unicode's numbering.
    private static let bit: [[UInt8]] = [[0x01, 0x02, 0x04, 0x40], [0x08, 0x10, 0x20, 0x80]]

    /// Sets the dot at (x, y), counted from the top left; dots outside are ignored.
    mutating func set(_ x: Int, _ y: Int, marker: Character = "*") {
        guard x >= 0, y >= 0, x < dotColumns, y < dotRows else { return }
        switch style {
        case .braille:
            bits[(y / 4) * columns + x / 2] |= DotCanvas.bit[x % 2][y % 4]
        case .ascii:
            let index = y * columns + x
            // Where two series meet, say so rather than hide one of them.
            if let existing = markers[index], existing != marker { markers[index] = "#" } else { markers[index] = marker }
        }
    }

    /// Draws a line from (x0, y0) to (x1, y1) (Bresenham), solid: series are told apart by their
    /// markers and labels, and a dashed line would look like one with gaps where data is missing.
    mutating func line(_ x0: Int, _ y0: Int, _ x1: Int, _ y1: Int, marker: Character = "*") {
        var x = x0, y = y0
        let dx = abs(x1 - x0), dy = -abs(y1 - y0)
        let sx = x0 < x1 ? 1 : -1, sy = y0 < y1 ? 1 : -1
        var error = dx + dy
        // Lines far outside the canvas (clipped values) would loop for long; bound the walk.
        var budget = (dotColumns + dotRows) * 4 + dx - dy
        while budget > 0 {
            budget -= 1
            set(x, y, marker: marker)
            if x == x1 && y == y1 { break }
            let twice = 2 * error
            if twice >= dy { error += dy; x += sx }
            if twice <= dx { error += dx; y += sy }
        }
    }

    /// Draws `other` (of the same size and style) over this canvas; returns whether an ASCII cell
    /// now holds two series' markers (shown as `#`).
    @discardableResult
    mutating func merge(_ other: DotCanvas) -> Bool {
        guard other.columns == columns, other.rows == rows, other.style == style else { return false }
        var overlapped = false
        for index in bits.indices {
            bits[index] |= other.bits[index]
            guard let marker = other.markers[index] else { continue }
            if let existing = markers[index], existing != marker {
                markers[index] = "#"
                overlapped = true
            } else {
                markers[index] = marker
            }
        }
        return overlapped
    }

    /// The character of cell (column, row).
    func character(_ column: Int, _ row: Int) -> Character {
        let index = row * columns + column
        switch style {
        case .braille: return Character(Unicode.Scalar(0x2800 + UInt32(bits[index]))!)
        case .ascii: return markers[index] ?? " "
        }
    }

    /// Whether anything was drawn in cell (column, row).
    func isEmpty(_ column: Int, _ row: Int) -> Bool {
        let index = row * columns + column
        return style == .braille ? bits[index] == 0 : markers[index] == nil
    }

    func line(ofRow row: Int) -> String {
        String((0..<columns).map { character($0, row) })
    }
}
