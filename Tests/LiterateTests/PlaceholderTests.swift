import Testing
@testable import Literate
@Test func placeholder() {}
