import Testing
import WSGateCore
import WSGateHTTP

// MARK: - A real upgrade request

/// The upgrade request Chrome 124 sends to `ws://localhost:8080/chat?room=lobby`.
let chromeUpgrade = bytes(
    "GET /chat?room=lobby HTTP/1.1\r\n"
        + "Host: localhost:8080\r\n"
        + "Connection: Upgrade\r\n"
        + "Pragma: no-cache\r\n"
        + "Cache-Control: no-cache\r\n"
        + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36\r\n"
        + "Upgrade: websocket\r\n"
        + "Origin: http://localhost:8080\r\n"
        + "Sec-WebSocket-Version: 13\r\n"
        + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
        + "Accept-Language: en-US,en;q=0.9\r\n"
        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
        + "\r\n")

/// A masked text frame "Hello" (RFC 6455 §5.7), as a client may send right after the head.
let maskedHelloFrame: [UInt8] = [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58]

let chromeHeaders: [(String, String)] = [
    ("Host", "localhost:8080"),
    ("Connection", "Upgrade"),
    ("Pragma", "no-cache"),
    ("Cache-Control", "no-cache"),
    ("User-Agent", "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36"),
    ("Upgrade", "websocket"),
    ("Origin", "http://localhost:8080"),
    ("Sec-WebSocket-Version", "13"),
    ("Accept-Encoding", "gzip, deflate, br, zstd"),
    ("Accept-Language", "en-US,en;q=0.9"),
    ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
    ("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits"),
]

@Test(.timeLimit(.minutes(10))) func chromeUpgradeParsesToExactValues() throws {
    let outcome = feedAllWays(chromeUpgrade)
    let head = try #require(outcome.head)
    #expect(head.method == "GET")
    #expect(head.target == "/chat?room=lobby")
    #expect(head.path == "/chat")
    #expect(head.query == "room=lobby")
    #expect(head.requestTarget.form == .origin)
    #expect(head.version == .http1_1)
    #expect(head.headers.count == chromeHeaders.count)
    for (index, expected) in chromeHeaders.enumerated() {
        #expect(head.headers[index].name == expected.0)
        #expect(head.headers[index].value == expected.1)
    }
    #expect(head.contentLength == nil)
    #expect(head.hasChunkedBody == false)
    #expect(outcome == .head(head, rest: []))
}

@Test(.timeLimit(.minutes(10))) func everyPrefixOfTheHeadIsIncompleteAndConsumesNothing() {
    for length in 0..<chromeUpgrade.count {
        let outcome = feed([chromeUpgrade[..<length]])
        #expect(outcome == .incomplete(buffered: length), "prefix of \(length) bytes")
    }
}

@Test(.timeLimit(.minutes(10))) func framesSentAfterTheHeadStayInTheBuffer() throws {
    let outcome = feedAllWays(chromeUpgrade + maskedHelloFrame)
    let head = try #require(outcome.head)
    #expect(outcome == .head(head, rest: maskedHelloFrame))
    #expect(head.headers.first("Sec-WebSocket-Key") == "dGhlIHNhbXBsZSBub25jZQ==")
}

@Test(.timeLimit(.minutes(10))) func theHeadIsConsumedExactlyWhenTheBufferHasAConsumedPrefix() throws {
    var buffer = ByteBuffer(bytes: [1, 2, 3])
    _ = buffer.readBytes(3)
    buffer.writeBytes(chromeUpgrade.prefix(100))
    var parser = HTTPRequestParser()
    #expect(try parser.parse(&buffer) == nil)
    buffer.writeBytes(chromeUpgrade.dropFirst(100) + maskedHelloFrame)
    let head = try #require(try parser.parse(&buffer))
    #expect(head.path == "/chat")
    #expect(buffer.readableBytesArray == maskedHelloFrame)
}

// MARK: - Accepted variants

@Test(.timeLimit(.minutes(10))) func upToTwoEmptyLinesBeforeTheRequestLineAreIgnored() throws {
    let one = feedAllWays(bytes("\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\nX"))
    #expect(one.head?.path == "/")
    #expect(one == .head(try #require(one.head), rest: [UInt8(ascii: "X")]))
    let two = feedAllWays(bytes("\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"))
    #expect(two.head?.headers.first("host") == "a")
    let three = feedAllWays(bytes("\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"))
    #expect(three == .failed(.malformedRequestLine))
}

@Test(.timeLimit(.minutes(10))) func fieldValuesAreTrimmedAndKeepInnerBytes() throws {
    let input = bytes("GET / HTTP/1.1\r\nHost:a\r\nX-Empty:\r\nX-Spaces: \t  \r\nX-Trim: \t a \t b \t\r\nX-Text: caf\u{E9}\r\n")
        + bytes("X-Raw: ") + [0xFF, 0x41] + bytes("\r\n\r\n")
    let head = try #require(feedAllWays(input).head)
    #expect(head.headers.values("Host") == ["a"])
    #expect(head.headers.first("X-Empty") == "")
    #expect(head.headers.first("X-Spaces") == "")
    #expect(head.headers.first("X-Trim") == "a \t b")
    #expect(head.headers.first("X-Text") == "café")
    #expect(head.headers.first("X-Raw") == "\u{FFFD}A")
}

