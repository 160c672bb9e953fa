/// A build's stop signal, shared by everything it started: `serve` cancels a build that a newer
/// edit made stale, and the chapter programs and compilers it runs are stopped at once.
public final class Cancellation: Sendable {
    private let flag = Locked(false)

    public init() {}

    public func cancel() { flag.withLock { $0 = true } }

    public var isCancelled: Bool { flag.withLock { $0 } }
}
