/// Lays a table out for each writer: cells formatted once (so every writer shows the same
/// digits), numbers right-aligned, widths measured in display columns, and long tables cut in the
/// middle with a row that says so and a note — never silently.
struct TableLayout {
    let table: Table
    let header: [String]
    /// The rows shown, formatted; `nil` stands for the "rows not shown" marker row.
    let cells: [[String]?]
    let numeric: [Bool]
    let notes: [String]

    init(_ table: Table, maxRows: Int) {
        self.table = table
        header = table.columns.map { TableLayout.singleLine($0.name) }
        // One format per column, chosen from all its numbers (shown or not), so a column shares
        // one precision: 0.40 beside 0.49, never 0.4.
        let formats: [NumberFormat] = table.columns.indices.map { index in
            let numbers = table.rows.compactMap { row -> Double? in
                guard index < row.count else { return nil }
                if case .number(let value) = row[index] { return value }
                return nil
            }
            guard !numbers.isEmpty else { return table.columns[index].format }
            let integers = table.rows.compactMap { row -> Double? in
                guard index < row.count, case .integer(let value) = row[index] else { return nil }
                return Double(value)
            }
            return table.columns[index].format.forColumn(numbers + integers)
        }
        let hasNumbers: [Bool] = table.columns.indices.map { index in
            table.rows.contains { row in
                guard index < row.count, case .number = row[index] else { return false }
                return true
            }
        }
        let format: ([Table.Cell]) -> [String] = { row in
            table.columns.indices.map { index in
                guard index < row.count else { return "" }
                // An integer among numbers is written like them, so the column lines up.
                if case .integer(let value) = row[index], hasNumbers[index] {
                    return formats[index].string(Double(value))
                }
                return TableLayout.singleLine(row[index].string(formats[index]))
            }
        }
        var notes = table.notes
        let limit = max(2, maxRows)
        if table.rows.count > limit {
            // Keep the head and a short tail: the last rows (the output layer, the final step)
            // are often the ones a reader compares against.
            let tail = max(1, limit / 5)
            let head = limit - tail
            cells = table.rows.prefix(head).map(format) + [nil] + table.rows.suffix(tail).map(format)
            notes.insert("Showing \(head + tail) of \(table.rows.count) rows; rows \(head + 1)–\(table.rows.count - tail) are not shown.", at: 0)
        } else {
            cells = table.rows.map(format)
        }
        let extra = table.rows.filter { $0.count > table.columns.count }.count
        if extra > 0 {
            notes.append("\(extra) rows have more cells than the \(table.columns.count) columns; the extra cells are not shown.")
        }
        self.notes = notes
        // A column of numbers may have gaps: an empty cell or a dash stands for a missing number.
        numeric = table.columns.indices.map { index in
            table.rows.contains { index < $0.count && $0[index].isNumeric }
                && table.rows.allSatisfy { index >= $0.count || $0[index].isNumeric || TableLayout.isPlaceholder($0[index]) }
        }
    }

    private static func isPlaceholder(_ cell: Table.Cell) -> Bool {
        guard case .text(let text) = cell else { return false }
        return ["", "—", "–", "-", "NaN", "n/a"].contains(text.trimmingCharacters(in: .whitespaces))
    }

    /// Columns from a number's decimal point (or where it would be) to its end: "2.50" → 3,
    /// "1.0e-5" → 5, "12" → 0.
    static func tailWidth(_ text: String) -> Int {
        if let point = text.firstIndex(of: ".") { return text[point...].displayWidth }
        if let e = text.firstIndex(of: "e") { return text[e...].displayWidth }
        return 0
    }

    /// Cells are one line in every writer; a line break inside one would break the row.
    private static func singleLine(_ text: String) -> String {
        guard text.contains(where: \.isNewline) else { return text }
        return String(text.map { $0.isNewline ? " " : $0 })
    }

    private func widths(_ header: [String], _ cells: [[String]?]) -> [Int] {
        header.indices.map { column in
            ([header[column]] + cells.compactMap { $0?[column] }).map(\.displayWidth).max() ?? 0
        }
    }

