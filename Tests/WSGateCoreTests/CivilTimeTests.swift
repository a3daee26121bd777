import Testing
import WSGateCore

/// A civil time with the given fields; the fields not under test get distinctive values.
private func time(
    year: Int = 2026, month: Int = 11, day: Int = 27, weekday: Int = 5,
    hour: Int = 5, minute: Int = 18, second: Int = 41, nanosecond: Int = 0,
    offset: Int = 0
) -> CivilTime {
    CivilTime(year: year, month: month, day: day, weekday: weekday, hour: hour, minute: minute,
              second: second, nanosecond: nanosecond, utcOffsetSeconds: offset, unixNanoseconds: 0)
}

@Suite(.timeLimit(.minutes(10))) struct CivilTimeTests {
    // MARK: - RFC 1123 with a numeric zone (websocketd's log time)

    @Test func rfc1123PrintsGosRFC1123ZLayout() {
        #expect(time().rfc1123 == "Fri, 27 Nov 2026 05:18:41 +0000")
    }

    @Test func rfc1123PadsSingleDigitFieldsWithZero() {
        let early = time(year: 2024, month: 3, day: 4, weekday: 1, hour: 0, minute: 7, second: 9)
        #expect(early.rfc1123 == "Mon, 04 Mar 2024 00:07:09 +0000")
    }

    @Test(arguments: [
        (0, "Sun"), (1, "Mon"), (2, "Tue"), (3, "Wed"), (4, "Thu"), (5, "Fri"), (6, "Sat"),
    ])
    func rfc1123NamesEveryWeekdayFromSunday(weekday: Int, name: String) {
        #expect(time(weekday: weekday).rfc1123.hasPrefix("\(name), 27 Nov"))
    }

    @Test(arguments: Array(zip(1...12, ["Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                         "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"])))
    func rfc1123NamesEveryMonthFromJanuary(month: Int, name: String) {
        #expect(time(month: month).rfc1123 == "Fri, 27 \(name) 2026 05:18:41 +0000")
    }

    @Test(arguments: [
        (3600, "+0100"),
        (19800, "+0530"),     // India
        (20700, "+0545"),     // Nepal
        (50400, "+1400"),     // Kiribati
        (-18000, "-0500"),
        (-12600, "-0330"),    // Newfoundland
        (-1800, "-0030"),
        (-43200, "-1200"),
        (0, "+0000"),
    ])
    func rfc1123PrintsTheUTCOffsetAsSignHoursMinutes(offset: Int, zone: String) {
        #expect(time(offset: offset).rfc1123 == "Fri, 27 Nov 2026 05:18:41 \(zone)")
    }

    @Test func rfc1123PrintsTheLastSecondOfTheYear() {
        let last = time(year: 1999, month: 12, day: 31, weekday: 5, hour: 23, minute: 59, second: 59, offset: -28800)
        #expect(last.rfc1123 == "Fri, 31 Dec 1999 23:59:59 -0800")
    }

    // MARK: - RFC 3339 with microseconds (JSON logs)

    @Test func rfc3339PrintsDateTimeMicrosecondsAndOffset() {
        let value = time(nanosecond: 123_456_789)
        #expect(value.rfc3339 == "2026-11-27T05:18:41.123456+00:00")
    }

    @Test func rfc3339PadsSingleDigitFieldsWithZero() {
        let early = time(year: 2024, month: 3, day: 4, hour: 0, minute: 7, second: 9, nanosecond: 0)
        #expect(early.rfc3339 == "2024-03-04T00:07:09.000000+00:00")
    }

    @Test(arguments: [
        (0, "000000"),
        (999, "000000"),          // below a microsecond: truncated, not rounded
        (1_000, "000001"),
        (45_000, "000045"),
        (7_000_000, "007000"),
        (999_999_999, "999999"),
    ])
    func rfc3339PrintsSixMicrosecondDigits(nanosecond: Int, micros: String) {
        #expect(time(nanosecond: nanosecond).rfc3339 == "2026-11-27T05:18:41.\(micros)+00:00")
    }

    @Test(arguments: [
        (3600, "+01:00"),
        (19800, "+05:30"),
        (50400, "+14:00"),
        (-18000, "-05:00"),
        (-12600, "-03:30"),
        (-1800, "-00:30"),
    ])
    func rfc3339PrintsTheUTCOffsetWithAColon(offset: Int, zone: String) {
        #expect(time(nanosecond: 500_000, offset: offset).rfc3339 == "2026-11-27T05:18:41.000500\(zone)")
    }

    // MARK: - Value semantics

    @Test func theInitialiserStoresEveryField() {
        let value = CivilTime(year: 2001, month: 2, day: 3, weekday: 6, hour: 4, minute: 5, second: 6,
                              nanosecond: 7, utcOffsetSeconds: -8, unixNanoseconds: 981_173_106_000_000_007)
        #expect(value.year == 2001 && value.month == 2 && value.day == 3 && value.weekday == 6)
        #expect(value.hour == 4 && value.minute == 5 && value.second == 6 && value.nanosecond == 7)
        #expect(value.utcOffsetSeconds == -8)
        #expect(value.unixNanoseconds == 981_173_106_000_000_007)
        var other = value
        #expect(other == value)
        other.unixNanoseconds += 1
        #expect(other != value)
    }
}
