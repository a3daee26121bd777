/// Reads one node, the address-and-port text of a forwarding entry, into a hop.
///
/// Why it exists: both headers name a hop the same way once `Forwarded`'s quoting is undone:
/// RFC 7239 §6 "node = nodename [ ":" node-port ]", "nodename = IPv4address / "[" IPv6address
/// "]" / "unknown" / obfnode". `X-Forwarded-For` has no specification; nginx and HAProxy write
/// bare addresses and nginx reads an optional port "according to RFC 3986", so it gets the same
/// rules plus a bare IPv6 address (`2001:db8::1`, never with a port: the last group would be
/// ambiguous).
enum ForwardedNode {
    /// The hop `bytes` names; `.unusable` unless it is an address with an optional port.
    /// A numeric port must be 0...65535; an obfuscated port (`_abc`, RFC 7239 §6.3) leaves
    /// the address usable and the port unknown.
    static func hop(_ bytes: ArraySlice<UInt8>, allowsBareIPv6: Bool) -> ForwardedHop {
        let colon = UInt8(ascii: ":")
        if bytes.first == UInt8(ascii: "[") {
            guard let close = bytes.firstIndex(of: UInt8(ascii: "]")),
                  case .v6(let high, let low)? = IPAddress.parseV6(bytes[(bytes.startIndex + 1)..<close]) else {
                return .unusable
            }
            let rest = bytes[(close + 1)...]
            if rest.isEmpty { return .address(.v6(high: high, low: low), port: nil) }
            guard rest.first == colon, let port = port(rest.dropFirst()) else { return .unusable }
            return .address(.v6(high: high, low: low), port: port.value)
        }
        let colons = bytes.lazy.filter { $0 == colon }.count
        if colons >= 2 {
            guard allowsBareIPv6, let address = IPAddress.parseV6(bytes) else { return .unusable }
            return .address(address, port: nil)
        }
        let parts = bytes.split(separator: colon, maxSplits: 1, omittingEmptySubsequences: false)
        guard let v4 = IPAddress.parseV4(parts[0]) else { return .unusable }
        guard parts.count == 2 else { return .address(.v4(v4), port: nil) }
        guard let port = port(parts[1]) else { return .unusable }
        return .address(.v4(v4), port: port.value)
    }

    /// A well-formed `node-port`: a number, or an obfuscated one that hides it.
    private enum Port {
        case number(UInt16)
        case obfuscated

        var value: UInt16? {
            if case .number(let value) = self { value } else { nil }
        }
    }

    /// `node-port = port / obfport`, "port = 1*5DIGIT", "obfport = "_" 1*(ALPHA / DIGIT / "." /
    /// "_" / "-")" (RFC 7239 §6); nil for anything else.
    private static func port(_ bytes: ArraySlice<UInt8>) -> Port? {
        if bytes.first == UInt8(ascii: "_") {
            guard bytes.count >= 2, bytes.dropFirst().allSatisfy(isObfuscatedByte) else { return nil }
            return .obfuscated
        }
        guard (1...5).contains(bytes.count), bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
            return nil
        }
        let value = bytes.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        return value <= 65535 ? .number(UInt16(value)) : nil
    }

    /// `ALPHA / DIGIT / "." / "_" / "-"`, the characters after an obfuscated identifier's `_`.
    private static func isObfuscatedByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "-"):
            true
        default:
            false
        }
    }
}
