public import WSGateHTTP

/// The unit per-client limits count: one IPv4 address, or one IPv6 /64.
///
/// Why it exists: an IPv6 host usually holds a whole /64 and can pick a new address in it for
/// every connection, so limits on single IPv6 addresses would limit nothing. An IPv4-mapped
/// IPv6 address (a dual-stack socket's view of an IPv4 peer) counts as its IPv4 address.
public enum ClientKey: Sendable, Hashable, CustomStringConvertible {
    case v4(UInt32)
    /// The first 64 bits of an IPv6 address.
    case v6Prefix(UInt64)

    public init(_ address: IPAddress) {
        switch address.unmapped {
        case .v4(let bits): self = .v4(bits)
        case .v6(let high, _): self = .v6Prefix(high)
        }
    }

    public var description: String {
        switch self {
        case .v4(let bits): IPAddress.v4(bits).description
        case .v6Prefix(let high): "\(IPAddress.v6(high: high, low: 0))/64"
        }
    }
}
