import WSGateConfig

/// The values of `--max-per-ip`, `--rate` and `--rate-burst`.
///
/// Why it exists: each refuses 0 and absurd values with a reason that says what to write
/// instead, and `--rate` has its own `N/s` syntax; the table rows stay one line each.
enum ClientLimitSyntax {
    /// The largest count any of the three accepts (keeps `interval × burst` far from overflow).
    static let maximumCount = 1_000_000

    /// A positive count in Go integer syntax; nil for an empty value (no limit).
    static func count(_ argument: FlagArgument) throws(CLIError) -> Int? {
        guard argument.nonEmpty != nil else { return nil }
        let value = try argument.integer(in: Int.min...Int.max)
        guard value >= 1 else { throw argument.rejected("must be at least 1 (leave the flag out for no limit)") }
        guard value <= maximumCount else { throw argument.rejected("must be at most \(maximumCount)") }
        return value
    }

    /// `N/s` or `N/m` (N a positive decimal count); nil for an empty value (no limit).
    static func rate(_ argument: FlagArgument) throws(CLIError) -> HandshakeRate? {
        guard argument.nonEmpty != nil else { return nil }
        let parts = argument.text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let period = HandshakeRate.Period(rawValue: String(parts[1])),
              !parts[0].isEmpty, parts[0].allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int(parts[0]) else {
            throw argument.rejected("expected N/s or N/m, e.g. 5/s")
        }
        guard count >= 1 else { throw argument.rejected("must be at least 1/m (leave the flag out for no limit)") }
        guard count <= maximumCount else { throw argument.rejected("at most \(maximumCount) per period") }
        return HandshakeRate(count: count, per: period)
    }
}
