/// An IPv4 or IPv6 address as a plain value: no port, no zone, no socket.
///
/// Why it exists: deciding whether a peer is a trusted proxy, and which address that proxy
/// forwarded, is arithmetic on addresses read from text (`--trusted-proxy`, `X-Forwarded-For`,
/// `Forwarded`). This module stays pure, so it cannot use WSGatePosix's `SocketAddress`
/// (`inet_pton` underneath); this type parses and prints the text forms itself and depends on
/// nothing else in the module, so it can move down to WSGateCore if the CLI needs it.
public enum IPAddress: Sendable, Hashable {
    /// An IPv4 address, most significant byte first (`10.0.0.1` is `0x0A00_0001`).
    case v4(UInt32)
    /// An IPv6 address as its first and last 64 bits, most significant first.
    case v6(high: UInt64, low: UInt64)

    /// The first 96 bits of an IPv4-mapped IPv6 address: `::ffff:0:0/96` (RFC 4291 §2.5.5.2).
    static let mappedHigh: UInt64 = 0
    static let mappedLowPrefix: UInt64 = 0x0000_FFFF_0000_0000

    /// The IPv4 address an IPv4-mapped IPv6 address stands for, else the address itself. A
    /// dual-stack socket reports an IPv4 peer as `::ffff:a.b.c.d`.
    public var unmapped: IPAddress {
        if case .v6(let high, let low) = self, high == Self.mappedHigh, low >> 32 == Self.mappedLowPrefix >> 32 {
            return .v4(UInt32(truncatingIfNeeded: low))
        }
        return self
    }

    /// The address as IPv6: an IPv4 address becomes its mapped form `::ffff:a.b.c.d`.
    var asIPv6: (high: UInt64, low: UInt64) {
        switch self {
        case .v4(let bits): (Self.mappedHigh, Self.mappedLowPrefix | UInt64(bits))
        case .v6(let high, let low): (high, low)
        }
    }
}