@Test(.timeLimit(.minutes(10))) func http10WithoutHostIsAccepted() throws {
    let head = try #require(feedAllWays(bytes("GET /x HTTP/1.0\r\n\r\n")).head)
    #expect(head.version == .http1_0)
    #expect(head.headers.isEmpty)
}

@Test(.timeLimit(.minutes(10))) func absoluteFormTargetsAreSplit() throws {
    let head = try #require(feedAllWays(bytes("GET ws://example.com:8080/chat?a=1?b HTTP/1.1\r\nHost: example.com:8080\r\n\r\n")).head)
    #expect(head.target == "ws://example.com:8080/chat?a=1?b")
    #expect(head.requestTarget.form == .absolute)
    #expect(head.requestTarget.authority == "example.com:8080")
    #expect(head.path == "/chat")
    #expect(head.query == "a=1?b")
}

@Test(.timeLimit(.minutes(10))) func framingFieldsAreExposed() throws {
    let withLength = try #require(feedAllWays(bytes("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\ncontent-length: 5, 5\r\n\r\nhello")).head)
    #expect(withLength.contentLength == 5)
    #expect(withLength.hasChunkedBody == false)
    let chunked = try #require(feedAllWays(bytes("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, Chunked\r\n\r\n")).head)
    #expect(chunked.contentLength == nil)
    #expect(chunked.hasChunkedBody == true)
}

@Test(.timeLimit(.minutes(10))) func theParserIsReadyForAnotherHeadAfterSuccess() throws {
    var parser = HTTPRequestParser()
    var buffer = ByteBuffer(bytes: bytes("GET /one HTTP/1.1\r\nHost: a\r\n\r\nGET /two HTTP/1.1\r\nHost: b\r\n\r\n"))
    #expect(try parser.parse(&buffer)?.path == "/one")
    #expect(try parser.parse(&buffer)?.path == "/two")
    #expect(buffer.isEmpty)
    #expect(try parser.parse(&buffer) == nil)
}

