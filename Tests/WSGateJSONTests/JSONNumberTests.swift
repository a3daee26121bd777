import Testing
import WSGateJSON

@Suite(.timeLimit(.minutes(10))) struct JSONNumberTests {
    @Test(arguments: ["0", "-0", "1", "-1", "10", "0.5", "-0.0", "1e5", "1E5", "1e+5", "1e-5", "1.25E-10", "123456789012345678901234567890",
                      "9223372036854775807", "-9223372036854775808", "18446744073709551615", "1.7976931348623157e308", "5e-324", "1e400"])
    func keepsTheTextOfValidNumbers(_ text: String) {
        #expect(parse(text) == number(text))
        #expect(parse("[\(text)]") == .array([number(text)]))
        #expect(JSONValue.number(JSONNumber(text: text)!).jsonText == Array(text.utf8))
    }

    @Test(arguments: ["01", "-01", "00", "0.", ".5", "-.5", "+1", "1.e5", "1e", "1e+", "--1", "-", "0x10", "1_000", "1.5.5", "0e", "1ee5", "- 1"])
    func refusesMalformedNumbers(_ text: String) {
        #expect(parseError(text) != nil, "accepted \(text)")
        #expect(JSONNumber(text: text) == nil)
    }

    @Test func namesTheReasonForMalformedNumbers() {
        #expect(parseError("01")?.reason == .invalidNumber)
        #expect(parseError("[01]") == JSONParseError(.invalidNumber, at: 1))
        #expect(parseError("[-]") == JSONParseError(.invalidNumber, at: 1))
        #expect(parseError("1.") == JSONParseError(.unexpectedEnd, at: 2))
        #expect(parseError("[1.]") == JSONParseError(.invalidNumber, at: 1))
        #expect(parseError("1.5x") == JSONParseError(.trailingBytes, at: 3))
    }

    @Test func readsIntegersOnlyInTheirPlainForm() {
        #expect(JSONNumber(text: "18446744073709551615")?.uint64Value == UInt64.max)
        #expect(JSONNumber(text: "18446744073709551616")?.uint64Value == nil)
        #expect(JSONNumber(text: "9223372036854775807")?.int64Value == Int64.max)
        #expect(JSONNumber(text: "9223372036854775808")?.int64Value == nil)
        #expect(JSONNumber(text: "-9223372036854775808")?.int64Value == Int64.min)
        #expect(JSONNumber(text: "-9223372036854775809")?.int64Value == nil)
        #expect(JSONNumber(text: "-1")?.uint64Value == nil)
        #expect(JSONNumber(text: "-0")?.int64Value == 0)
        #expect(JSONNumber(text: "-0")?.uint64Value == nil)
        #expect(JSONNumber(text: "1.0")?.int64Value == nil)
        #expect(JSONNumber(text: "1e2")?.uint64Value == nil)
        #expect(JSONNumber(text: "1E2")?.int64Value == nil)
    }

    @Test func readsDoublesAtTheEdges() {
        #expect(JSONNumber(text: "1.7976931348623157e308")?.doubleValue == Double.greatestFiniteMagnitude)
        #expect(JSONNumber(text: "5e-324")?.doubleValue == Double.leastNonzeroMagnitude)
        #expect(JSONNumber(text: "1e400")?.doubleValue == Double.infinity)
        #expect(JSONNumber(text: "-1e400")?.doubleValue == -Double.infinity)
        #expect(JSONNumber(text: "1e-400")?.doubleValue == 0)
        #expect(JSONNumber(text: "123456789012345678901234567890")?.doubleValue == 1.2345678901234568e29)
    }

    @Test func limitsTheLengthOfANumber() {
        let long = String(repeating: "9", count: 128)
        #expect(parse(long) == number(long))
        #expect(parseError(long + "9") == JSONParseError(.numberTooLong, at: 128))
        let huge = [UInt8](repeating: UInt8(ascii: "1"), count: 100_000)
        #expect(parseError(huge)?.reason == .numberTooLong)
        #expect(parse(String(repeating: "9", count: 300), limits: JSONLimits(maxNumberBytes: 300)) != nil)
    }

    @Test func makesNumbersFromSwiftValues() {
        #expect(JSONNumber(Int64.min).text == "-9223372036854775808")
        #expect(JSONNumber(UInt64.max).text == "18446744073709551615")
        #expect(JSONNumber(0.1)?.text == "0.1")
        #expect(JSONNumber(Double.infinity) == nil)
        #expect(JSONNumber(Double.nan) == nil)
        for value in [1.0, -0.0, 1e-5, 1e100, Double.leastNonzeroMagnitude, Double.greatestFiniteMagnitude, 123.456] {
            let text = JSONNumber(value)!.text
            #expect(JSONNumber(text: text) != nil, "\(text) is not JSON")
            #expect(JSONNumber(text: text)?.doubleValue == value)
        }
    }
}
