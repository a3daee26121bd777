// MARK: - Reading the text forms

extension IPAddress {
    /// Parses `192.0.2.1` or an IPv6 address such as `2001:db8::1` or `::ffff:192.0.2.1`;
    /// nil for anything else, including brackets, a port or a zone (`fe80::1%eth0`).
    ///
    /// IPv4 is strict dotted-decimal: four parts of 0-255 and no leading zeros, because
    /// `inet_aton` reads `010` as octal and this parser must not disagree with it silently.
    /// IPv6 follows RFC 4291 §2.2: one to four hex digits per group, "The use of '::' indicates
    /// one or more groups of 16 bits of zeros" and may appear once, and the last 32 bits may be
    /// written as dotted IPv4 (`x:x:x:x:x:x:d.d.d.d`).
    public init?(_ text: String) {
        guard let parsed = Self.parse(Array(text.utf8)[...]) else { return nil }
        self = parsed
    }

    /// The address spelled by `bytes`, IPv4 or IPv6; nil if it is neither.
    static func parse(_ bytes: ArraySlice<UInt8>) -> IPAddress? {
        if bytes.contains(UInt8(ascii: ":")) {
            return parseV6(bytes)
        }
        return parseV4(bytes).map { .v4($0) }
    }

    /// `dec-octet "." dec-octet "." dec-octet "." dec-octet` (RFC 3986 §3.2.2).
    static func parseV4(_ bytes: ArraySlice<UInt8>) -> UInt32? {
        guard bytes.count <= 15 else { return nil }
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var value: UInt32 = 0
        for part in parts {
            guard (1...3).contains(part.count), part.count == 1 || part.first != UInt8(ascii: "0") else { return nil }
            var octet: UInt32 = 0
            for byte in part {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                octet = octet * 10 + UInt32(byte - UInt8(ascii: "0"))
            }
            guard octet <= 255 else { return nil }
            value = value << 8 | octet
        }
        return value
    }

    /// RFC 4291 §2.2 text: eight groups, or fewer around one `::`, maybe ending in dotted IPv4.
    static func parseV6(_ bytes: ArraySlice<UInt8>) -> IPAddress? {
        // 45 is the longest form: six groups of four digits, then a dotted IPv4 address.
        guard bytes.count >= 2, bytes.count <= 45 else { return nil }
        let colon = UInt8(ascii: ":")
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var compressed = false
        var index = bytes.startIndex
        if bytes.first == colon {
            // Only `::` may start the address; a lone leading colon is malformed.
            guard bytes[index + 1] == colon else { return nil }
            compressed = true
            index += 2
        }
        while index < bytes.endIndex {
            let end = bytes[index...].firstIndex(of: colon) ?? bytes.endIndex
            let piece = bytes[index..<end]
            if piece.contains(UInt8(ascii: ".")) {
                // The embedded IPv4 address must be the last piece.
                guard end == bytes.endIndex, let v4 = parseV4(piece) else { return nil }
                let groups = [UInt16(v4 >> 16), UInt16(truncatingIfNeeded: v4)]
                if compressed { tail += groups } else { head += groups }
                break
            }
            guard let group = hexGroup(piece) else { return nil }
            if compressed { tail.append(group) } else { head.append(group) }
            guard head.count + tail.count <= 8 else { return nil }
            if end == bytes.endIndex { break }
            index = end + 1
            if index < bytes.endIndex, bytes[index] == colon {
                guard !compressed else { return nil }
                compressed = true
                index += 1
            } else if index == bytes.endIndex {
                return nil // a trailing single colon
            }
        }
        let count = head.count + tail.count
        guard compressed ? count <= 7 : count == 8 else { return nil }
        let groups = head + [UInt16](repeating: 0, count: 8 - count) + tail
        let high = groups[0..<4].reduce(0 as UInt64) { $0 << 16 | UInt64($1) }
        let low = groups[4..<8].reduce(0 as UInt64) { $0 << 16 | UInt64($1) }
        return .v6(high: high, low: low)
    }

    /// `h16 = 1*4HEXDIG` (RFC 3986 §3.2.2), either case.
    private static func hexGroup(_ bytes: ArraySlice<UInt8>) -> UInt16? {
        guard (1...4).contains(bytes.count) else { return nil }
        var value: UInt16 = 0
        for byte in bytes {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }
}
