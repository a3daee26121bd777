/// `--rate=N/s` or `N/m`: how many WebSocket handshakes one client may start per second or
/// per minute, in the long run.
///
/// Why it exists: the flag's value is a count and a period; the gateway needs the interval
/// between two tokens, and the log and help need the value as the user wrote it.
public struct HandshakeRate: Sendable, Equatable, CustomStringConvertible {
    /// The unit after the slash.
    public enum Period: String, Sendable, Equatable {
        case second = "s"
        case minute = "m"

        /// The period in nanoseconds.
        public var nanoseconds: Int64 { self == .second ? 1_000_000_000 : 60_000_000_000 }
    }

    /// Handshakes per `period`, at least 1.
    public let count: Int
    public let period: Period

    public init(count: Int, per period: Period) {
        self.count = max(1, count)
        self.period = period
    }

    /// The time one token takes to come back.
    public var intervalNanoseconds: Int64 { period.nanoseconds / Int64(count) }

    /// `5/s`, `30/m`.
    public var description: String { "\(count)/\(period.rawValue)" }
}
