/// Day arithmetic of the proleptic Gregorian calendar, counted from the Unix epoch (UTC).
///
/// Why it exists: HTTP dates (RFC 9110 §5.6.7) are civil UTC times that must become Unix seconds
/// and back, without the C library (whose `timegm`/`gmtime_r` belong in the I/O layer and whose
/// range depends on the platform). The conversions are Howard Hinnant's `days_from_civil` and
/// `civil_from_days`: exact for every date, negative years and year 0 included. Fields are not
/// validated here (see `daysInMonth`); inputs must stay far from `Int`'s limits (|days| < 2^60).
public enum GregorianCalendar {
    /// Days in a 400-year era (the Gregorian cycle).
    private static let daysPerEra = 146_097
    /// Days from 0000-03-01 (the start of the era the formulas count in) to 1970-01-01.
    private static let epochShift = 719_468

    /// Whether `year` has a February 29th (divisible by 4, centuries only when divisible by 400).
    public static func isLeapYear(_ year: Int) -> Bool {
        year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    }

    /// The number of days of `month` (1...12) in `year`; 0 for a month outside 1...12.
    public static func daysInMonth(_ month: Int, of year: Int) -> Int {
        switch month {
        case 1, 3, 5, 7, 8, 10, 12: return 31
        case 4, 6, 9, 11: return 30
        case 2: return isLeapYear(year) ? 29 : 28
        default: return 0
        }
    }

    /// Days from 1970-01-01 to `year`-`month`-`day` (negative before it). The fields must be a
    /// real date: month 1...12, day 1...`daysInMonth`.
    public static func daysSinceUnixEpoch(year: Int, month: Int, day: Int) -> Int {
        let marchYear = month <= 2 ? year - 1 : year           // years start on March 1st
        let era = (marchYear >= 0 ? marchYear : marchYear - 399) / 400
        let yearOfEra = marchYear - era * 400                  // 0...399
        let monthFromMarch = (month + 9) % 12                  // March 0 ... February 11
        let dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * daysPerEra + dayOfEra - epochShift
    }

    /// The date `days` after 1970-01-01 (before it when negative).
    public static func date(daysSinceUnixEpoch days: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = days + epochShift
        let era = (shifted >= 0 ? shifted : shifted - (daysPerEra - 1)) / daysPerEra
        let dayOfEra = shifted - era * daysPerEra              // 0...146096
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthFromMarch = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthFromMarch + 2) / 5 + 1
        let month = monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The weekday of the day `days` after 1970-01-01, 0 = Sunday (1970-01-01 was a Thursday).
    public static func weekday(daysSinceUnixEpoch days: Int) -> Int {
        let weekday = (days + 4) % 7
        return weekday < 0 ? weekday + 7 : weekday
    }
}
