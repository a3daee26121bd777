/// The 4-byte masking key of a frame (RFC 6455 §5.3).
///
/// Why it exists: a named value instead of a bare `UInt32` makes the byte order explicit —
/// `networkOrder` holds the key as it appears on the wire, first key byte in the most
/// significant position. It is not a source of randomness: a client (benchmark tool) must
/// pick keys from a strong random source itself (§5.3).
public struct WebSocketMaskingKey: Hashable, Sendable {
    /// The key read as a big-endian integer: octet i of the key is `networkOrder >> (24 - 8i)`.
    public let networkOrder: UInt32

    public init(networkOrder: UInt32) {
        self.networkOrder = networkOrder
    }

    /// The key from its four octets, in wire order.
    public init(_ b0: UInt8, _ b1: UInt8, _ b2: UInt8, _ b3: UInt8) {
        networkOrder = UInt32(b0) << 24 | UInt32(b1) << 16 | UInt32(b2) << 8 | UInt32(b3)
    }

    /// Octet `index` (0...3) of the key, in wire order.
    public subscript(index: Int) -> UInt8 {
        UInt8(truncatingIfNeeded: networkOrder >> UInt32(24 - 8 * (index & 3)))
    }

    /// The four octets in wire order.
    public var bytes: [UInt8] { [self[0], self[1], self[2], self[3]] }
}
