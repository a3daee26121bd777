import Testing
import WSGateCore
import WSGateHTTP

/// What feeding a script's output to a fresh `CGIResponseParser`, then ending it, led to.
enum CGIOutcome: Equatable, CustomStringConvertible {
    /// A head, and the bytes left in the buffer once all the output was appended.
    case head(CGIResponseHead, rest: [UInt8])
    /// `parse` or `finish` threw.
    case failed(CGIResponseError)

    var description: String {
        switch self {
        case .head(let head, let rest): return "head(\(head.kind), \(head.status), \(head.headers.count) fields, rest: \(rest.count) bytes)"
        case .failed(let error): return "failed(\(error))"
        }
    }

    var head: CGIResponseHead? {
        if case .head(let head, _) = self { return head }
        return nil
    }
}

/// Appends `pieces` one after the other to one buffer, calling `parse` after each append until
/// it returns a head or throws, then `finish` if no head came. Checks that the buffer only ever
/// keeps the line being received and that a head never takes more than the limit.
func parseCGIOutput(
    _ pieces: [ArraySlice<UInt8>],
    parser: CGIResponseParser = CGIResponseParser(),
    sourceLocation: SourceLocation = #_sourceLocation
) -> CGIOutcome {
    var parser = parser
    var buffer = ByteBuffer()
    var appended: [UInt8] = []
    var head: CGIResponseHead?
    for piece in pieces {
        buffer.writeBytes(piece)
        appended += piece
        guard head == nil else { continue }
        do {
            head = try parser.parse(&buffer)
        } catch {
            return .failed(error)
        }
        if let head {
            let consumed = appended.count - buffer.readableBytes
            #expect(consumed <= parser.maxHeadBytes, sourceLocation: sourceLocation)
            let again = try? parser.parse(&buffer)
            #expect(again == head, "a second call", sourceLocation: sourceLocation)
            #expect(appended.count - buffer.readableBytes == consumed, "a second call consumed", sourceLocation: sourceLocation)
        } else {
            let held = buffer.readableBytesArray
            #expect(!held.contains(0x0A), "a complete line was left in the buffer", sourceLocation: sourceLocation)
            #expect(appended.suffix(held.count).elementsEqual(held), sourceLocation: sourceLocation)
        }
    }
    if let head { return .head(head, rest: buffer.readableBytesArray) }
    do {
        try parser.finish()
    } catch {
        return .failed(error)
    }
    Issue.record("finish accepted an output without a head", sourceLocation: sourceLocation)
    return .failed(.truncatedHeaderSection)
}

/// Feeds `output` whole, byte by byte and split in two at every position; expects the same
/// outcome every time and returns it.
func parseCGIOutputAllWays(
    _ output: [UInt8],
    parser: CGIResponseParser = CGIResponseParser(),
    sourceLocation: SourceLocation = #_sourceLocation
) -> CGIOutcome {
    let whole = parseCGIOutput([output[...]], parser: parser, sourceLocation: sourceLocation)
    let byteByByte = parseCGIOutput(output.indices.map { output[$0...$0] }, parser: parser, sourceLocation: sourceLocation)
    #expect(byteByByte == whole, "byte by byte", sourceLocation: sourceLocation)
    guard output.count <= 2000 else { return whole }
    for split in 0...output.count {
        let twoPieces = parseCGIOutput([output[..<split], output[split...]], parser: parser, sourceLocation: sourceLocation)
        if twoPieces != whole {
            Issue.record("split at \(split): \(twoPieces) instead of \(whole)", sourceLocation: sourceLocation)
            break
        }
    }
    return whole
}

/// A document head with the given status and fields.
func document(_ headers: HTTPHeaders, status: HTTPStatus = .ok, contentLength: Int? = nil) -> CGIResponseHead {
    CGIResponseHead(kind: .document, status: status, headers: headers, contentLength: contentLength)
}

