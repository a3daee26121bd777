import WSGateCore

// MARK: - Reading the three HTTP-date formats (RFC 9110 §5.6.7)

extension HTTPDate {
    /// The longest text worth reading: the formats are 24 to 33 bytes long.
    static let maxParsedLength = 64

    /// RFC 850's full day names (`day-name-l`), from Sunday.
    static let longWeekdayNames = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// Reads an HTTP-date in any of the three formats a recipient must accept (RFC 9110 §5.6.7):
    ///
    /// - IMF-fixdate: `Sun, 06 Nov 1994 08:49:37 GMT`
    /// - obsolete RFC 850: `Sunday, 06-Nov-94 08:49:37 GMT`
    /// - ANSI C asctime: `Sun Nov  6 08:49:37 1994` (the day may also be `06`)
    ///
    /// Returns nil for anything else, which callers treat as an absent field (RFC 9110 §13.1.3,
    /// §13.1.4). The rules, strict where the grammar is and lenient only where noted:
    ///
    /// - Names are case-sensitive, as HTTP-date is (RFC 9110 §5.6.7); only leading and trailing
    ///   OWS is skipped; anything after the date (an old `; length=…` suffix) refuses it.
    /// - Fields must form a real time: month name known, day within its month (29 Feb only in
    ///   leap years), hour 00–23, minute 00–59, second 00–60. A leap second `60` reads as `59`
    ///   (Unix time cannot count it, and the date stays on its own day).
    /// - The day name must be one of the seven, but is not checked against the date (robust
    ///   parsing, RFC 9110 §5.6.7; Go's `http.ParseTime`, behind websocketd, does the same):
    ///   the numeric fields alone define the time.
    /// - A two-digit RFC 850 year is the one in the 100-year window ending 50 years after `now`'s
    ///   year: a year that would be more than 50 years in the future is the previous century's
    ///   (RFC 9110 §5.6.7). With `now` in 2026, `76` is 2076 and `77` is 1977.
    public init?(parsing text: String, now: HTTPDate) {
        guard text.utf8.count <= Self.maxParsedLength else { return nil }
        var scanner = FieldValueScanner(text)
        let fields: Fields?
        if scanner.skipOne(of: Self.longWeekdayNames) != nil {
            fields = Self.rfc850Fields(&scanner, nowYear: now.year)
        } else if scanner.skipOne(of: CivilTime.weekdayNames) != nil {
            fields = scanner.peek() == HTTPGrammar.comma ? Self.imfFixdateFields(&scanner) : Self.asctimeFields(&scanner)
        } else {
            fields = nil
        }
        guard let fields, scanner.isAtEnd, let seconds = fields.unixSeconds else { return nil }
        self.init(unixSeconds: seconds)
    }

    /// The (UTC) year of this time.
    var year: Int {
        GregorianCalendar.date(daysSinceUnixEpoch: unixSeconds.floorDividedWithRemainder(by: Self.secondsPerDay).quotient).year
    }

    /// The numeric fields of a parsed date, checked only when converted.
    struct Fields {
        var year: Int, month: Int, day: Int
        var hour: Int, minute: Int, second: Int

        /// Seconds since the epoch, or nil unless the fields are a real time of years 0000–9999.
        var unixSeconds: Int? {
            guard (0...9999).contains(year), (1...12).contains(month),
                  (1...GregorianCalendar.daysInMonth(month, of: year)).contains(day),
                  (0...23).contains(hour), (0...59).contains(minute), (0...60).contains(second)
            else { return nil }
            let days = GregorianCalendar.daysSinceUnixEpoch(year: year, month: month, day: day)
            return days * HTTPDate.secondsPerDay + hour * 3600 + minute * 60 + min(second, 59)
        }
    }

    /// After the day name: `"," SP date1 SP time-of-day SP GMT`, `date1 = day SP month SP year`.
    private static func imfFixdateFields(_ scanner: inout FieldValueScanner) -> Fields? {
        guard scanner.skip(", "), let day = scanner.digits(2), scanner.skip(HTTPGrammar.sp),
              let month = monthNumber(&scanner), scanner.skip(HTTPGrammar.sp),
              let year = scanner.digits(4), scanner.skip(HTTPGrammar.sp),
              let time = timeOfDay(&scanner), scanner.skip(" GMT")
        else { return nil }
        return Fields(year: year, month: month, day: day, hour: time.hour, minute: time.minute, second: time.second)
    }

    /// After the long day name: `"," SP date2 SP time-of-day SP GMT`,
    /// `date2 = day "-" month "-" 2DIGIT`.
    private static func rfc850Fields(_ scanner: inout FieldValueScanner, nowYear: Int) -> Fields? {
        guard scanner.skip(", "), let day = scanner.digits(2), scanner.skip(UInt8(ascii: "-")),
              let month = monthNumber(&scanner), scanner.skip(UInt8(ascii: "-")),
              let twoDigitYear = scanner.digits(2), scanner.skip(HTTPGrammar.sp),
              let time = timeOfDay(&scanner), scanner.skip(" GMT")
        else { return nil }
        return Fields(year: fullYear(twoDigitYear, nowYear: nowYear), month: month, day: day,
                      hour: time.hour, minute: time.minute, second: time.second)
    }

    /// After the day name: `SP date3 SP time-of-day SP year`,
    /// `date3 = month SP ( 2DIGIT / ( SP DIGIT ) )`.
    private static func asctimeFields(_ scanner: inout FieldValueScanner) -> Fields? {
        guard scanner.skip(HTTPGrammar.sp), let month = monthNumber(&scanner), scanner.skip(HTTPGrammar.sp),
              let day = scanner.skip(HTTPGrammar.sp) ? scanner.digits(1) : scanner.digits(2),
              scanner.skip(HTTPGrammar.sp), let time = timeOfDay(&scanner), scanner.skip(HTTPGrammar.sp),
              let year = scanner.digits(4)
        else { return nil }
        return Fields(year: year, month: month, day: day, hour: time.hour, minute: time.minute, second: time.second)
    }

    /// `time-of-day = hour ":" minute ":" second`, each 2DIGIT (ranges checked later).
    private static func timeOfDay(_ scanner: inout FieldValueScanner) -> (hour: Int, minute: Int, second: Int)? {
        guard let hour = scanner.digits(2), scanner.skip(HTTPGrammar.colon),
              let minute = scanner.digits(2), scanner.skip(HTTPGrammar.colon),
              let second = scanner.digits(2)
        else { return nil }
        return (hour, minute, second)
    }

    /// `month = %s"Jan" / ... / %s"Dec"` as 1...12.
    private static func monthNumber(_ scanner: inout FieldValueScanner) -> Int? {
        scanner.skipOne(of: CivilTime.monthNames).map { $0 + 1 }
    }

    /// The year ending in `twoDigitYear` within `nowYear - 49 ... nowYear + 50` (RFC 9110 §5.6.7:
    /// "more than 50 years in the future" means the most recent such year in the past).
    static func fullYear(_ twoDigitYear: Int, nowYear: Int) -> Int {
        let candidate = nowYear - nowYear % 100 + twoDigitYear
        if candidate > nowYear + 50 { return candidate - 100 }
        if candidate <= nowYear - 50 { return candidate + 100 }
        return candidate
    }
}
