/// Lays a table out as text: cells formatted once, numbers right-aligned.
struct TableLayout {
    let table: Table
    let header: [String]
    let cells: [[String]]
    let numeric: [Bool]

    init(_ table: Table) {
        self.table = table
        header = table.columns.map(\.name)
        cells = table.rows.map { row in
            table.columns.indices.map { index in
                index < row.count ? row[index].string(table.columns[index].format) : ""
            }
        }
        numeric = table.columns.indices.map { index in
            table.rows.contains { index < $0.count && $0[index].isNumeric }
                && table.rows.allSatisfy { index >= $0.count || $0[index].isNumeric }
        }
    }

    private var widths: [Int] {
        header.indices.map { column in
            ([header[column]] + cells.map { $0[column] }).map(\.count).max() ?? 0
        }
    }

    private func pad(_ text: String, _ width: Int, right: Bool) -> String {
        let padding = String(repeating: " ", count: max(0, width - text.count))
        return right ? padding + text : text + padding
    }

    func aligned() -> String {
        let widths = self.widths
        var lines: [String] = []
        if let title = table.title { lines.append(title) }
        lines.append(header.indices.map { pad(header[$0], widths[$0], right: numeric[$0]) }.joined(separator: "  "))
        lines.append(widths.map { String(repeating: "─", count: $0) }.joined(separator: "  "))
        for row in cells {
            lines.append(row.indices.map { pad(row[$0], widths[$0], right: numeric[$0]) }.joined(separator: "  "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func pipeTable() -> String {
        let widths = self.widths.map { max(3, $0) }
        func escapePipe(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
        var lines: [String] = []
        if let title = table.title { lines.append("**\(title)**\n") }
        lines.append("| " + header.indices.map { pad(escapePipe(header[$0]), widths[$0], right: numeric[$0]) }.joined(separator: " | ") + " |")
        lines.append("|" + widths.indices.map { column in
            numeric[column] ? " " + String(repeating: "-", count: widths[column] - 1) + ": "
                : " " + String(repeating: "-", count: widths[column]) + " "
        }.joined(separator: "|") + "|")
        for row in cells {
            lines.append("| " + row.indices.map { pad(escapePipe(row[$0]), widths[$0], right: numeric[$0]) }.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    func html(caption: String?) -> String {
        let escape = HTMLWriter.escape
        var html = "<table>\n"
        if let caption = caption ?? table.title { html += "<caption>\(escape(caption))</caption>\n" }
        html += "<thead>\n<tr>"
        for (index, name) in header.enumerated() {
            html += "<th scope=\"col\"\(numeric[index] ? " class=\"number\"" : "")>\(escape(name))</th>"
        }
        html += "</tr>\n</thead>\n<tbody>\n"
        for row in cells {
            html += "<tr>"
            for (index, cell) in row.enumerated() {
                html += "<td\(numeric[index] ? " class=\"number\"" : "")>\(escape(cell))</td>"
            }
            html += "</tr>\n"
        }
        return html + "</tbody>\n</table>\n"
    }
}
