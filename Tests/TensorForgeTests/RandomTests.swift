import Testing
@testable import TensorForge
@Test func placeholder() { manualSeed(1); #expect(defaultSeed == 1) }
