import NotebookCore

/// Shows any value as text in the block's output; a `Tensor` shows its shape and values.
public func show(_ value: Any) {
    LegendSession.emit(.text(String(describing: value) + "\n"))
}

/// Shows a table with named columns.
public func table(_ columns: [String], _ rows: [[any Sendable]], title: String? = nil) {
    let cells: [[Table.Cell]] = rows.map { row in
        row.map { value -> Table.Cell in
            switch value {
            case let number as Double: return .number(number)
            case let number as Float: return .number(Double(number))
            case let integer as Int: return .integer(integer)
            default: return .text(String(describing: value))
            }
        }
    }
    LegendSession.emit(.table(Table(title: title, columns: columns.map { Table.Column($0) }, rows: cells)))
}