@Test(.timeLimit(.minutes(10))) func afterAnErrorEveryCallThrowsTheSameError() throws {
    var parser = HTTPRequestParser()
    var buffer = ByteBuffer(bytes: bytes("GET / HTTP/1.1\nHost: a\r\n\r\n"))
    #expect(throws: HTTPParseError.bareLineFeed) { try parser.parse(&buffer) }
    var good = ByteBuffer(bytes: bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n"))
    #expect(throws: HTTPParseError.bareLineFeed) { try parser.parse(&good) }
    #expect(good.readableBytes == 27)
}

@Test(.timeLimit(.minutes(10))) func bytesTakenAwayBetweenCallsRestartTheScan() throws {
    var parser = HTTPRequestParser()
    var buffer = ByteBuffer(bytes: [UInt8](repeating: UInt8(ascii: "X"), count: 40))
    #expect(try parser.parse(&buffer) == nil)
    // The caller drops the 40 scanned bytes: fewer bytes than were scanned remain.
    buffer.clear()
    buffer.writeBytes(bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n"))
    #expect(try parser.parse(&buffer)?.path == "/")
}

// MARK: - Size limits

/// A head of exactly `size` bytes (one long field pads it), optionally without its final CRLF.
func paddedHead(size: Int, complete: Bool = true) -> [UInt8] {
    let prefix = bytes("GET /padded HTTP/1.1\r\nHost: a\r\nX-Pad: ")
    let suffix = bytes("\r\n\r\n")
    return prefix + [UInt8](repeating: UInt8(ascii: "p"), count: size - prefix.count - suffix.count)
        + (complete ? suffix : bytes("pppp"))
}

@Test(.timeLimit(.minutes(10))) func aHeadOfExactlyTheLimitParses() throws {
    let head = paddedHead(size: 16384)
    #expect(head.count == 16384)
    let outcome = feedAllWays(head + maskedHelloFrame)
    let parsed = try #require(outcome.head)
    #expect(parsed.path == "/padded")
    #expect(parsed.headers.first("X-Pad")?.utf8.count == 16384 - bytes("GET /padded HTTP/1.1\r\nHost: a\r\nX-Pad: ").count - 4)
    #expect(outcome == .head(parsed, rest: maskedHelloFrame))
}

@Test(.timeLimit(.minutes(10))) func oneByteMoreThanTheLimitWithoutTheEndThrows431() {
    let exactlyLimit = paddedHead(size: 16384, complete: false)
    #expect(feed([exactlyLimit[...]]) == .incomplete(buffered: 16384))
    let tooMany = paddedHead(size: 16385, complete: false)
    #expect(feedAllWays(tooMany) == .failed(.headTooLarge))
    #expect(HTTPParseError.headTooLarge.status.code == 431)
    // A head that would end one byte past the limit is refused as well.
    #expect(feedAllWays(paddedHead(size: 16385)) == .failed(.headTooLarge))
}

@Test(.timeLimit(.minutes(10))) func fedByteByByteTheLimitTripsOnTheFirstByteTooMany() throws {
    let input = paddedHead(size: 20000, complete: false)
    var parser = HTTPRequestParser()
    var buffer = ByteBuffer()
    for (index, byte) in input.enumerated() {
        buffer.writeInteger(byte)
        if index < 16384 {
            #expect(try parser.parse(&buffer) == nil)
        } else {
            #expect(throws: HTTPParseError.headTooLarge) { try parser.parse(&buffer) }
            #expect(index == 16384)
            break
        }
    }
}

@Test(.timeLimit(.minutes(10))) func customHeadLimit() {
    let input = bytes("GET / HTTP/1.1\r\nHost: a\r\n\r\n")
    #expect(feedAllWays(input, parser: HTTPRequestParser(maxHeadBytes: input.count)).head != nil)
    #expect(feedAllWays(input, parser: HTTPRequestParser(maxHeadBytes: input.count - 1)) == .failed(.headTooLarge))
}

/// A request with `count` field lines (Host plus `count - 1` others).
func request(withFieldCount count: Int) -> [UInt8] {
    var text = "GET / HTTP/1.1\r\nHost: a\r\n"
    for index in 1..<count { text += "X-\(index): \(index)\r\n" }
    return bytes(text + "\r\n")
}

@Test(.timeLimit(.minutes(10))) func headerCountLimit() throws {
    let hundred = try #require(feedAllWays(request(withFieldCount: 100)).head)
    #expect(hundred.headers.count == 100)
    #expect(hundred.headers.first("x-99") == "99")
    #expect(feedAllWays(request(withFieldCount: 101)) == .failed(.tooManyHeaders))
    let small = HTTPRequestParser(maxHeaderCount: 2)
    #expect(feedAllWays(request(withFieldCount: 2), parser: small).head?.headers.count == 2)
    #expect(feedAllWays(request(withFieldCount: 3), parser: small) == .failed(.tooManyHeaders))
    #expect(HTTPParseError.tooManyHeaders.status.code == 431)
}

// MARK: - Linear scanning

/// Feeds `input` one byte at a time and returns the parser's count of examined bytes.
func bytesExaminedFeedingOneByteAtATime(_ input: [UInt8], parser: HTTPRequestParser) throws -> Int {
    var parser = parser
    var buffer = ByteBuffer()
    for (index, byte) in input.enumerated() {
        buffer.writeInteger(byte)
        let head = try parser.parse(&buffer)
        #expect((head != nil) == (index == input.count - 1))
    }
    return parser.bytesExamined
}

@Test(.timeLimit(.minutes(10))) func feedingA16KiBHeadOneByteAtATimeIsLinear() throws {
    // One huge line: a scanner that restarts from the line start (or the buffer start) on
    // every call would examine ~134 million bytes here.
    let oneLine = paddedHead(size: 16384)
    let examinedOneLine = try bytesExaminedFeedingOneByteAtATime(oneLine, parser: HTTPRequestParser())
    #expect(examinedOneLine <= 2 * oneLine.count)
    #expect(examinedOneLine >= oneLine.count)

    // Many short lines.
    var text = "GET / HTTP/1.1\r\nHost: a\r\n"
    var index = 0
    while text.utf8.count < 16384 - 40 {
        text += "X-Field-\(index): value \(index)\r\n"
        index += 1
    }
    let manyLines = bytes(text + "\r\n")
    let examinedManyLines = try bytesExaminedFeedingOneByteAtATime(manyLines, parser: HTTPRequestParser(maxHeaderCount: 1000))
    #expect(examinedManyLines <= 2 * manyLines.count)
}

// MARK: - Failing fast on junk

/// Regression: a request-line of binary junk (no CRLF yet) used to wait for the line end, so a
/// TLS ClientHello or random bytes on the plain port got no answer until the head timeout.
/// It must fail at the first byte no request-line can contain, before any line end arrives.
@Test(.timeLimit(.minutes(10)), arguments: [
    ("TLS ClientHello", [0x16, 0x03, 0x01, 0x02, 0x00, 0x01] as [UInt8], HTTPParseError.malformedRequestLine),
    ("NUL bytes", [0x00, 0x00, 0x00], .malformedRequestLine),
    ("non-token method", Array("GE(T".utf8), .invalidMethod),
    ("control byte in the target", Array("GET /a\u{1}b".utf8), .invalidTarget),
    ("UTF-8 in the target", Array("GET /é".utf8), .invalidTarget),
    ("control byte in the version", Array("GET / HTTP\u{7}".utf8), .malformedRequestLine),
])
func junkInAnUnfinishedRequestLineFailsAtOnce(name: String, input: [UInt8], error: HTTPParseError) {
    #expect(feedAllWays(input) == .failed(error), "\(name)")
}

@Test(.timeLimit(.minutes(10))) func anUnfinishedButPlausibleRequestLineWaits() {
    #expect(feedAllWays(Array("GET /chat?x=1 HTTP/1.".utf8)) == .incomplete(buffered: 21))
}
