import Testing
@testable import WSGateCLI

@Suite(.timeLimit(.minutes(10))) struct GoValueSyntaxTests {
    /// Expected results of Go's `strconv.ParseInt(s, 0, 64)`.
    static let integers: [(String, GoValueSyntax.IntegerReading)] = [
        ("0", .value(0)), ("42", .value(42)), ("+42", .value(42)), ("-42", .value(-42)),
        ("0x1F", .value(31)), ("0X1f", .value(31)), ("0o17", .value(15)), ("0O17", .value(15)),
        ("017", .value(15)), ("0b101", .value(5)), ("0B101", .value(5)),
        ("1_000", .value(1000)), ("0x_1F", .value(31)), ("0_17", .value(15)),
        ("9223372036854775807", .value(Int.max)), ("-9223372036854775808", .value(Int.min)),
        ("9223372036854775808", .outOfRange), ("-9223372036854775809", .outOfRange),
        ("18446744073709551615", .outOfRange), ("18446744073709551616", .outOfRange),
        ("99999999999999999999x", .outOfRange),
        ("", .malformed), ("+", .malformed), ("-", .malformed), ("08", .malformed), ("09", .malformed),
        ("0x", .malformed), ("0b", .malformed), ("0b2", .malformed), ("0o8", .malformed),
        ("_1", .malformed), ("1_", .malformed), ("1__0", .malformed), ("1e3", .malformed),
        (" 1", .malformed), ("1 ", .malformed), ("--1", .malformed), ("+-1", .malformed),
        ("0x1G", .malformed), ("١", .malformed),
    ]

    @Test(arguments: integers)
    func integer(_ text: String, _ expected: GoValueSyntax.IntegerReading) {
        #expect(GoValueSyntax.parseInt(text) == expected)
    }

    static let booleans: [(String, Bool?)] = [
        ("1", true), ("t", true), ("T", true), ("TRUE", true), ("true", true), ("True", true),
        ("0", false), ("f", false), ("F", false), ("FALSE", false), ("false", false), ("False", false),
        ("", nil), ("yes", nil), ("on", nil), ("tRUE", nil), ("2", nil), (" true", nil),
    ]

    @Test(arguments: booleans)
    func boolean(_ text: String, _ expected: Bool?) {
        #expect(GoValueSyntax.parseBool(text) == expected)
    }

    @Test func quoting() {
        #expect(GoQuoting.quote("abc") == "\"abc\"")
        #expect(GoQuoting.quote("a\"b\\c") == "\"a\\\"b\\\\c\"")
        #expect(GoQuoting.quote("\r\n\t\u{0}\u{7F}") == "\"\\r\\n\\t\\x00\\x7f\"")
        #expect(GoQuoting.quote("é") == "\"é\"")
    }
}
