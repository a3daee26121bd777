/// A block of addresses written in CIDR notation (RFC 4632 §3.1): `10.0.0.0/8`, `fd00::/8`, or
/// a single address `127.0.0.1` (a /32) or `::1` (a /128).
///
/// Why it exists: `--trusted-proxy` names the proxies whose forwarding headers wsgate believes,
/// usually as whole subnets. The address is stored with its host bits clear, so equal networks
/// compare equal and `description` parses back to the same value.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    /// The first address of the block (host bits zero).
    public let address: IPAddress
    /// How many leading bits every member shares: 0...32 for IPv4, 0...128 for IPv6.
    public let prefixLength: Int

    /// Parses `ADDRESS` or `ADDRESS/PREFIX`. IPv6 is written without brackets, as nginx's
    /// `set_real_ip_from 2001:0db8::/32` is.
    ///
    /// Host bits set (`10.0.0.1/8`) are refused, not masked. nginx accepts them with the warning
    /// "low address bits of 10.0.0.1/8 are meaningless"; wsgate has no configuration-time
    /// warning channel, and a trust list is the place where a typo (was `10.0.0.1/32` meant?)
    /// must not widen silently, so the message names the network the value would have meant.
    public init(parsing text: String) throws(IPNetworkError) {
        let bytes = Array(text.utf8)[...]
        guard !bytes.isEmpty else { throw IPNetworkError(text: text, problem: .empty) }
        guard bytes.first != UInt8(ascii: "[") else { throw IPNetworkError(text: text, problem: .bracketed) }
        let parts = bytes.split(separator: UInt8(ascii: "/"), maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = IPAddress.parse(parts[0]) else { throw IPNetworkError(text: text, problem: .notAnAddress) }
        let width = address.bitWidth
        var length = width
        if parts.count == 2 {
            let digits = parts[1]
            guard (1...3).contains(digits.count), digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
                throw IPNetworkError(text: text, problem: .badPrefixLength)
            }
            length = digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
            guard length <= width else { throw IPNetworkError(text: text, problem: .prefixTooLong(maximum: width)) }
        }
        let network = IPNetwork(masking: address, prefixLength: length)
        guard network.address == address else { throw IPNetworkError(text: text, problem: .hostBitsSet(network: network)) }
        self = network
    }

    /// The network of `prefixLength` bits that `address` belongs to (host bits cleared).
    /// `prefixLength` is clamped to 0...32 or 0...128.
    public init(masking address: IPAddress, prefixLength: Int) {
        let length = min(max(prefixLength, 0), address.bitWidth)
        self.prefixLength = length
        switch address {
        case .v4(let bits): self.address = .v4(bits & Self.mask32(length))
        case .v6(let high, let low):
            self.address = .v6(high: high & Self.mask64(length), low: low & Self.mask64(length - 64))
        }
    }

    /// Whether `candidate` is in this block. Families are compared through the IPv4-mapped form
    /// (RFC 4291 §2.5.5.2): the peer `::ffff:10.1.2.3` that a dual-stack socket reports is in
    /// `10.0.0.0/8`, and `10.1.2.3` is in `::ffff:10.0.0.0/104`; `0.0.0.0/0` holds no native
    /// IPv6 address, `::/0` holds everything.
    public func contains(_ candidate: IPAddress) -> Bool {
        switch (address, candidate.unmapped) {
        case (.v4(let network), .v4(let bits)):
            return bits & Self.mask32(prefixLength) == network
        case (.v4, .v6):
            return false
        default:
            let (high, low) = candidate.asIPv6
            let (networkHigh, networkLow) = address.asIPv6
            return high & Self.mask64(prefixLength) == networkHigh && low & Self.mask64(prefixLength - 64) == networkLow
        }
    }

    /// `10.0.0.0/8`, `::1/128`: always with the prefix length, so it reads back unchanged.
    public var description: String { "\(address)/\(prefixLength)" }

    /// The top `length` bits set (none for 0 or less, all for 32 or more).
    private static func mask32(_ length: Int) -> UInt32 {
        length <= 0 ? 0 : length >= 32 ? .max : ~(UInt32.max >> UInt32(length))
    }

    /// The top `length` bits set (none for 0 or less, all for 64 or more).
    private static func mask64(_ length: Int) -> UInt64 {
        length <= 0 ? 0 : length >= 64 ? .max : ~(UInt64.max >> UInt64(length))
    }
}

extension IPAddress {
    /// 32 for IPv4, 128 for IPv6: the longest prefix length.
    public var bitWidth: Int {
        if case .v4 = self { 32 } else { 128 }
    }
}
