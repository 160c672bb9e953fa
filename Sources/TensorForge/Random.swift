/// Seeds the default generator. (Placeholder until the engine lands.)
nonisolated(unsafe) var defaultSeed: Int = 0
public func manualSeed(_ seed: Int) { defaultSeed = seed }