@Suite(.timeLimit(.minutes(10))) struct CGIResponseParserTests {
    // MARK: Documents

    @Test func aPlainTextDocument() {
        let outcome = parseCGIOutputAllWays(bytes("Content-Type: text/plain\n\nhello\n"))
        #expect(outcome == .head(document(["Content-Type": "text/plain"]), rest: bytes("hello\n")))
    }

    @Test func crlfAndMixedLineEndsGiveTheSameHead() {
        let expected = CGIOutcome.head(document(["Content-Type": "text/plain", "X-A": "1"]), rest: bytes("body\r\n"))
        #expect(parseCGIOutputAllWays(bytes("Content-Type: text/plain\r\nX-A: 1\r\n\r\nbody\r\n")) == expected)
        #expect(parseCGIOutputAllWays(bytes("Content-Type: text/plain\nX-A: 1\r\n\nbody\r\n")) == expected)
        #expect(parseCGIOutputAllWays(bytes("Content-Type: text/plain\r\nX-A: 1\n\r\nbody\r\n")) == expected)
    }

    @Test func aTypicalScriptWithCookies() {
        let output = bytes(
            "Content-type: text/html; charset=UTF-8\r\n"
                + "Set-Cookie: session=abc123; Path=/; HttpOnly\r\n"
                + "Cache-Control: no-cache\r\n"
                + "Set-Cookie: theme=dark; Max-Age=3600\r\n"
                + "X-Powered-By:\tbash \r\n"
                + "\r\n"
                + "<!DOCTYPE html><p>Hi</p>")
        let expected = document([
            "Content-type": "text/html; charset=UTF-8",
            "Set-Cookie": "session=abc123; Path=/; HttpOnly",
            "Cache-Control": "no-cache",
            "Set-Cookie": "theme=dark; Max-Age=3600",
            "X-Powered-By": "bash",
        ])
        #expect(parseCGIOutputAllWays(output) == .head(expected, rest: bytes("<!DOCTYPE html><p>Hi</p>")))
        #expect(expected.headers.values("set-cookie").count == 2)
    }

    @Test func aStatusWithItsReasonPhraseReplacesTheDefault() {
        let outcome = parseCGIOutputAllWays(bytes("Status: 404 Not Found\r\nContent-Type: text/html\r\n\r\n<h1>gone</h1>"))
        #expect(outcome == .head(document(["Content-Type": "text/html"], status: .notFound), rest: bytes("<h1>gone</h1>")))
    }

    @Test(arguments: [
        ("Status: 418 I'm a teapot", HTTPStatus(code: 418, reasonPhrase: "I'm a teapot")),
        ("Status:\t201\t Made it ", HTTPStatus(code: 201, reasonPhrase: "Made it")),
        ("Status: 204", HTTPStatus(code: 204, reasonPhrase: "No Content")),
        ("status: 302", HTTPStatus.found),
        ("STATUS: 500   ", HTTPStatus.internalServerError),
        ("Status: 503 ", HTTPStatus.serviceUnavailable),
        ("Status: 299", HTTPStatus(code: 299, reasonPhrase: "")),
        ("Status: 599 Custom", HTTPStatus(code: 599, reasonPhrase: "Custom")),
        ("Status: 200 OK", HTTPStatus.ok),
    ])
    func statusLines(line: String, status: HTTPStatus) {
        // With a Status, Content-Type is not required (a 204 or 304 has no body).
        #expect(parseCGIOutputAllWays(bytes(line + "\n\n")) == .head(document([:], status: status), rest: []))
    }

    @Test func theContentLengthIsReadAndKept() {
        let outcome = parseCGIOutputAllWays(bytes("Content-Type: text/plain\nContent-Length: 5\n\nhello"))
        #expect(outcome == .head(document(["Content-Type": "text/plain", "Content-Length": "5"], contentLength: 5), rest: bytes("hello")))
        let repeated = parseCGIOutputAllWays(bytes("Content-Type: a/b\nContent-Length: 7, 7\ncontent-length: 7\n\n"))
        #expect(repeated.head?.contentLength == 7)
        #expect(parseCGIOutputAllWays(bytes("Content-Type: a/b\nContent-Length: 0\n\n")).head?.contentLength == 0)
    }

    @Test func fieldsTheGatewayControlsAreDropped() {
        let output = bytes(
            "Connection: close\nContent-Type: text/plain\nKeep-Alive: timeout=5\ntransfer-encoding: chunked\n"
                + "Upgrade: websocket\nTE: trailers\nTrailer: X-Sum\nPROXY-CONNECTION: keep-alive\nX-Kept: yes\n\n")
        #expect(parseCGIOutputAllWays(output) == .head(document(["Content-Type": "text/plain", "X-Kept": "yes"]), rest: []))
    }

    @Test func emptyValuesCountAsNotSent() {
        // RFC 3875 §6.3: "A NULL field value is equivalent to a field not being sent."
        #expect(parseCGIOutputAllWays(bytes("X-Empty:\nContent-Type: a/b\nX-Blank:   \n\n"))
            == .head(document(["Content-Type": "a/b"]), rest: []))
        #expect(parseCGIOutputAllWays(bytes("Status:\nLocation: \nContent-Type: a/b\n\n"))
            == .head(document(["Content-Type": "a/b"]), rest: []))
        #expect(parseCGIOutputAllWays(bytes("Content-Type:\n\n")) == .failed(.missingContentType))
    }

    // MARK: Redirects

    @Test func aLocalPathWithoutStatusIsALocalRedirect() {
        let expected = CGIResponseHead(kind: .localRedirect(target: "/other/page?x=1&y=%20"), status: .ok,
                                       headers: HTTPHeaders(), contentLength: nil)
        #expect(parseCGIOutputAllWays(bytes("Location: /other/page?x=1&y=%20\n\n")) == .head(expected, rest: []))
        // RFC 3875 §6.2.2: no other field matters, and the body is the caller's to ignore.
        let withOthers = bytes("Content-Type: text/plain\r\nLocation: /other/page?x=1&y=%20\r\nContent-Length: x\r\n\r\nignored")
        #expect(parseCGIOutputAllWays(withOthers) == .head(expected, rest: bytes("ignored")))
    }

    @Test(arguments: ["https://example.com/a?b=c", "//other.example/x", "other.html", "mailto:x@example.com"])
    func anyOtherLocationWithoutStatusIsAClientRedirect(location: String) {
        let outcome = parseCGIOutputAllWays(bytes("Location: \(location)\r\nX-A: b\r\n\r\n"))
        #expect(outcome == .head(document(["Location": location, "X-A": "b"], status: .found), rest: []))
    }

    @Test func withAStatusALocationIsJustAField() {
        let local = parseCGIOutputAllWays(bytes("Status: 301 Moved Permanently\nLocation: /new\n\n"))
        #expect(local == .head(document(["Location": "/new"], status: .movedPermanently), rest: []))
        let seeOther = parseCGIOutputAllWays(bytes("Location: http://a.example/\nStatus: 303\nContent-Type: text/html\n\n<a>"))
        #expect(seeOther.head?.status == HTTPStatus(code: 303, reasonPhrase: "See Other"))
        #expect(seeOther.head?.headers.first("Location") == "http://a.example/")
        #expect(seeOther.head?.kind == .document)
    }

    // MARK: Incremental parsing

    @Test func everyPrefixIsIncompleteAndKeepsOnlyThePartialLine() throws {
        let output = bytes("Status: 200 OK\r\nContent-Type: text/plain\r\nX-Long: " + String(repeating: "v", count: 300) + "\r\n\r\n")
        for length in 0..<output.count {
            var parser = CGIResponseParser()
            var buffer = ByteBuffer(bytes: output[..<length])
            #expect(try parser.parse(&buffer) == nil, "prefix of \(length)")
            let lastLineStart = output[..<length].lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
            #expect(buffer.readableBytes == length - lastLineStart, "prefix of \(length)")
        }
    }

    @Test func theBodyAfterTheHeadIsLeftExactly() throws {
        let body: [UInt8] = [0x00, 0x0A, 0x0D, 0x0A, 0xFF] + bytes("\n\nStatus: 500\n\n")
        #expect(parseCGIOutputAllWays(bytes("Content-Type: application/octet-stream\n\n") + body)
            == .head(document(["Content-Type": "application/octet-stream"]), rest: body))
    }

    @Test func theBufferMayHaveAConsumedPrefix() throws {
        var buffer = ByteBuffer(bytes: [1, 2, 3])
        _ = buffer.readBytes(3)
        buffer.writeBytes(bytes("Content-Type: a/b\nX: "))
        var parser = CGIResponseParser()
        #expect(try parser.parse(&buffer) == nil)
        buffer.writeBytes(bytes("y\n\nbody"))
        #expect(try parser.parse(&buffer) == document(["Content-Type": "a/b", "X": "y"]))
        #expect(buffer.readableBytesArray == bytes("body"))
    }

    // MARK: End of output

    @Test func outputEndingEarlyIsRefused() {
        #expect(parseCGIOutput([]) == .failed(.noHeaderSection))
        #expect(parseCGIOutput([[]]) == .failed(.noHeaderSection))
        #expect(parseCGIOutputAllWays(bytes("Content-Type: text/pl")) == .failed(.truncatedHeaderSection))
        #expect(parseCGIOutputAllWays(bytes("Content-Type: text/plain\n")) == .failed(.truncatedHeaderSection))
        #expect(parseCGIOutputAllWays(bytes("Content-Type: text/plain\r\n\r")) == .failed(.truncatedHeaderSection))
    }

    @Test func afterAnErrorEveryCallThrowsTheSameError() {
        var parser = CGIResponseParser()
        var buffer = ByteBuffer(bytes: bytes("oops\n"))
        let expected = CGIResponseError.malformedLine(excerpt: "\"oops\"")
        #expect(throws: expected) { try parser.parse(&buffer) }
        var valid = ByteBuffer(bytes: bytes("Content-Type: a/b\n\n"))
        #expect(throws: expected) { try parser.parse(&valid) }
        #expect(throws: expected) { try parser.finish() }
    }

    // MARK: Limits

    @Test func aHeaderSectionOfExactlyTheLimitIsAccepted() {
        let parser = CGIResponseParser(maxHeadBytes: 100)
        // "Content-Type: a/b\n" (18) + "X: " + value + "\n" + "\n" = 100
        let value = String(repeating: "v", count: 100 - 18 - 3 - 2)
        let atLimit = bytes("Content-Type: a/b\nX: " + value + "\n\n")
        #expect(atLimit.count == 100)
        #expect(parseCGIOutputAllWays(atLimit + bytes("body"), parser: parser)
            == .head(document(["Content-Type": "a/b", "X": value]), rest: bytes("body")))
        let overLimit = bytes("Content-Type: a/b\nX: " + value + "v\n\n")
        #expect(parseCGIOutputAllWays(overLimit, parser: parser) == .failed(.headerSectionTooLarge(limit: 100)))
        // Refused as soon as the limit is passed, without waiting for a line end.
        #expect(parseCGIOutput([bytes("X: " + String(repeating: "v", count: 98))[...]], parser: parser)
            == .failed(.headerSectionTooLarge(limit: 100)))
    }

    @Test func theDefaultLimitIs32KiB() {
        let output = bytes("Content-Type: a/b\nX: " + String(repeating: "v", count: 40_000) + "\n\n")
        #expect(parseCGIOutput([output[...]]) == .failed(.headerSectionTooLarge(limit: 32768)))
        #expect(CGIResponseError.headerSectionTooLarge(limit: 32768).description == "header section over 32768 bytes")
    }

    @Test func atMostTheLimitOfFieldLines() {
        let lines = (1..<100).map { "X-\($0): v\n" }.joined()
        #expect(parseCGIOutputAllWays(bytes("Content-Type: a/b\n" + lines + "\n")).head?.headers.count == 100)
        #expect(parseCGIOutputAllWays(bytes("Content-Type: a/b\n" + lines + "X-100: v\n\n")) == .failed(.tooManyFields(limit: 100)))
        let small = CGIResponseParser(maxFieldCount: 2)
        #expect(parseCGIOutputAllWays(bytes("A: 1\nB:\nC: 3\n\n"), parser: small) == .failed(.tooManyFields(limit: 2)))
    }

    // MARK: Malformed output

    @Test(arguments: malformedCGIOutputs)
    func malformedOutputIsRefusedWithItsError(_ output: MalformedCGIOutput) {
        #expect(parseCGIOutputAllWays(output.output) == .failed(output.error))
    }

    @Test func errorExcerptsAreEscapedAndCut() {
        #expect(CGIResponseError.excerpt(bytes("plain text")) == "\"plain text\"")
        #expect(CGIResponseError.excerpt([0x1B, 0x5B, 0x0D, 0x00, 0x7F, 0xC3, 0xA9]) == "\"\\x1b[\\x0d\\x00\\x7f\\xc3\\xa9\"")
        #expect(CGIResponseError.excerpt(bytes("say \"hi\" \\ bye")) == "\"say \\\"hi\\\" \\\\ bye\"")
        let long = CGIResponseError.excerpt([UInt8](repeating: 0x61, count: 41))
        #expect(long == "\"" + String(repeating: "a", count: 40) + "\"...")
        let forged = parseCGIOutputAllWays(bytes("oops\rINFO fake log line\n\n"))
        #expect(forged == .failed(.malformedLine(excerpt: "\"oops\\x0dINFO fake log line\"")))
    }

    @Test func descriptionsAreSingleLines() {
        let errors: [CGIResponseError] = [
            .noHeaderSection, .truncatedHeaderSection, .headerSectionTooLarge(limit: 32768), .tooManyFields(limit: 100),
            .malformedLine(excerpt: "\"x\""), .obsoleteLineFolding, .invalidFieldValue(name: "X"),
            .repeatedField(name: "Status"), .invalidStatus(excerpt: "\"1\""), .invalidLocation(excerpt: "\"/ \""),
            .invalidContentLength, .conflictingContentLength, .missingContentType,
        ]
        #expect(Set(errors.map(\.description)).count == errors.count)
        for error in errors {
            #expect(!error.description.isEmpty && !error.description.utf8.contains(0x0A) && !error.description.utf8.contains(0x0D))
        }
        #expect(CGIResponseError.malformedLine(excerpt: "\"x\"").description == "malformed header line: \"x\"")
        #expect(CGIResponseError.invalidStatus(excerpt: "\"1\"").description == "invalid Status: \"1\"")
        #expect(CGIResponseError.missingContentType.description == "missing Content-Type")
    }
}

