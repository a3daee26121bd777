/// One end of a proxied connection as a PROXY protocol header states it: the address bytes in
/// network order and the port.
///
/// Why it exists: this module reads bytes and does no I/O, so it cannot hand out the socket
/// layer's `SocketAddress`; the layer that accepts connections turns this value into one.
/// Bytes rather than text, because a v2 header carries bytes and a v1 line's text has many
/// spellings of one IPv6 address (`::1`, `0:0::1`): comparing values must not depend on them.
public enum ProxyAddress: Equatable, Hashable, Sendable {
    /// An IPv4 address: exactly 4 bytes, most significant first.
    case ipv4([UInt8], port: UInt16)
    /// An IPv6 address: exactly 16 bytes, most significant first.
    case ipv6([UInt8], port: UInt16)

    /// The address bytes (4 or 16), network order.
    public var bytes: [UInt8] {
        switch self {
        case .ipv4(let bytes, _), .ipv6(let bytes, _): return bytes
        }
    }

    /// The TCP port.
    public var port: UInt16 {
        switch self {
        case .ipv4(_, let port), .ipv6(_, let port): return port
        }
    }
}
