// MARK: - Writing the canonical text form

extension IPAddress: CustomStringConvertible {
    /// Dotted-decimal IPv4, or IPv6 as RFC 5952 recommends: lowercase hex without leading
    /// zeros; "The use of the symbol '::' MUST be used to its maximum capability" but "MUST NOT
    /// be used to shorten just one 16-bit 0 field", and on a tie "the first sequence of zero
    /// bits MUST be shortened" (§4.2); an IPv4-mapped address ends in dotted IPv4,
    /// `::ffff:192.0.2.1` (§5). This is the form `REMOTE_ADDR` and the log show.
    public var description: String {
        switch self {
        case .v4(let bits): return Self.dotted(bits)
        case .v6(let high, let low):
            if case .v4(let bits) = unmapped { return "::ffff:" + Self.dotted(bits) }
            let groups = (0..<8).map { UInt16(truncatingIfNeeded: ($0 < 4 ? high : low) >> (48 - 16 * UInt64($0 % 4))) }
            let run = Self.longestZeroRun(groups)
            guard run.count >= 2 else { return groups.map { String($0, radix: 16) }.joined(separator: ":") }
            let before = groups[..<run.start].map { String($0, radix: 16) }.joined(separator: ":")
            let after = groups[(run.start + run.count)...].map { String($0, radix: 16) }.joined(separator: ":")
            return before + "::" + after
        }
    }

    private static func dotted(_ bits: UInt32) -> String {
        "\(bits >> 24).\(bits >> 16 & 0xFF).\(bits >> 8 & 0xFF).\(bits & 0xFF)"
    }

    /// The first longest run of zero groups.
    private static func longestZeroRun(_ groups: [UInt16]) -> (start: Int, count: Int) {
        var best = (start: 0, count: 0)
        var index = 0
        while index < groups.count {
            guard groups[index] == 0 else { index += 1; continue }
            var end = index
            while end < groups.count, groups[end] == 0 { end += 1 }
            if end - index > best.count { best = (index, end - index) }
            index = end
        }
        return best
    }
}
