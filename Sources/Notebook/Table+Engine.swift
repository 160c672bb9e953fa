import NotebookCore

extension Table.Cell {
    /// Engine values that have a natural cell (filled in once TensorForge is merged).
    static func engineValue(_ value: Any) -> Table.Cell? { nil }
}
