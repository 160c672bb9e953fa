import Foundation

extension Array where Element: Sendable {
    /// `transform` applied to every element, at most `width` at a time, results in order. The
    /// elements are handed out one by one, so a slow one does not hold up a share of the others.
    func parallelMap<Result: Sendable>(width: Int, _ transform: @Sendable (Element) -> Result) -> [Result] {
        let results = Locked([Result?](repeating: nil, count: count))
        let next = Locked(0)
        let elements = self
        DispatchQueue.concurrentPerform(iterations: Swift.max(1, Swift.min(width, count))) { _ in
            while true {
                let index = next.withLock { value -> Int in
                    defer { value += 1 }
                    return value
                }
                guard index < elements.count else { return }
                let result = transform(elements[index])
                results.withLock { $0[index] = result }
            }
        }
        return results.withLock { $0.map { $0! } }
    }
}
