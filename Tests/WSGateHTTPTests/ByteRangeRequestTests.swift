import Testing
import WSGateHTTP

struct RangeCase: Sendable, CustomTestStringConvertible {
    let value: String?
    let size: Int
    let expected: ByteRangeRequest
    init(_ value: String?, size: Int = 10_000, _ expected: ByteRangeRequest) {
        self.value = value
        self.size = size
        self.expected = expected
    }
    var testDescription: String { "\(value.map { "\"\($0)\"" } ?? "nil") of \(size)" }
}

@Suite(.timeLimit(.minutes(10))) struct ByteRangeRequestTests {
    // RFC 9110 §14.1.2's examples, for a representation of length 10000.
    @Test(arguments: [
        RangeCase("bytes=0-499", .satisfiable(0..<500)),         // the first 500 bytes
        RangeCase("bytes=500-999", .satisfiable(500..<1000)),    // the second 500 bytes
        RangeCase("bytes=-500", .satisfiable(9500..<10_000)),    // the final 500 bytes
        RangeCase("bytes=9500-", .satisfiable(9500..<10_000)),
        RangeCase("bytes=0-0,-1", .ignored),                     // several ranges: served whole
        RangeCase("bytes= 0-999, 4500-5499, -1000", .ignored),
        RangeCase("bytes=500-600,601-999", .ignored),
        RangeCase("bytes=500-700,601-999", .ignored),
    ])
    func theRFCExamples(_ testCase: RangeCase) {
        #expect(ByteRangeRequest(parsing: testCase.value, representationSize: testCase.size) == testCase.expected)
    }

    @Test(arguments: [
        RangeCase(nil, .ignored),
        RangeCase("bytes=0-", size: 1, .satisfiable(0..<1)),
        RangeCase("bytes=0-0", size: 1, .satisfiable(0..<1)),
        RangeCase("bytes=9999-9999", .satisfiable(9999..<10_000)),
        // last-pos at or beyond the end means "to the end"
        RangeCase("bytes=0-10000", .satisfiable(0..<10_000)),
        RangeCase("bytes=5-999999999999", .satisfiable(5..<10_000)),
        RangeCase("bytes=0-9223372036854775807", .satisfiable(0..<10_000)),
        // a suffix longer than the representation is all of it
        RangeCase("bytes=-10000", .satisfiable(0..<10_000)),
        RangeCase("bytes=-10001", .satisfiable(0..<10_000)),
        RangeCase("bytes=-9223372036854775807", .satisfiable(0..<10_000)),
        RangeCase("bytes=-1", size: 1, .satisfiable(0..<1)),
        // leading zeros are just digits
        RangeCase("bytes=000010-0000000000000000000000000019", .satisfiable(10..<20)),
        // the unit is case-insensitive; OWS around the value and the list elements
        RangeCase("BYTES=0-1", .satisfiable(0..<2)),
        RangeCase("Bytes=-2", .satisfiable(9998..<10_000)),
        RangeCase("  bytes=0-1\t", .satisfiable(0..<2)),
        RangeCase("bytes= 0-1 ", .satisfiable(0..<2)),
        RangeCase("bytes=\t0-1", .satisfiable(0..<2)),
        // empty list elements are skipped (RFC 9110 §5.6.1)
        RangeCase("bytes=,0-1", .satisfiable(0..<2)),
        RangeCase("bytes=0-1,", .satisfiable(0..<2)),
        RangeCase("bytes= , ,0-1 ,, ", .satisfiable(0..<2)),
        // the largest possible representation
        RangeCase("bytes=-1", size: .max, .satisfiable((Int.max - 1)..<Int.max)),
        RangeCase("bytes=9223372036854775806-", size: .max, .satisfiable((Int.max - 1)..<Int.max)),
        RangeCase("bytes=0-9223372036854775807", size: .max, .satisfiable(0..<Int.max)),
    ])
    func satisfiableRangesAreClamped(_ testCase: RangeCase) {
        #expect(ByteRangeRequest(parsing: testCase.value, representationSize: testCase.size) == testCase.expected)
    }

    @Test(arguments: [
        RangeCase("bytes=10000-", .unsatisfiable),               // first-pos == size
        RangeCase("bytes=10000-10001", .unsatisfiable),
        RangeCase("bytes=20000-30000", .unsatisfiable),
        RangeCase("bytes=9223372036854775807-", .unsatisfiable),
        RangeCase("bytes=-0", .unsatisfiable),                   // a zero-length suffix
        RangeCase("bytes=-000", .unsatisfiable),
        RangeCase("bytes=-0", size: 0, .unsatisfiable),
        RangeCase("bytes=0-", size: 0, .unsatisfiable),          // an empty representation
        RangeCase("bytes=0-0", size: 0, .unsatisfiable),
        RangeCase("bytes=0-99", size: 0, .unsatisfiable),
    ])
    func unsatisfiableRanges(_ testCase: RangeCase) {
        #expect(ByteRangeRequest(parsing: testCase.value, representationSize: testCase.size) == testCase.expected)
    }

    @Test(arguments: [
        RangeCase("bytes=-1", size: 0, .ignored),               // a suffix of nothing: the (empty) whole
        RangeCase("bytes=-500", size: 0, .ignored),
        RangeCase("bytes=0-1", size: -1, .ignored),             // no representation
        // other units, or none
        RangeCase("items=0-1", .ignored),
        RangeCase("bytesx=0-1", .ignored),
        RangeCase("byte=0-1", .ignored),
        RangeCase("=0-1", .ignored),
        RangeCase("0-1", .ignored),
        RangeCase("", .ignored),
        RangeCase("bytes", .ignored),
        // invalid syntax
        RangeCase("bytes=", .ignored),                           // 1#range-spec: at least one
        RangeCase("bytes= , ", .ignored),
        RangeCase("bytes =0-1", .ignored),
        RangeCase("bytes= =0-1", .ignored),
        RangeCase("bytes=1-0", .ignored),                        // last-pos < first-pos
        RangeCase("bytes=10001-10000", .ignored),
        RangeCase("bytes=0 -1", .ignored),
        RangeCase("bytes=0- 1", .ignored),
        RangeCase("bytes=- 1", .ignored),
        RangeCase("bytes=-", .ignored),
        RangeCase("bytes=--1", .ignored),
        RangeCase("bytes=-1-2", .ignored),
        RangeCase("bytes=1-2-3", .ignored),
        RangeCase("bytes=+1-2", .ignored),
        RangeCase("bytes=0x10-20", .ignored),
        RangeCase("bytes=a-b", .ignored),
        RangeCase("bytes=1.5-2", .ignored),
        RangeCase("bytes=0-1;q=1", .ignored),
        RangeCase("bytes=0-1\u{0}", .ignored),
        RangeCase("bytes=٣-٤", .ignored),                        // non-ASCII digits
        RangeCase("bytes=0-1 2", .ignored),
        // numbers beyond Int.max are invalid, wherever they are
        RangeCase("bytes=9223372036854775808-", .ignored),
        RangeCase("bytes=0-9223372036854775808", .ignored),
        RangeCase("bytes=-9223372036854775808", .ignored),
        RangeCase("bytes=-99999999999999999999999999999999999999", .ignored),
        // several ranges, even when one of them is invalid or unsatisfiable
        RangeCase("bytes=0-1,junk", .ignored),
        RangeCase("bytes=20000-,30000-", .ignored),
        RangeCase("bytes=0-1, 0-1", .ignored),
    ])
    func ignoredRequestsServeTheWholeRepresentation(_ testCase: RangeCase) {
        #expect(ByteRangeRequest(parsing: testCase.value, representationSize: testCase.size) == testCase.expected)
    }

    @Test func hugeValuesAreReadInLinearTime() {
        let zeros = String(repeating: "0", count: 100_000)
        #expect(ByteRangeRequest(parsing: "bytes=\(zeros)1-\(zeros)2", representationSize: 10) == .satisfiable(1..<3))
        let commas = "bytes=" + String(repeating: ", ", count: 50_000) + "0-1"
        #expect(ByteRangeRequest(parsing: commas, representationSize: 10) == .satisfiable(0..<2))
        let many = "bytes=" + Array(repeating: "0-1", count: 20_000).joined(separator: ",")
        #expect(ByteRangeRequest(parsing: many, representationSize: 10) == .ignored)
    }

    @Test func contentRangeOfEachAnswer() {
        let size = 1234
        #expect(ByteRangeRequest.satisfiable(0..<500).contentRange(representationSize: size)?.fieldValue == "bytes 0-499/1234")
        #expect(ByteRangeRequest.unsatisfiable.contentRange(representationSize: size)?.fieldValue == "bytes */1234")
        #expect(ByteRangeRequest.ignored.contentRange(representationSize: size) == nil)
        #expect(ByteRangeRequest.unsatisfiable.contentRange(representationSize: 0)?.fieldValue == "bytes */0")
    }

    @Test func everySatisfiableAnswerLiesWithinTheRepresentation() {
        let values = ["bytes=0-", "bytes=3-", "bytes=0-0", "bytes=2-5", "bytes=5-2", "bytes=-1", "bytes=-3",
                      "bytes=-0", "bytes=4-100", "bytes=7-7"]
        for size in 0...8 {
            for value in values {
                let request = ByteRangeRequest(parsing: value, representationSize: size)
                if case .satisfiable(let range) = request {
                    #expect(!range.isEmpty && range.lowerBound >= 0 && range.upperBound <= size, "\(value) of \(size)")
                    #expect(request.contentRange(representationSize: size) != nil)
                    let back = ByteRangeRequest(parsing: "bytes=\(range.lowerBound)-\(range.upperBound - 1)",
                                                representationSize: size)
                    #expect(back == request)
                }
            }
        }
    }
}
