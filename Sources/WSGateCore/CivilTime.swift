/// A wall-clock time broken into fields, with its offset from UTC.
///
/// Why it exists: log lines print the local time in websocketd's format (RFC 1123 with a
/// numeric zone), and formatting must be pure so it can be tested without touching the clock.
public struct CivilTime: Sendable, Equatable {
    public var year: Int, month: Int, day: Int, weekday: Int  // weekday 0 = Sunday
    public var hour: Int, minute: Int, second: Int, nanosecond: Int
    public var utcOffsetSeconds: Int
    /// Nanoseconds since the Unix epoch (websocketd uses it as the connection id).
    public var unixNanoseconds: Int64

    public init(year: Int, month: Int, day: Int, weekday: Int, hour: Int, minute: Int, second: Int,
                nanosecond: Int, utcOffsetSeconds: Int, unixNanoseconds: Int64) {
        self.year = year; self.month = month; self.day = day; self.weekday = weekday
        self.hour = hour; self.minute = minute; self.second = second; self.nanosecond = nanosecond
        self.utcOffsetSeconds = utcOffsetSeconds; self.unixNanoseconds = unixNanoseconds
    }

    /// Day names from Sunday, as RFC 5322 §3.3 and HTTP's IMF-fixdate (RFC 9110 §5.6.7) spell them.
    public static let weekdayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    /// Month names from January, as RFC 5322 §3.3 and HTTP-date (RFC 9110 §5.6.7) spell them.
    public static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    /// `Fri, 27 Nov 2026 03:11:43 +0000` (Go's RFC1123Z, websocketd's log time).
    public var rfc1123: String {
        let offset = abs(utcOffsetSeconds) / 60
        let sign = utcOffsetSeconds < 0 ? "-" : "+"
        return Self.rfc1123(year: year, month: month, day: day, weekday: weekday, hour: hour, minute: minute,
                            second: second, zone: "\(sign)\(Self.pad(offset / 60))\(Self.pad(offset % 60))")
    }

    /// `<day-name>, DD Mon YYYY hh:mm:ss <zone>`, the RFC 5322 §3.3 layout shared by the log time
    /// (numeric zone) and HTTP's IMF-fixdate (zone `GMT`, RFC 9110 §5.6.7). The fields must be a
    /// real time (weekday 0...6, month 1...12); the year is written with at least four digits.
    public static func rfc1123(year: Int, month: Int, day: Int, weekday: Int, hour: Int, minute: Int, second: Int,
                               zone: String) -> String {
        // Written byte by byte: the Date of every plain-HTTP answer and a file's Last-Modified.
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        func digits(_ value: Int, _ count: Int) {
            var divisor = 1
            for _ in 1..<count { divisor *= 10 }
            // A year before 0 or after 9999 (a file's mtime can be anything) as it comes.
            if value < 0 || value >= divisor * 10 { bytes.append(contentsOf: String(value).utf8); return }
            while divisor > 0 {
                bytes.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
                divisor /= 10
            }
        }
        bytes.append(contentsOf: weekdayNames[weekday].utf8)
        bytes.append(contentsOf: ", ".utf8)
        digits(day, 2)
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: monthNames[month - 1].utf8)
        bytes.append(UInt8(ascii: " "))
        digits(year, 4)
        bytes.append(UInt8(ascii: " "))
        digits(hour, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(minute, 2)
        bytes.append(UInt8(ascii: ":"))
        digits(second, 2)
        bytes.append(UInt8(ascii: " "))
        bytes.append(contentsOf: zone.utf8)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `2026-11-27T03:11:43.123456+00:00` (RFC 3339 with microseconds, for JSON logs).
    public var rfc3339: String {
        let offset = abs(utcOffsetSeconds) / 60
        let sign = utcOffsetSeconds < 0 ? "-" : "+"
        var micros = String(nanosecond / 1000)
        while micros.count < 6 { micros = "0" + micros }
        return "\(year)-\(Self.pad(month))-\(Self.pad(day))T\(Self.pad(hour)):\(Self.pad(minute)):\(Self.pad(second))"
            + ".\(micros)\(sign)\(Self.pad(offset / 60)):\(Self.pad(offset % 60))"
    }

    private static func pad(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
