import Foundation
import Testing
import WSGateConfig
import WSGateCore
import WSGateServer

/// Fri, 27 Nov 2026 05:18:41.250 UTC.
private let friday = CivilTime(year: 2026, month: 11, day: 27, weekday: 5, hour: 5, minute: 18, second: 41,
                               nanosecond: 250_000_000, utcOffsetSeconds: 0, unixNanoseconds: 1_795_756_721_250_000_000)

private func line(
    time: CivilTime = friday, level: LogLevel = .access, category: String = "session",
    fields: [(key: String, value: String)] = [("url", "http://x/"), ("id", "1")], message: String = "CONNECT"
) -> LogLine {
    LogLine(time: time, level: level, category: category, fields: fields, message: message)
}

/// Parses one JSON line back with Foundation, an independent JSON reader.
private func parse(_ json: String) throws -> [String: String] {
    let object = try JSONSerialization.jsonObject(with: Data(json.utf8))
    let dictionary = try #require(object as? [String: Any], "not a JSON object: \(json)")
    var strings: [String: String] = [:]
    for (key, value) in dictionary {
        strings[key] = try #require(value as? String, "\(key) is not a string in \(json)")
    }
    return strings
}

@Suite(.timeLimit(.minutes(10))) struct LogLineTests {
    // MARK: - websocketd's text lines

    @Test func textMatchesWebsocketdsLayout() {
        #expect(line().text == "Fri, 27 Nov 2026 05:18:41 +0000 | ACCESS | session    | url:'http://x/' id:'1' | CONNECT\n")
    }

    @Test(arguments: [
        (LogLevel.debug, "DEBUG "),
        (.trace, "TRACE "),
        (.access, "ACCESS"),
        (.info, "INFO  "),
        (.error, "ERROR "),
        (.fatal, "FATAL "),
    ])
    func theLevelIsUpperCasedAndPaddedToSix(level: LogLevel, printed: String) {
        #expect(line(level: level, category: "server", fields: [], message: "m").text
            == "Fri, 27 Nov 2026 05:18:41 +0000 | \(printed) | server     |  | m\n")
    }

    @Test(arguments: [
        ("", "          "),
        ("http", "http      "),
        ("123456789", "123456789 "),
        ("exactly10c", "exactly10c"),
        ("longer-than-ten", "longer-than-ten"),
    ])
    func theCategoryIsPaddedToTenButNeverCut(category: String, printed: String) {
        #expect(line(category: category, fields: [("k", "v")], message: "m").text
            == "Fri, 27 Nov 2026 05:18:41 +0000 | ACCESS | \(printed) | k:'v' | m\n")
    }

    @Test func noFieldsLeaveAnEmptyColumn() {
        #expect(line(level: .info, category: "server", fields: [], message: "Serving on ws://h:8080/").text
            == "Fri, 27 Nov 2026 05:18:41 +0000 | INFO   | server     |  | Serving on ws://h:8080/\n")
    }

    @Test func fieldsAreKeyQuotedValueJoinedBySingleSpacesInTheirOrder() {
        let fields: [(key: String, value: String)] = [("url", "http://h/p?q=1"), ("id", "42"), ("remote", "127.0.0.1"),
                                                      ("origin", "file:"), ("empty", "")]
        #expect(line(fields: fields, message: "DISCONNECT").text
            == "Fri, 27 Nov 2026 05:18:41 +0000 | ACCESS | session    | url:'http://h/p?q=1' id:'42' remote:'127.0.0.1' origin:'file:' empty:'' | DISCONNECT\n")
    }

    @Test func textUsesTheLocalOffsetOfTheTime() {
        var local = friday
        local.hour = 0
        local.utcOffsetSeconds = -19_800
        local.weekday = 6
        local.day = 28
        #expect(line(time: local, fields: [], message: "x").text
            == "Sat, 28 Nov 2026 00:18:41 -0530 | ACCESS | session    |  | x\n")
    }

    @Test func anEmptyMessageStillEndsTheLine() {
        #expect(line(fields: [], message: "").text
            == "Fri, 27 Nov 2026 05:18:41 +0000 | ACCESS | session    |  | \n")
    }

    // MARK: - Escaping in text lines (a client must not forge fields, columns or lines)

    @Test(arguments: [
        ("evil' remote:'6.6.6.6", #"evil\' remote:\'6.6.6.6"#),
        ("a | b", #"a \| b"#),
        (#"C:\dir\"#, #"C:\\dir\\"#),
        (#"\'"#, #"\\\'"#),
        ("two\nlines", #"two\nlines"#),
        ("cr\rtab\t", #"cr\rtab\t"#),
        ("\u{0}\u{1}\u{1B}[31m\u{1F}\u{7F}", #"\x00\x01\x1b[31m\x1f\x7f"#),
        ("\" é 😀 \u{80} /:", "\" é 😀 \u{80} /:"),
        ("", ""),
    ])
    func fieldValuesEscapeQuotesBarsBackslashesAndControlCharacters(raw: String, escaped: String) {
        #expect(line(fields: [("url", raw)], message: "m").text
            == "Fri, 27 Nov 2026 05:18:41 +0000 | ACCESS | session    | url:'\(escaped)' | m\n")
    }

    /// The message is the last column: a `|` or a quote in a program's stderr line cannot
    /// forge anything there, so only what could break the line is escaped.
    @Test func theMessageEscapesOnlyControlCharacters() {
        #expect(line(fields: [], message: "a | b 'q' \\ \"\n\r\t\u{1B}\u{7F}").text
            == #"Fri, 27 Nov 2026 05:18:41 +0000 | ACCESS | session    |  | a | b 'q' \ "\n\r\t\x1b\x7f"# + "\n")
    }

    @Test func aForgedHostStaysInsideItsField() {
        let host = "evil' remote:'6.6.6.6 | FORGED | \r\nFri, 27 Nov 2026 | ACCESS"
        let text = line(fields: [("url", "http://\(host)/"), ("remote", "127.0.0.1")]).text
        #expect(text.ranges(of: "remote:'").count == 1)
        #expect(text.ranges(of: " | ").count == 4)
        #expect(text.utf8.filter { $0 < 0x20 } == [0x0A], "only the final newline is a raw control byte")
    }

    // MARK: - JSON lines

    @Test func jsonHasTheTimeLevelCategoryFieldsAndMessageInOrder() {
        #expect(line().json
            == #"{"time":"2026-11-27T05:18:41.250000+00:00","level":"access","category":"session","url":"http://x/","id":"1","msg":"CONNECT"}"#
            + "\n")
    }

    @Test func jsonParsesBackToTheSameValues() throws {
        let text = line(level: .error, category: "process", fields: [("id", "7"), ("pid", "1234")],
                        message: "exited with status 3").json
        #expect(text.hasSuffix("}\n"))
        let object = try parse(text)
        #expect(object == [
            "time": "2026-11-27T05:18:41.250000+00:00",
            "level": "error",
            "category": "process",
            "id": "7",
            "pid": "1234",
            "msg": "exited with status 3",
        ])
    }

    @Test(arguments: LogLevel.allCases)
    func jsonSpellsTheLevelInLowerCase(level: LogLevel) throws {
        #expect(try parse(line(level: level).json)["level"] == level.name)
    }

    @Test func jsonWithoutFieldsHasOnlyTheFixedKeys() throws {
        let object = try parse(line(fields: []).json)
        #expect(Set(object.keys) == ["time", "level", "category", "msg"])
    }

    @Test(arguments: [
        ("say \"hi\"", #""say \"hi\"""#),
        (#"C:\path\"#, #""C:\\path\\""#),
        ("two\nlines", #""two\nlines""#),
        ("cr\rlf", #""cr\rlf""#),
        ("tab\there", #""tab\there""#),
        ("\u{1}", #""\u0001""#),
        ("\u{0}", #""\u0000""#),
        ("\u{8}\u{C}", #""\u0008\u000c""#),
        ("\u{1B}[31m", #""\u001b[31m""#),
        ("\u{1F}", #""\u001f""#),
        ("\u{7F} é 😀 /", "\"\u{7F} é 😀 /\""),
        ("", #""""#),
    ])
    func jsonEscapesQuotesBackslashesAndControlCharacters(raw: String, literal: String) throws {
        let text = line(fields: [("value", raw)], message: raw).json
        #expect(text.contains(#","value":\#(literal),"msg":\#(literal)}"#), "\(text)")
        let object = try parse(text)
        #expect(object["value"] == raw)
        #expect(object["msg"] == raw)
    }

    @Test func jsonEscapesKeysAndCategoryToo() throws {
        let text = line(category: "a\"b", fields: [("k\"\n", "v")]).json
        let object = try parse(text)
        #expect(object["category"] == "a\"b")
        #expect(object["k\"\n"] == "v")
    }

    @Test func everyControlCharacterKeepsTheEventOnOneLine() throws {
        let controls = String(String.UnicodeScalarView((0..<0x20).map { Unicode.Scalar(UInt8($0)) }))
        let text = line(category: controls, fields: [(controls, controls)], message: controls).json
        #expect(text.utf8.filter { $0 < 0x20 } == [0x0A], "only the final newline is a raw control byte")
        #expect(text.last == "\n")
        let object = try parse(text)
        #expect(object["category"] == controls)
        #expect(object[controls] == controls)
        #expect(object["msg"] == controls)
    }
}
