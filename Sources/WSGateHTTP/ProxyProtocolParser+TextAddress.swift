// MARK: - addresses and ports in a v1 line (section 2.1)

extension ProxyProtocolParser {
    private static let dot = UInt8(ascii: ".")
    private static let colon = UInt8(ascii: ":")

    /// "IPv4 addresses must be indicated as a series of exactly 4 integers in the range
    /// [0..255] inclusive written in decimal representation separated by exactly one dot
    /// between each other. Heading zeroes are not permitted".
    static func ipv4Text(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        let parts = text.split(separator: dot, omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var address: [UInt8] = []
        for part in parts {
            guard let value = decimal(part, maxDigits: 3), value <= 255 else { return nil }
            address.append(UInt8(value))
        }
        return address
    }

    /// "IPv6 addresses must be indicated as series of sets of 4 hexadecimal digits (upper or
    /// lower case) delimited by colons between each other, with the acceptance of one double
    /// colon sequence to replace the largest acceptable range of consecutive zeroes. The total
    /// number of decoded bits must exactly be 128."
    ///
    /// Read with two allowances the text form of RFC 4291 §2.2 makes and HAProxy relies on: a
    /// set of 1 to 4 digits (inet_ntop drops leading zeroes: `2001:db8::1`), and a dotted IPv4
    /// address as the last 32 bits (HAProxy writes a TCP6 line with `::ffff:192.0.2.1` when one
    /// side is IPv4). Where the `::` stands is not checked against "the largest range".
    static func ipv6Text(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        guard let gap = doubleColon(in: text) else {
            guard let groups = ipv6Groups(text, dottedTail: true), groups.count == 16 else { return nil }
            return groups
        }
        // "one double colon sequence": a second one (or `:::`) is an error.
        guard doubleColon(in: text[(gap + 1)...]) == nil,
              let head = gap == text.startIndex ? [] : ipv6Groups(text[..<gap], dottedTail: false),
              let tail = gap + 2 == text.endIndex ? [] : ipv6Groups(text[(gap + 2)...], dottedTail: true),
              head.count + tail.count <= 14 else { return nil }
        return head + [UInt8](repeating: 0, count: 16 - head.count - tail.count) + tail
    }

    /// The index of the first `::` in `text`, if any.
    private static func doubleColon(in text: ArraySlice<UInt8>) -> Int? {
        text.indices.dropLast().first { text[$0] == colon && text[$0 + 1] == colon }
    }

    /// The bytes of colon-separated hex sets (no `::`); with `dottedTail`, the last set may be
    /// a dotted IPv4 address.
    private static func ipv6Groups(_ text: ArraySlice<UInt8>, dottedTail: Bool) -> [UInt8]? {
        let sets = text.split(separator: colon, omittingEmptySubsequences: false)
        var bytes: [UInt8] = []
        for (index, set) in sets.enumerated() {
            if dottedTail, index == sets.count - 1, set.contains(dot) {
                guard let ipv4 = ipv4Text(set) else { return nil }
                bytes += ipv4
                continue
            }
            guard (1...4).contains(set.count) else { return nil }
            var value = 0
            for digit in set {
                guard let digitValue = hexDigitValue(digit) else { return nil }
                value = value << 4 | digitValue
            }
            bytes += [UInt8(value >> 8), UInt8(value & 0xFF)]
        }
        return bytes.count <= 16 ? bytes : nil
    }

    /// "the TCP source port represented as a decimal integer in the range [0..65535]
    /// inclusive. Heading zeroes are not permitted in front of numbers".
    static func portText(_ text: ArraySlice<UInt8>) -> UInt16? {
        guard let value = decimal(text, maxDigits: 5), value <= 65535 else { return nil }
        return UInt16(value)
    }

    /// A decimal number of 1 to `maxDigits` digits, without a leading zero unless it is `0`.
    private static func decimal(_ text: ArraySlice<UInt8>, maxDigits: Int) -> Int? {
        guard (1...maxDigits).contains(text.count), text.count == 1 || text.first != UInt8(ascii: "0") else { return nil }
        var value = 0
        for digit in text {
            guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(digit) else { return nil }
            value = value * 10 + Int(digit - UInt8(ascii: "0"))
        }
        return value
    }

    /// The value of a hex digit (either case), or nil.
    static func hexDigitValue(_ byte: UInt8) -> Int? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return Int(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return Int(byte - UInt8(ascii: "a")) + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return Int(byte - UInt8(ascii: "A")) + 10
        default: return nil
        }
    }
}
