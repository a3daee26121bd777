import Testing
import WSGateHTTP

@Suite(.timeLimit(.minutes(10))) struct ContentRangeTests {
    // RFC 9110 §14.4's examples (a 1234-byte representation).
    @Test(arguments: [
        ("bytes 42-1233/1234", 42..<1234, 1234),
        ("bytes 0-499/1234", 0..<500, 1234),
        ("bytes 500-999/1234", 500..<1000, 1234),
        ("bytes 500-1233/1234", 500..<1234, 1234),
        ("bytes 734-1233/1234", 734..<1234, 1234),
        ("bytes 0-0/1", 0..<1, 1),
    ])
    func inclusiveRangesRoundTrip(text: String, range: Range<Int>, length: Int) {
        let value = ContentRange(range: range, completeLength: length)
        #expect(value?.fieldValue == text)
        let parsed = ContentRange(parsing: text)
        #expect(parsed == value)
        #expect(parsed?.range == range && parsed?.completeLength == length)
        #expect(parsed?.fieldValue == text)
        #expect(parsed?.description == text)
    }

    @Test func unsatisfiedRangeRoundTrips() {
        let value = ContentRange(unsatisfiedCompleteLength: 1234)
        #expect(value?.fieldValue == "bytes */1234")
        #expect(value?.range == nil && value?.completeLength == 1234)
        #expect(ContentRange(parsing: "bytes */1234") == value)
        #expect(ContentRange(unsatisfiedCompleteLength: 0)?.fieldValue == "bytes */0")
        #expect(ContentRange(unsatisfiedCompleteLength: -1) == nil)
    }

    @Test func extremeValuesRoundTrip() {
        let last = ContentRange(range: (Int.max - 1)..<Int.max, completeLength: .max)
        #expect(last?.fieldValue == "bytes 9223372036854775806-9223372036854775806/9223372036854775807")
        #expect(ContentRange(parsing: last?.fieldValue ?? "") == last)
        #expect(ContentRange(parsing: "BYTES 0-1/2")?.fieldValue == "bytes 0-1/2")
    }

    @Test func rangesThatDoNotFitAreRefused() {
        #expect(ContentRange(range: 0..<0, completeLength: 10) == nil)
        #expect(ContentRange(range: -1..<5, completeLength: 10) == nil)
        #expect(ContentRange(range: 5..<11, completeLength: 10) == nil)
        #expect(ContentRange(range: 0..<1, completeLength: 0) == nil)
    }

    @Test(arguments: [
        "", "bytes", "bytes ", "bytes 0-1", "bytes 0-1/", "bytes 1-0/10", "bytes 0-10/10", "bytes 0-1/1",
        "bytes 42-1233/*",          // unknown length: not represented
        "bytes */*", "bytes *", "bytes */", "bytes  0-1/2", "bytes=0-1/2", "items 0-1/2", "bytes 0 -1/2",
        "bytes -1-2/3", "bytes 0-1/2 x", "bytes 0-9223372036854775807/9223372036854775808",
        "bytes 0-1/99999999999999999999",
    ])
    func invalidValuesAreRefused(text: String) {
        #expect(ContentRange(parsing: text) == nil)
    }
}
