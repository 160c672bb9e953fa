import Testing
@testable import NotebookCore
@Test func scientificNotation() { #expect(NumberFormat.scientific(3).string(1.234e-60) == "1.23e-60") }
