import Testing
import WSGateConfig

/// `DurationSyntax`, the DURATION of `--max-session` and `--idle-timeout`: what it reads, what
/// it refuses, the cap, and the text the log writes back.
@Suite(.timeLimit(.minutes(10))) struct DurationSyntaxTests {
    static let cap = Int(Int32.max)

    static let readings: [(String, DurationSyntax.Reading)] = [
        ("0", .milliseconds(0)), ("0s", .milliseconds(0)), ("0ms", .milliseconds(0)),
        ("90", .milliseconds(90_000)), ("090", .milliseconds(90_000)), ("1", .milliseconds(1000)),
        ("250ms", .milliseconds(250)), ("90s", .milliseconds(90_000)), ("10m", .milliseconds(600_000)),
        ("1h", .milliseconds(3_600_000)), ("1h30m", .milliseconds(5_400_000)),
        ("1h2m3s4ms", .milliseconds(3_723_004)), ("2m500ms", .milliseconds(120_500)),
        ("596h31m23s647ms", .milliseconds(Int(Int32.max))), ("2147483647ms", .milliseconds(Int(Int32.max))),
        // Over the cap, and over what an Int holds (in the number, the product and the sum).
        ("2147483648ms", .outOfRange), ("597h", .outOfRange), ("2147484s", .outOfRange),
        ("99999999999999999999", .outOfRange), ("99999999999999999999ms", .outOfRange),
        ("9223372036854775807h", .outOfRange), ("2562047788015h2562047788015h", .malformed),
        // Not a DURATION.
        ("", .malformed), ("s", .malformed), ("ms", .malformed), ("h1", .malformed), ("1x", .malformed),
        ("1d", .malformed), ("1S", .malformed), ("1H", .malformed), ("1.5s", .malformed), ("-1s", .malformed),
        ("+1s", .malformed), (" 1s", .malformed), ("1s ", .malformed), ("1 s", .malformed), ("1_000", .malformed),
        ("1m30", .malformed), ("30s1m", .malformed), ("1m1m", .malformed), ("1ms1s", .malformed),
        ("1sm", .malformed), ("0x10", .malformed), ("١s", .malformed), ("99999999999999999999x", .malformed),
    ]

    @Test(arguments: readings)
    func reading(_ text: String, _ expected: DurationSyntax.Reading) {
        #expect(DurationSyntax.parse(text, maximumMilliseconds: Self.cap) == expected)
    }

    @Test func theCapIsTheCallers() {
        #expect(DurationSyntax.parse("1h", maximumMilliseconds: 3_600_000) == .milliseconds(3_600_000))
        #expect(DurationSyntax.parse("1h1ms", maximumMilliseconds: 3_600_000) == .outOfRange)
    }

    /// The log writes a limit in its largest whole unit, and that text reads back the same.
    @Test(arguments: [(0, "0s"), (1, "1ms"), (1500, "1500ms"), (1000, "1s"), (90_000, "90s"), (600_000, "10m"),
                      (5_400_000, "90m"), (3_600_000, "1h"), (Int(Int32.max), "2147483647ms")])
    func text(_ milliseconds: Int, _ expected: String) {
        #expect(DurationSyntax.text(milliseconds: milliseconds) == expected)
        #expect(DurationSyntax.parse(expected, maximumMilliseconds: Self.cap) == .milliseconds(milliseconds))
    }
}
