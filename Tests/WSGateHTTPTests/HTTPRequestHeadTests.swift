import Testing
import WSGateHTTP

func makeHead(_ headers: HTTPHeaders, version: HTTPVersion = .http1_1, target: String = "/a?b") throws(HTTPParseError) -> HTTPRequestHead {
    try HTTPRequestHead(method: "GET", target: RequestTarget(parsing: target), version: version, headers: headers)
}

@Test(.timeLimit(.minutes(10))) func headExposesTargetPartsAndFields() throws {
    let head = try makeHead(["Host": "h", "X": "1"], target: "http://h/p/q?x=%41")
    #expect(head.method == "GET")
    #expect(head.target == "http://h/p/q?x=%41")
    #expect(head.path == "/p/q")
    #expect(head.query == "x=%41")
    #expect(head.version == .http1_1)
    #expect(head.headers == ["Host": "h", "X": "1"])
}

struct FramingCase: Sendable, CustomTestStringConvertible {
    let fields: [String]
    let version: HTTPVersion
    let contentLength: Int?
    let chunked: Bool
    var testDescription: String { fields.joined(separator: " | ") }
    init(_ fields: [String], version: HTTPVersion = .http1_1, length: Int? = nil, chunked: Bool = false) {
        self.fields = fields
        self.version = version
        self.contentLength = length
        self.chunked = chunked
    }
}

@Test(.timeLimit(.minutes(10)), arguments: [
    FramingCase([]),
    FramingCase(["Content-Length: 0"], length: 0),
    FramingCase(["Content-Length: 0042"], length: 42),
    FramingCase(["content-length: 9223372036854775807"], length: Int.max),
    FramingCase(["Content-Length: 5, 5"], length: 5),
    FramingCase(["Content-Length: 5", "Content-Length: 5"], length: 5),
    FramingCase(["Transfer-Encoding: chunked"], chunked: true),
    FramingCase(["Transfer-Encoding: gzip", "transfer-encoding: CHUNKED"], chunked: true),
    FramingCase(["Content-Length: 7"], version: .http1_0, length: 7),
])
func validFramingIsReported(_ testCase: FramingCase) throws {
    var headers: HTTPHeaders = ["Host": "h"]
    for field in testCase.fields {
        let parts = field.split(separator: ":", maxSplits: 1)
        headers.add(name: String(parts[0]), value: String(parts[1].drop { $0 == " " }))
    }
    let head = try makeHead(headers, version: testCase.version)
    #expect(head.contentLength == testCase.contentLength)
    #expect(head.hasChunkedBody == testCase.chunked)
}

@Test(.timeLimit(.minutes(10))) func framingAndHostErrors() {
    #expect(throws: HTTPParseError.contentLengthWithTransferEncoding) {
        try makeHead(["Host": "h", "Transfer-Encoding": "chunked", "Content-Length": "0"])
    }
    #expect(throws: HTTPParseError.invalidContentLength) { try makeHead(["Host": "h", "Content-Length": "9223372036854775808"]) }
    #expect(throws: HTTPParseError.invalidContentLength) { try makeHead(["Host": "h", "Content-Length": "1 2"]) }
    #expect(throws: HTTPParseError.conflictingContentLength) { try makeHead(["Host": "h", "Content-Length": "1", "content-length": "01, 2"]) }
    #expect(throws: HTTPParseError.invalidTransferEncoding) { try makeHead(["Host": "h", "Transfer-Encoding": "chunked, identity"]) }
    #expect(throws: HTTPParseError.invalidTransferEncoding) { try makeHead(["Host": "h", "Transfer-Encoding": "chunked"], version: .http1_0) }
    #expect(throws: HTTPParseError.missingHost) { try makeHead([:]) }
    #expect(throws: HTTPParseError.duplicateHost) { try makeHead(["Host": "h", "HOST": "h"]) }
    #expect(throws: HTTPParseError.duplicateHost) { try makeHead(["Host": "h", "HOST": "h"], version: .http1_0) }
}

@Test(.timeLimit(.minutes(10))) func http10MayOmitHost() throws {
    #expect(try makeHead([:], version: .http1_0).headers.isEmpty)
}
