import Foundation
import Testing
@testable import NotebookCore

let sampleGradientTable = Table(title: "Gradients", columns: [
    .init("parameter"), .init("shape"), .init("‖grad‖₂", format: .scientific(3)), .init("ratio"),
], rows: [
    [.text("0.weight"), .text("8×4"), .number(3.2e-58), .number(2.7e-59)],
    [.text("2.weight"), .text("8×8"), .number(1.1e-40), .number(9.2e-42)],
    [.text("4.weight"), .text("1×8"), .number(11.97), .number(1)],
])

@Test func terminalTableAlignsNumbersRight() {
    expectGolden(TerminalWriter.text(.table(sampleGradientTable)), "table-gradients.txt")
}

@Test func markdownPipeTableHasRightAlignedNumericColumns() {
    let markdown = MarkdownWriter.markdown(.table(sampleGradientTable))
    expectGolden(markdown, "table-gradients.md")
    let rule = markdown.split(separator: "\n").first { $0.hasPrefix("|-") || $0.hasPrefix("| -") }!
    let cells = rule.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
    #expect(cells.map { $0.hasSuffix(":") } == [false, false, true, true])
}

@Test func htmlTableHasHeadScopeAndEscapedText() {
    let table = Table(columns: [.init("<name>"), .init("value")],
                      rows: [[.text("a & b"), .number(1)], [.text("\"quoted\""), .number(2.5)]])
    let html = HTMLWriter.html(.table(table), options: .init(caption: "Table 1: <values>"))
    #expect(html.contains("<thead>"))
    #expect(html.contains("<th scope=\"col\">&lt;name&gt;</th>"))
    #expect(html.contains("<th scope=\"col\" class=\"number\">value</th>"))
    #expect(html.contains("<td>a &amp; b</td>"))
    #expect(html.contains("<td>&quot;quoted&quot;</td>"))
    #expect(html.contains("<caption>Table 1: &lt;values&gt;</caption>"))
    #expect(html.contains("<td class=\"number\">2.5</td>"))
}

@Test func markdownEscapesCellsThatWouldBreakTheTable() {
    let table = Table(columns: [.init("a|b")], rows: [[.text("x | *y* <z>\nnext")]])
    let markdown = MarkdownWriter.markdown(.table(table))
    #expect(markdown.contains("a\\|b"))
    #expect(markdown.contains("x \\| \\*y\\* \\<z\\> next"))
    #expect(markdown.split(separator: "\n").count == 3, "one header, one rule, one row")
}

@Test func longTablesAreCutVisiblyWithANote() {
    let rows: [[Table.Cell]] = (0..<5000).map { [.integer($0), .number(Double($0) * 0.5)] }
    let table = Table(columns: [.init("step"), .init("loss")], rows: rows)
    let text = TerminalWriter.text(.table(table), options: .init(maxTableRows: 10))
    expectGolden(text, "table-truncated.txt")
    #expect(text.contains("Showing 10 of 5000 rows; rows 9–4998 are not shown."))
    #expect(text.contains("4999"))
    let markdown = MarkdownWriter.markdown(.table(table), options: .init(maxTableRows: 10))
    #expect(markdown.contains("| ⋮ |") || markdown.contains("⋮"))
    #expect(markdown.contains("*Showing 10 of 5000 rows; rows 9–4998 are not shown.*"))
    let html = HTMLWriter.html(.table(table), options: .init(maxTableRows: 10))
    #expect(html.contains("<tfoot>"))
    #expect(html.components(separatedBy: "<tr>").count - 1 == 1 + 10 + 1, "header, 10 rows, one note")
}

@Test func wideCharactersKeepColumnsAligned() {
    let table = Table(columns: [.init("層"), .init("値")],
                      rows: [[.text("勾配ノルム"), .number(1.5)], [.text("🔥 loss"), .number(22)], [.text("ab"), .number(3)]])
    let text = TerminalWriter.text(.table(table))
    expectGolden(text, "table-wide.txt")
    let widths = text.split(separator: "\n").map { $0.displayWidth }
    #expect(Set(widths).count == 1, "every line ends in the same column: \(widths)")
}

@Test func raggedRowsAreNotedNotDropped() {
    let table = Table(columns: [.init("a"), .init("b")], rows: [[.integer(1)], [.integer(2), .integer(3), .integer(4)]])
    let text = TerminalWriter.text(.table(table))
    #expect(text.contains("1 rows have more cells than the 2 columns"))
}

@Test(arguments: [
    (NumberFormat.automatic, [0.4, 0.49, 1], ["0.40", "0.49", "1.00"]),
    (.automatic, [1, 4, 9], ["1", "4", "9"]),
    (.automatic, [0.25, 1, 1.129], ["0.250", "1.000", "1.129"]),
    (.automatic, [2.7e-59, 9.2e-42, 1], ["2.7e-59", "9.2e-42", "1.0e0"]),
    (.automatic, [1234.6, 0.001234], ["1.235e3", "1.234e-3"]),
    (.automatic, [3.14159, .nan, 2], ["3.142", "NaN", "2.000"]),
    (.significant(2), [0.012345, 0.5], ["0.012", "0.500"]),
    // Fixed point would show the largest value with five digits where three were asked for.
    (.significant(3), [0.36003, 0.26867, 0.00351], ["3.60e-1", "2.69e-1", "3.51e-3"]),
    (.fixed(1), [0.44, 12], ["0.4", "12.0"]),
    (.scientific(2), [1, 0.5], ["1.0e0", "5.0e-1"]),
])
func aNumericColumnSharesOnePrecision(_ format: NumberFormat, _ values: [Double], _ expected: [String]) {
    let column = format.forColumn(values)
    #expect(values.map { column.string($0) } == expected)
}

@Test func tableCellsOfAColumnShareItsPrecisionInEveryWriter() {
    let table = Table(columns: [.init("name"), .init("value")],
                      rows: [[.text("a"), .number(0.4)], [.text("b"), .number(0.49)], [.text("c"), .integer(2)]])
    let text = TerminalWriter.text(.table(table))
    #expect(text.contains("0.40") && text.contains("0.49") && text.contains("2.00"))
    #expect(!text.contains("0.4\n") && !text.contains(" 0.4 "))
    let markdown = MarkdownWriter.markdown(.table(table))
    #expect(markdown.contains(" 0.40 |") && markdown.contains(" 2.00 |"))
}

@Test func htmlNumbersLineUpOnTheirDecimalPoint() {
    let table = Table(columns: [.init("parameter"), .init("‖grad‖₂")],
                      rows: [[.text("0.weight"), .number(3.2e-58)], [.text("1.weight"), .number(12)], [.text("2.weight"), .text("—")]])
    let html = HTMLWriter.html(.table(table))
    // A dash stands for a missing number: the column stays numeric (right-aligned).
    #expect(html.contains("<th scope=\"col\" class=\"number\">‖grad‖₂</th>"))
    // "3.2e-58" and "1.2e1" end at different places after the point; the shorter is padded with
    // figure spaces (the width of a digit) so both points line up, and so is the dash.
    #expect(html.contains("<td class=\"number\">3.2e-58</td>"))
    #expect(html.contains("<td class=\"number\">1.2e1&#8199;&#8199;</td>"))
    #expect(html.contains("<td class=\"number\">—" + String(repeating: "&#8199;", count: 6) + "</td>"))
}
