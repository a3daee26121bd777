/// The number a room gives each client it admits, as the backend sees it in `"client":ID`.
///
/// Why it exists: the backend names clients in `"to"` and `"close"`, so an ID must be unique
/// within the room for its lifetime; the engine hands them out from a UInt64 counter (never
/// reused, never 0). A struct keeps them from mixing with other integers. JavaScript reads
/// integers exactly only up to 2^53, far beyond any counter's reach.
public struct RoomClientID: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let rawValue: UInt64

    public init(_ rawValue: UInt64) {
        self.rawValue = rawValue
    }

    public static func < (lhs: RoomClientID, rhs: RoomClientID) -> Bool { lhs.rawValue < rhs.rawValue }

    public var description: String { String(rawValue) }
}
