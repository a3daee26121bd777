/// The DURATION values of `--max-session` and `--idle-timeout`: `250ms`, `90s`, `10m`, `1h`,
/// `1h30m`, or a bare number of seconds.
///
/// Why it exists: limits of minutes and hours read badly in milliseconds (`--pingms`'s way),
/// and the log line that reports a limit must say it back in the same terms, so reading and
/// writing live in one pure type. The grammar is deliberately small: whole numbers only, units
/// `h`, `m`, `s`, `ms` in that order, each at most once, lower case, no sign, no spaces.
public enum DurationSyntax {
    /// The outcome of reading a DURATION.
    public enum Reading: Equatable, Sendable {
        case milliseconds(Int)
        /// Not a DURATION at all.
        case malformed
        /// Well formed, but more than the maximum (or more than an `Int` holds).
        case outOfRange
    }

    /// The units, largest first, with their length in milliseconds.
    private static let units: [(suffix: String, milliseconds: Int)] = [
        ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1),
    ]

    /// Reads `text`; a result above `maximumMilliseconds` is `.outOfRange`.
    public static func parse(_ text: String, maximumMilliseconds: Int) -> Reading {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return .malformed }
        var total = 0
        var index = 0
        // Units must come largest first: the index into `units` the next one must be after.
        var nextUnit = 0
        var overflowed = false
        while index < bytes.count {
            let digitsStart = index
            var number = 0
            while index < bytes.count, let digit = decimalDigit(bytes[index]) {
                // Keep reading after an overflow: a malformed tail is still reported as malformed.
                let (times, timesOverflow) = number.multipliedReportingOverflow(by: 10)
                let (sum, sumOverflow) = times.addingReportingOverflow(digit)
                overflowed = overflowed || timesOverflow || sumOverflow
                number = sum
                index += 1
            }
            guard index > digitsStart else { return .malformed }
            let suffixStart = index
            while index < bytes.count, decimalDigit(bytes[index]) == nil { index += 1 }
            let suffix = String(decoding: bytes[suffixStart..<index], as: UTF8.self)
            let scale: Int
            if suffix.isEmpty {
                // A bare number is seconds, and only on its own (`90`, not `1m30`).
                guard digitsStart == 0 else { return .malformed }
                scale = 1000
            } else {
                guard let unit = units.indices.first(where: { units[$0].suffix == suffix }), unit >= nextUnit else {
                    return .malformed
                }
                nextUnit = unit + 1
                scale = units[unit].milliseconds
            }
            let (part, partOverflow) = number.multipliedReportingOverflow(by: scale)
            let (sum, sumOverflow) = total.addingReportingOverflow(part)
            overflowed = overflowed || partOverflow || sumOverflow
            total = sum
        }
        guard !overflowed, total <= maximumMilliseconds else { return .outOfRange }
        return .milliseconds(total)
    }

    /// `milliseconds` in its largest whole unit (`3600000` is `1h`, `90000` is `90s`, `1500`
    /// is `1500ms`): what the log says a limit was. Reads back as the same value.
    public static func text(milliseconds: Int) -> String {
        guard milliseconds != 0 else { return "0s" }
        let unit = units.first { milliseconds % $0.milliseconds == 0 } ?? units[units.count - 1]
        return String(milliseconds / unit.milliseconds) + unit.suffix
    }

    private static func decimalDigit(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }
}
