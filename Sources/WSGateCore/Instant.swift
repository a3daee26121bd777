/// A point on the monotonic clock, in nanoseconds since an arbitrary origin.
///
/// Why it exists: timers, handshake deadlines and the close timeout compare instants that the
/// event loop reads once per tick and passes down; state machines never read a clock
/// themselves, so tests drive them with made-up instants.
public struct Instant: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var nanoseconds: Int64

    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// The instant `milliseconds` later.
    public func adding(milliseconds: Int) -> Instant {
        Instant(nanoseconds: nanoseconds &+ Int64(milliseconds) &* 1_000_000)
    }

    /// Whole milliseconds from `self` until `later` (negative if `later` is earlier).
    public func milliseconds(until later: Instant) -> Int64 {
        (later.nanoseconds &- nanoseconds) / 1_000_000
    }

    /// Far in the future: "no deadline".
    public static let distantFuture = Instant(nanoseconds: .max / 2)

    public static func < (lhs: Instant, rhs: Instant) -> Bool { lhs.nanoseconds < rhs.nanoseconds }

    public var description: String { "\(nanoseconds)ns" }
}
