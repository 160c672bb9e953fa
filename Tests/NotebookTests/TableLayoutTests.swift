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
