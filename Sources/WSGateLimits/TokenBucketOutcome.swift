/// What `TokenBucket.take(now:)` answers.
///
/// Why it exists: a refusal carries the wait, which the gateway turns into `Retry-After`.
public enum TokenBucketOutcome: Sendable, Equatable {
    case allowed
    /// No token; the next comes in `waitNanoseconds`.
    case refused(waitNanoseconds: Int64)

    /// A `Retry-After` value for a wait: whole seconds rounded up, at least 1.
    public static func retryAfterSeconds(forWait nanoseconds: Int64) -> Int {
        max(1, Int((nanoseconds + 999_999_999) / 1_000_000_000))
    }
}
