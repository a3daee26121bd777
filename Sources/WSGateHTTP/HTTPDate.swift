import WSGateCore

/// A point in time as HTTP writes it: whole seconds since the Unix epoch, UTC, shown as an
/// IMF-fixdate (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 §5.6.7).
///
/// Why it exists: `Date`, `Last-Modified`, `If-Modified-Since`, `If-Unmodified-Since` and
/// `If-Range` carry HTTP-dates, and validators compare them to the second (RFC 9110 §8.8.2.2),
/// so one value type must write the preferred format and read the three a recipient must accept
/// (`HTTPDate+Parsing.swift`). Its range is what a four-digit year allows, 0000-01-01 00:00:00
/// to 9999-12-31 23:59:59 (proleptic Gregorian): every date it parses fits, and a time outside
/// it (a file stamped in year 20000) is clamped to the nearest end, so formatting always gives
/// an IMF-fixdate that parses back to the same value. It never reads the clock.
public struct HTTPDate: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// 0000-01-01 00:00:00 GMT, the earliest HTTP-date.
    public static let earliest = HTTPDate(clampedSeconds: -62_167_219_200)
    /// 9999-12-31 23:59:59 GMT, the latest HTTP-date.
    public static let latest = HTTPDate(clampedSeconds: 253_402_300_799)

    static let secondsPerDay = 86_400

    /// Seconds since 1970-01-01 00:00:00 UTC, within `earliest...latest`.
    public let unixSeconds: Int

    /// The time `unixSeconds` after the epoch, clamped to `earliest...latest`; sub-second
    /// precision is the caller's to drop (HTTP-dates have none).
    public init(unixSeconds: Int) {
        self.unixSeconds = min(max(unixSeconds, Self.earliest.unixSeconds), Self.latest.unixSeconds)
    }

    private init(clampedSeconds: Int) {
        unixSeconds = clampedSeconds
    }

    /// `Sun, 06 Nov 1994 08:49:37 GMT`: `IMF-fixdate = day-name "," SP date1 SP time-of-day SP
    /// GMT` (RFC 9110 §5.6.7), the only format a sender may generate. The zone is the literal
    /// `GMT`, never `+0000`.
    public var imfFixdate: String {
        let (days, secondOfDay) = unixSeconds.floorDividedWithRemainder(by: Self.secondsPerDay)
        let date = GregorianCalendar.date(daysSinceUnixEpoch: days)
        return CivilTime.rfc1123(
            year: date.year, month: date.month, day: date.day,
            weekday: GregorianCalendar.weekday(daysSinceUnixEpoch: days),
            hour: secondOfDay / 3600, minute: secondOfDay / 60 % 60, second: secondOfDay % 60, zone: "GMT")
    }

    /// The IMF-fixdate.
    public var description: String { imfFixdate }

    public static func < (lhs: HTTPDate, rhs: HTTPDate) -> Bool {
        lhs.unixSeconds < rhs.unixSeconds
    }
}

extension Int {
    /// The quotient rounded towards minus infinity and the remainder in `0..<divisor`
    /// (`divisor` > 0): seconds before the epoch still fall into their own day.
    func floorDividedWithRemainder(by divisor: Int) -> (quotient: Int, remainder: Int) {
        let (quotient, remainder) = quotientAndRemainder(dividingBy: divisor)
        return remainder < 0 ? (quotient - 1, remainder + divisor) : (quotient, remainder)
    }
}
