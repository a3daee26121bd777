/// An expectation a test helper could not meet (timeout, unexpected bytes); tests let it
/// propagate, so Swift Testing reports the message.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A point in time `seconds` from now, on the monotonic clock, for helpers that wait.
public struct TestDeadline: Sendable {
    let end: ContinuousClock.Instant
    public init(seconds: Double) { end = .now + .milliseconds(Int(seconds * 1000)) }
    /// Milliseconds left (0 once passed), as poll(2) wants them.
    public var remainingMilliseconds: Int32 {
        let left = ContinuousClock.now.duration(to: end)
        if left <= .zero { return 0 }
        let (seconds, attoseconds) = left.components
        return Int32(clamping: seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1)
    }
    public var hasPassed: Bool { ContinuousClock.now >= end }
}
