import Testing
@testable import NotebookCore

@Test(arguments: [
    (NumberFormat.automatic, 0.0, "0"),
    (.automatic, -0.0, "0"),
    (.automatic, 0.5, "0.5"),
    (.automatic, 1.0, "1"),
    (.automatic, 123456.0, "123456"),
    (.automatic, 3.14159265, "3.142"),
    (.automatic, -2.5e-7, "-2.5e-7"),
    (.automatic, 1.23456e-60, "1.235e-60"),
    (.automatic, 1e-300, "1e-300"),
    (.automatic, Double.leastNonzeroMagnitude, "4.941e-324"),
    (.automatic, 2.5e6, "2.5e6"),
    (.automatic, Double.greatestFiniteMagnitude, "1.798e308"),
    (.automatic, .nan, "NaN"),
    (.automatic, .infinity, "Inf"),
    (.automatic, -.infinity, "-Inf"),
    (.significant(2), 0.012345, "0.012"),
    (.significant(6), 2.0 / 3.0, "0.666667"),
    (.scientific(3), 1.234e-60, "1.23e-60"),
    (.scientific(3), 1000, "1.00e3"),
    (.scientific(3), 9.9996e-5, "1.00e-4"),
    (.fixed(2), 3.14159, "3.14"),
    (.fixed(2), -0.001, "0.00"),
    (.fixed(0), 2.5e6, "2500000"),
])
func numberFormat(_ format: NumberFormat, _ value: Double, _ expected: String) {
    #expect(format.string(value) == expected)
}

@Test func formattingDoesNotDependOnTheRun() {
    let values = (0..<200).map { Double($0) * 1.37e-3 - 0.1 }
    let first = values.map { NumberFormat.automatic.string($0) }
    let second = values.map { NumberFormat.automatic.string($0) }
    #expect(first == second)
    #expect(first.allSatisfy { !$0.contains(",") }, "a decimal comma would mean a locale leaked in")

}

@Test func percentages() {
    #expect(NumberFormat.percent(1).string(0.455) == "45.5%")
    #expect(NumberFormat.percent(0).string(1) == "100%")
    #expect(NumberFormat.percent(2).string(-0.00001) == "0.00%", "a rounded zero is zero")
}
