public import WSGateCore

/// A token bucket: `burst` tokens at most, one more every `interval`.
///
/// Why it exists: `--rate` lets each client make a burst of handshakes and then a steady rate.
/// It is kept as the instant the bucket will be full again (the generic cell rate algorithm),
/// one integer instead of a token count and a refill time, and never reads a clock: the caller
/// passes `now`, so tests run on made-up instants.
public struct TokenBucket: Sendable, Equatable {
    /// The time one token takes to come back, in nanoseconds.
    public let interval: Int64
    /// The most tokens the bucket holds.
    public let burst: Int
    /// When the bucket is full again; at or before now means full.
    private var fullAt: Instant

    /// A full bucket refilling `tokensPerSecond` tokens a second (at least 1).
    public init(tokensPerSecond: Int, burst: Int) {
        self.init(interval: 1_000_000_000 / Int64(max(1, tokensPerSecond)), burst: burst)
    }

    /// A full bucket refilling one token every `interval` nanoseconds (at least 1; a burst of
    /// at least 1).
    public init(interval: Int64, burst: Int) {
        self.interval = max(1, interval)
        self.burst = max(1, burst)
        fullAt = Instant(nanoseconds: .min / 2)
    }

    /// Takes a token if there is one; else how long until there is.
    public mutating func take(now: Instant) -> TokenBucketOutcome {
        let start = max(fullAt, now)
        // What the bucket lacks after this take must stay within burst - 1 tokens.
        let lackAfter = start.nanoseconds - now.nanoseconds + interval
        let allowance = interval * Int64(burst)
        guard lackAfter <= allowance else { return .refused(waitNanoseconds: lackAfter - allowance) }
        fullAt = Instant(nanoseconds: start.nanoseconds + interval)
        return .allowed
    }

    /// Whether the bucket holds all `burst` tokens at `now` (an entry that may be forgotten).
    public func isFull(at now: Instant) -> Bool { fullAt <= now }

    /// When the bucket is full again.
    public var fullAgain: Instant { fullAt }
}
