/// A misuse check whose message survives optimised builds. Swift drops the message of
/// `precondition` under `-O`, and chapters run against a release build of the engine: a chapter
/// author must still read "reshaped: cannot reshape [2, 3] into [7]", not a bare trap.
@inline(__always)
func require(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String = "",
             file: StaticString = #fileID, line: UInt = #line) {
    if !condition() { fatalError(message(), file: file, line: line) }
}

/// `preconditionFailure` with a message that survives optimised builds.
func requirementFailed(_ message: @autoclosure () -> String, file: StaticString = #fileID, line: UInt = #line) -> Never {
    fatalError(message(), file: file, line: line)
}
