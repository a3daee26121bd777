extension ProxyAddress {
    /// The address as the rest of the module compares and prints addresses.
    public var ipAddress: IPAddress {
        switch self {
        case .ipv4(let bytes, _):
            return .v4(bytes.reduce(0) { $0 << 8 | UInt32($1) })
        case .ipv6(let bytes, _):
            let high = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            let low = bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
            return .v6(high: high, low: low)
        }
    }
}
