import Testing
import WSGateCore

@Suite(.timeLimit(.minutes(10))) struct GregorianCalendarTests {
    @Test(arguments: [
        (1970, 1, 1, 0),
        (1969, 12, 31, -1),
        (1994, 11, 6, 9075),          // RFC 9110 §5.6.7's example date
        (2000, 2, 29, 11016),
        (2038, 1, 19, 24855),
        (1900, 3, 1, -25508),
        (1600, 2, 29, -135081),
        (0, 1, 1, -719_528),
        (9999, 12, 31, 2_932_896),
    ])
    func daysSinceTheEpochAndBack(year: Int, month: Int, day: Int, days: Int) {
        #expect(GregorianCalendar.daysSinceUnixEpoch(year: year, month: month, day: day) == days)
        let date = GregorianCalendar.date(daysSinceUnixEpoch: days)
        #expect(date.year == year && date.month == month && date.day == day)
    }

    @Test func everyDayOfYears0000To9999FollowsTheDayBefore() {
        var (year, month, day) = (0, 1, 1)
        for days in -719_528...2_932_896 {
            let date = GregorianCalendar.date(daysSinceUnixEpoch: days)
            guard date == (year, month, day),
                  GregorianCalendar.daysSinceUnixEpoch(year: year, month: month, day: day) == days
            else {
                Issue.record("day \(days): expected \(year)-\(month)-\(day), got \(date)")
                return
            }
            day += 1
            if day > GregorianCalendar.daysInMonth(month, of: year) { (month, day) = (month + 1, 1) }
            if month > 12 { (year, month) = (year + 1, 1) }
        }
        #expect(year == 10000 && month == 1 && day == 1)
    }

    @Test(arguments: [
        (0, 4),            // Thursday 1970-01-01
        (-1, 3),
        (9075, 0),         // Sunday 1994-11-06
        (10957, 6),        // Saturday 2000-01-01
        (-719_528, 6),     // Saturday 0000-01-01 (proleptic)
        (2_932_896, 5),    // Friday 9999-12-31
    ])
    func weekdaysCountFromSunday(days: Int, weekday: Int) {
        #expect(GregorianCalendar.weekday(daysSinceUnixEpoch: days) == weekday)
    }

    @Test func leapYearsAndMonthLengths() {
        #expect(GregorianCalendar.isLeapYear(2000) && GregorianCalendar.isLeapYear(2024) && GregorianCalendar.isLeapYear(0))
        #expect(!GregorianCalendar.isLeapYear(1900) && !GregorianCalendar.isLeapYear(2100) && !GregorianCalendar.isLeapYear(2023))
        #expect((1...12).map { GregorianCalendar.daysInMonth($0, of: 2023) } == [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
        #expect(GregorianCalendar.daysInMonth(2, of: 2024) == 29)
        #expect(GregorianCalendar.daysInMonth(0, of: 2024) == 0 && GregorianCalendar.daysInMonth(13, of: 2024) == 0)
    }

    @Test func theRFC1123LayoutTakesAnyZoneAndPadsTheYear() {
        #expect(CivilTime.rfc1123(year: 1994, month: 11, day: 6, weekday: 0, hour: 8, minute: 49, second: 37, zone: "GMT")
            == "Sun, 06 Nov 1994 08:49:37 GMT")
        #expect(CivilTime.rfc1123(year: 7, month: 1, day: 1, weekday: 6, hour: 0, minute: 0, second: 0, zone: "+0000")
            == "Sat, 01 Jan 0007 00:00:00 +0000")
        // A file's mtime can be any time_t: years outside 0...9999 print as they are.
        #expect(CivilTime.rfc1123(year: -1199, month: 3, day: 9, weekday: 1, hour: 23, minute: 5, second: 59, zone: "GMT")
            == "Mon, 09 Mar -1199 23:05:59 GMT")
        #expect(CivilTime.rfc1123(year: 12026, month: 12, day: 31, weekday: 2, hour: 0, minute: 0, second: 0, zone: "GMT")
            == "Tue, 31 Dec 12026 00:00:00 GMT")
        #expect(CivilTime.weekdayNames.count == 7 && CivilTime.monthNames.count == 12)
    }
}
