import Testing
import WSGateHTTP

/// "Now" for the tests: Sun, 15 Nov 2026 12:00:00 GMT.
private let now2026 = HTTPDate(unixSeconds: 1_794_744_000)

private func parse(_ text: String, now: HTTPDate = now2026) -> Int? {
    HTTPDate(parsing: text, now: now)?.unixSeconds
}

@Suite(.timeLimit(.minutes(10))) struct HTTPDateTests {
    // MARK: - Formatting (IMF-fixdate)

    @Test(arguments: [
        (784_111_777, "Sun, 06 Nov 1994 08:49:37 GMT"),      // RFC 9110 §5.6.7
        (0, "Thu, 01 Jan 1970 00:00:00 GMT"),
        (-1, "Wed, 31 Dec 1969 23:59:59 GMT"),
        (951_782_400, "Tue, 29 Feb 2000 00:00:00 GMT"),
        (2_147_483_648, "Tue, 19 Jan 2038 03:14:08 GMT"),
        (1_700_000_000, "Tue, 14 Nov 2023 22:13:20 GMT"),
        (-62_167_219_200, "Sat, 01 Jan 0000 00:00:00 GMT"),
        (253_402_300_799, "Fri, 31 Dec 9999 23:59:59 GMT"),
    ])
    func formatsIMFFixdateWithGMT(seconds: Int, text: String) {
        let date = HTTPDate(unixSeconds: seconds)
        #expect(date.unixSeconds == seconds)
        #expect(date.imfFixdate == text)
        #expect(date.description == text)
        #expect(parse(text) == seconds)
    }

    @Test func timesBeyondFourDigitYearsAreClamped() {
        #expect(HTTPDate(unixSeconds: .max) == .latest)
        #expect(HTTPDate(unixSeconds: 253_402_300_800) == .latest)
        #expect(HTTPDate(unixSeconds: .min) == .earliest)
        #expect(HTTPDate(unixSeconds: -62_167_219_201) == .earliest)
        #expect(HTTPDate.earliest.imfFixdate == "Sat, 01 Jan 0000 00:00:00 GMT")
        #expect(HTTPDate.latest.imfFixdate == "Fri, 31 Dec 9999 23:59:59 GMT")
        #expect(HTTPDate.earliest < HTTPDate(unixSeconds: 0) && HTTPDate(unixSeconds: 0) < .latest)
    }

    @Test func formattingRoundTripsAcrossTheRange() {
        var seconds = HTTPDate.earliest.unixSeconds
        while seconds <= HTTPDate.latest.unixSeconds {
            let text = HTTPDate(unixSeconds: seconds).imfFixdate
            #expect(text.utf8.count == 29)
            #expect(parse(text) == seconds, "\(text)")
            seconds += 86_399 * 173 + 7_919    // about 21 000 steps, drifting through hours and weekdays
        }
    }

    // MARK: - The three formats (RFC 9110 §5.6.7)

    @Test(arguments: [
        "Sun, 06 Nov 1994 08:49:37 GMT",        // IMF-fixdate
        "Sunday, 06-Nov-94 08:49:37 GMT",       // obsolete RFC 850
        "Sun Nov  6 08:49:37 1994",             // ANSI C asctime
        "Sun Nov 06 08:49:37 1994",             // asctime with 2DIGIT day
        " \tSun, 06 Nov 1994 08:49:37 GMT \t",  // surrounding OWS
    ])
    func theRFCExampleInEveryFormat(text: String) {
        #expect(parse(text) == 784_111_777)
    }

    @Test func everyMonthAndLongDayNameIsRead() {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        for (index, month) in months.enumerated() {
            let imf = parse("Mon, 01 \(month) 2024 00:00:00 GMT")
            let rfc850 = parse("Monday, 01-\(month)-24 00:00:00 GMT")
            let asctime = parse("Mon \(month)  1 00:00:00 2024")
            #expect(imf != nil && imf == rfc850 && imf == asctime, "\(month)")
            #expect(HTTPDate(unixSeconds: imf ?? 0).imfFixdate.contains(" \(month) "), "\(index)")
        }
        for day in ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"] {
            #expect(parse("\(day), 09-Nov-94 08:49:37 GMT") == 784_370_977)
        }
    }

    @Test func aWrongDayNameIsAcceptedTheNumbersDecide() {
        #expect(parse("Mon, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(parse("Friday, 06-Nov-94 08:49:37 GMT") == 784_111_777)
        #expect(parse("Sat Nov  6 08:49:37 1994") == 784_111_777)
    }

    @Test func aLeapSecondReadsAsTheSecondBefore() {
        #expect(parse("Sat, 31 Dec 2016 23:59:60 GMT") == parse("Sat, 31 Dec 2016 23:59:59 GMT"))
        #expect(parse("Fri, 31 Dec 9999 23:59:60 GMT") == HTTPDate.latest.unixSeconds)
    }

    // MARK: - RFC 850 two-digit years

    @Test(arguments: [
        (2026, 26, 2026), (2026, 0, 2000), (2026, 76, 2076), (2026, 77, 1977), (2026, 94, 1994),
        (2026, 99, 1999), (2099, 0, 2100), (2099, 49, 2149), (2099, 50, 2050), (2000, 50, 2050),
        (2000, 51, 1951), (1970, 20, 2020), (1970, 21, 1921),
    ])
    func twoDigitYearsMoreThan50YearsAheadAreThePreviousCentury(nowYear: Int, twoDigits: Int, year: Int) {
        let now = HTTPDate(parsing: "Thu, 01 Jul \(nowYear) 00:00:00 GMT", now: now2026)!
        let yy = twoDigits < 10 ? "0\(twoDigits)" : "\(twoDigits)"
        let parsed = HTTPDate(parsing: "Monday, 01-Mar-\(yy) 00:00:00 GMT", now: now)
        #expect(parsed?.imfFixdate.contains(" Mar \(year) ") == true, "\(String(describing: parsed))")
    }

    @Test func anRFC850YearOutsideFourDigitsIsRefused() {
        let nearYear0 = HTTPDate(parsing: "Sat, 01 Jan 0010 00:00:00 GMT", now: now2026)!
        #expect(HTTPDate(parsing: "Monday, 01-Mar-99 00:00:00 GMT", now: nearYear0) == nil)   // year -1
        #expect(HTTPDate(parsing: "Monday, 01-Mar-20 00:00:00 GMT", now: nearYear0)?.unixSeconds
            == HTTPDate(parsing: "Mon, 01 Mar 0020 00:00:00 GMT", now: now2026)?.unixSeconds)
        #expect(HTTPDate(parsing: "Monday, 01-Mar-20 00:00:00 GMT", now: .latest) == nil)      // year 10020
    }

    // MARK: - Refusals

    @Test(arguments: [
        "",
        "   ",
        "Sun, 06 Nov 1994 08:49:37 +0000",          // zone must be GMT
        "Sun, 06 Nov 1994 08:49:37 gmt",            // case-sensitive
        "sun, 06 Nov 1994 08:49:37 GMT",
        "Sun, 06 nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 08:49:37 UTC",
        "Sun, 06 Nov 1994 08:49:37",
        "Sun, 06 Nov 1994 08:49:37 GMT; length=1234",  // trailing data
        "Sun, 06 Nov 1994 08:49:37 GMTx",
        "Sun, 6 Nov 1994 08:49:37 GMT",             // day needs two digits
        "Sun, 06 Nov 94 08:49:37 GMT",              // year needs four
        "Sun, 06 Nov 19940 08:49:37 GMT",
        "Sun,  06 Nov 1994 08:49:37 GMT",           // exact single spaces
        "Sun,06 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov 1994 8:49:37 GMT",
        "Sun, 06 Nov 1994 08:49 GMT",
        "Sun, 06 Nov 1994 08-49-37 GMT",
        "Sun, 32 Nov 1994 08:49:37 GMT",            // out of range fields
        "Sun, 31 Nov 1994 08:49:37 GMT",
        "Sun, 00 Nov 1994 08:49:37 GMT",
        "Sun, 29 Feb 1900 08:49:37 GMT",            // not a leap year
        "Sun, 06 Nov 1994 24:00:00 GMT",
        "Sun, 06 Nov 1994 23:60:00 GMT",
        "Sun, 06 Nov 1994 23:59:61 GMT",
        "Sun, 06 Nov 1994 99:99:99 GMT",
        "Sun, 06 Xyz 1994 08:49:37 GMT",
        "Sun, +6 Nov 1994 08:49:37 GMT",
        "Sun, 06 Nov -994 08:49:37 GMT",
        "Snu, 06 Nov 1994 08:49:37 GMT",            // unknown day name
        "Sunday, 06 Nov 1994 08:49:37 GMT",         // long name with the IMF layout
        "Sun, 06-Nov-94 08:49:37 GMT",              // short name with the RFC 850 layout
        "Sunday, 06-Nov-1994 08:49:37 GMT",
        "Sunday, 6-Nov-94 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37",
        "Sun Nov 6 08:49:37 1994",                  // asctime: one-digit day needs SP DIGIT
        "Sun Nov   6 08:49:37 1994",
        "Sun Nov  6 08:49:37 94",
        "Sun Nov  6 08:49:37 1994 GMT",
        "Sun Nov 31 08:49:37 1994",
        "Sun, 06 Nov 1994 08:49:37 GMT, Mon, 07 Nov 1994 08:49:37 GMT",   // two field lines
        "Sun, 06 Nov 1994 08:49:37 GMT\u{0}",
        "Sun, 06 Nov 1994 08:49:37 GMT\r\n",
        "Sun, 06 Nov 1994 08:49:37\u{A0}GMT",
        "Sun, ０6 Nov 1994 08:49:37 GMT",           // fullwidth digit
        "1994-11-06T08:49:37Z",
        "784111777",
    ])
    func invalidDatesAreRefused(text: String) {
        #expect(parse(text) == nil)
    }

    @Test func longInputIsRefusedWithoutReadingIt() {
        #expect(parse("Sun, 06 Nov 1994 08:49:37 GMT" + String(repeating: " ", count: 40)) == nil)
        #expect(parse(String(repeating: "9", count: 100_000)) == nil)
        #expect(parse(String(repeating: " ", count: 10) + "Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
    }
}