    private func row(_ texts: [String], _ widths: [Int], separator: String) -> String {
        texts.indices.map { texts[$0].padded(toWidth: widths[$0], right: numeric[$0]) }.joined(separator: separator)
    }

    /// Columns separated by two spaces under a ruled header, for a terminal.
    func aligned() -> String {
        let widths = self.widths(header, cells)
        var lines: [String] = []
        if let title = table.title { lines.append(title) }
        lines.append(row(header, widths, separator: "  "))
        lines.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
        for cellRow in cells {
            lines.append(row(cellRow ?? header.map { _ in "⋮" }, widths, separator: "  "))
        }
        lines.append(contentsOf: notes)
        return lines.map { line in
            var line = line
            while line.last == " " { line.removeLast() }
            return line
        }.joined(separator: "\n") + "\n"
    }

    /// A GitHub pipe table: header row, `---:` under numeric columns, every cell escaped.
    func pipeTable() -> String {
        let header: [String] = self.header.map { MarkdownWriter.escapeInline($0) }
        let cells: [[String]?] = self.cells.map { row in row.map { $0.map { MarkdownWriter.escapeInline($0) } } }
        let widths = self.widths(header, cells).map { max(3, $0) }
        var lines: [String] = []
        if let title = table.title { lines.append("**" + MarkdownWriter.escapeInline(title) + "**\n") }
        lines.append("| " + row(header, widths, separator: " | ") + " |")
        let rules: [String] = widths.indices.map { column in
            let dashes = String(repeating: "-", count: numeric[column] ? widths[column] - 1 : widths[column])
            return " " + dashes + (numeric[column] ? ": " : " ")
        }
        lines.append("|" + rules.joined(separator: "|") + "|")
        let omitted: [String] = header.map { _ in "⋮" }
        for cellRow in cells {
            let texts: [String] = cellRow ?? omitted
            lines.append("| " + row(texts, widths, separator: " | ") + " |")
        }
        var text = lines.joined(separator: "\n") + "\n"
        if !notes.isEmpty {
            let noteLines: [String] = notes.map { "*" + MarkdownWriter.escapeInline($0) + "*" }
            text += "\n" + noteLines.joined(separator: "\\\n") + "\n"
        }
        return text
    }

    /// An HTML `<table>` with a caption (the block's caption, else the title), `<th scope="col">`
    /// headers, `class="number"` on numeric cells and the notes in a `<tfoot>`. Numbers line up
    /// on their decimal point: right-aligned by the theme, each is padded at its right with
    /// figure spaces (the width of a digit) to its column's widest part from the point on.
    func html(caption: String?) -> String {
        let escape = HTMLWriter.escape
        let tails: [Int] = header.indices.map { column in
            numeric[column] ? cells.compactMap { $0.map { TableLayout.tailWidth($0[column]) } }.max() ?? 0 : 0
        }
        var html = "<table>\n"
        if let caption = caption ?? table.title { html += "<caption>\(escape(caption))</caption>\n" }
        html += "<thead>\n<tr>"
        for (index, name) in header.enumerated() {
            html += "<th scope=\"col\"\(numeric[index] ? " class=\"number\"" : "")>\(escape(name))</th>"
        }
        html += "</tr>\n</thead>\n<tbody>\n"
        for cellRow in cells {
            guard let cellRow else {
                html += "<tr class=\"omitted\"><td colspan=\"\(max(1, header.count))\">⋮</td></tr>\n"
                continue
            }
            html += "<tr>"
            for (index, cell) in cellRow.enumerated() {
                guard numeric[index] else { html += "<td>\(escape(cell))</td>"; continue }
                let padding = String(repeating: "&#8199;", count: max(0, tails[index] - TableLayout.tailWidth(cell)))
                html += "<td class=\"number\">\(escape(cell))\(padding)</td>"
            }
            html += "</tr>\n"
        }
        html += "</tbody>\n"
        if !notes.isEmpty {
            html += "<tfoot>\n"
            for note in notes {
                html += "<tr><td colspan=\"\(max(1, header.count))\">\(escape(note))</td></tr>\n"
            }
            html += "</tfoot>\n"
        }
        return html + "</table>\n"
    }
}