struct MalformedCGIOutput: Sendable, CustomTestStringConvertible {
    let name: String
    let output: [UInt8]
    let error: CGIResponseError
    var testDescription: String { name }

    init(_ name: String, _ output: [UInt8], _ error: CGIResponseError) {
        self.name = name
        self.output = output
        self.error = error
    }

    init(_ name: String, _ text: String, _ error: CGIResponseError) {
        self.init(name, bytes(text), error)
    }
}

let malformedCGIOutputs: [MalformedCGIOutput] = [
    // the section itself
    .init("body without headers", "\nhello", .noHeaderSection),
    .init("CRLF first", "\r\nContent-Type: a/b\r\n\r\n", .noHeaderSection),
    // line syntax
    .init("text instead of a field", "hello world\n\n", .malformedLine(excerpt: "\"hello world\"")),
    .init("space inside the name", "Content Type: text/plain\n\n", .malformedLine(excerpt: "\"Content Type: text/plain\"")),
    .init("space before the colon", "Content-Type : text/plain\n\n", .malformedLine(excerpt: "\"Content-Type : text/plain\"")),
    .init("empty name", "Content-Type: a/b\n: x\n\n", .malformedLine(excerpt: "\": x\"")),
    .init("non-ASCII name", "Content-Type: a/b\nX-\u{C4}: b\n\n", .malformedLine(excerpt: "\"X-\\xc3\\x84: b\"")),
    .init("HTTP status line", "HTTP/1.1 200 OK\nContent-Type: a/b\n\n", .malformedLine(excerpt: "\"HTTP/1.1 200 OK\"")),
    .init("continuation line", "Content-Type: text/plain\nX: a\n continued\n\n", .obsoleteLineFolding),
    .init("tab first", "\tContent-Type: text/plain\n\n", .obsoleteLineFolding),
    // response splitting
    .init("bare CR in a value", "Content-Type: text/plain\nX: a\rSet-Cookie: evil\n\n", .invalidFieldValue(name: "X")),
    .init("CR CR LF", "Content-Type: text/plain\r\r\n\r\n", .invalidFieldValue(name: "Content-Type")),
    .init("NUL in a value", bytes("Content-Type: text/plain\nX: a") + [0x00] + bytes("b\n\n"), .invalidFieldValue(name: "X")),
    .init("escape in a value", bytes("Content-Type: text/plain\nX: ") + [0x1B] + bytes("[31m\n\n"), .invalidFieldValue(name: "X")),
    .init("DEL in a value", bytes("Content-Type: text/plain\nX: a") + [0x7F] + bytes("\n\n"), .invalidFieldValue(name: "X")),
    // Status
    .init("four digits", "Status: 2000 OK\n\n", .invalidStatus(excerpt: "\"2000 OK\"")),
    .init("two digits", "Status: 20\n\n", .invalidStatus(excerpt: "\"20\"")),
    .init("no digits", "Status: OK\n\n", .invalidStatus(excerpt: "\"OK\"")),
    .init("reason without space", "Status: 200OK\n\n", .invalidStatus(excerpt: "\"200OK\"")),
    .init("negative", "Status: -200\n\n", .invalidStatus(excerpt: "\"-200\"")),
    .init("interim 1xx", "Status: 101 Switching Protocols\n\n", .invalidStatus(excerpt: "\"101 Switching Protocols\"")),
    .init("100 Continue", "Status: 100\n\n", .invalidStatus(excerpt: "\"100\"")),
    .init("below 100", "Status: 099 X\n\n", .invalidStatus(excerpt: "\"099 X\"")),
    .init("600", "Status: 600 X\n\n", .invalidStatus(excerpt: "\"600 X\"")),
    .init("two Status fields", "Status: 200 OK\nContent-Type: a/b\nstatus: 404\n\n", .repeatedField(name: "Status")),
    // Location
    .init("two Location fields", "Location: /a\nLocation: /b\n\n", .repeatedField(name: "Location")),
    .init("space in a local path", "Location: /a b\n\n", .invalidLocation(excerpt: "\"/a b\"")),
    .init("fragment in a local path", "Location: /a#top\n\n", .invalidLocation(excerpt: "\"/a#top\"")),
    .init("non-ASCII local path", "Location: /caf\u{E9}\n\n", .invalidLocation(excerpt: "\"/caf\\xc3\\xa9\"")),
    // Content-Length
    .init("letters in Content-Length", "Content-Type: a/b\nContent-Length: abc\n\n", .invalidContentLength),
    .init("negative Content-Length", "Content-Type: a/b\nContent-Length: -1\n\n", .invalidContentLength),
    .init("overflowing Content-Length", "Content-Type: a/b\nContent-Length: 99999999999999999999\n\n", .invalidContentLength),
    .init("different Content-Length values", "Content-Type: a/b\nContent-Length: 5, 6\n\n", .conflictingContentLength),
    .init("two different Content-Length lines", "Content-Type: a/b\nContent-Length: 5\nContent-Length: 6\n\n", .conflictingContentLength),
    // Content-Type
    .init("document without Content-Type", "X-Powered-By: sh\n\nhello", .missingContentType),
    .init("only hop-by-hop fields", "Connection: close\n\n", .missingContentType),
]
