import Testing
import WSGateHTTP

// MARK: - Status mapping

@Test(.timeLimit(.minutes(10))) func everyErrorMapsToItsStatus() {
    let expected: [HTTPParseError: Int] = [
        .malformedRequestLine: 400, .invalidMethod: 400, .invalidTarget: 400, .invalidVersion: 400,
        .unsupportedVersion: 505, .malformedHeaderLine: 400, .invalidHeaderName: 400,
        .whitespaceBeforeColon: 400, .invalidHeaderValue: 400, .obsoleteLineFolding: 400,
        .bareLineFeed: 400, .missingHost: 400, .duplicateHost: 400, .invalidContentLength: 400,
        .conflictingContentLength: 400, .contentLengthWithTransferEncoding: 400,
        .invalidTransferEncoding: 400, .headTooLarge: 431, .tooManyHeaders: 431,
        .invalidChunkSize: 400, .invalidChunkExtension: 400, .invalidChunkedBody: 400,
        .chunkLineTooLong: 400, .trailerSectionTooLarge: 431,
    ]
    #expect(Set(HTTPParseError.allCases) == Set(expected.keys))
    for error in HTTPParseError.allCases {
        #expect(error.status.code == expected[error], "\(error)")
    }
    #expect(HTTPParseError.headTooLarge.status == .requestHeaderFieldsTooLarge)
    #expect(HTTPParseError.unsupportedVersion.status == .httpVersionNotSupported)
    #expect(HTTPParseError.bareLineFeed.status == .badRequest)
    #expect(HTTPParseError.trailerSectionTooLarge.status == .requestHeaderFieldsTooLarge)
}

@Test(.timeLimit(.minutes(10))) func descriptionsAreShortDistinctAndSingleLine() {
    let descriptions = HTTPParseError.allCases.map(\.description)
    #expect(Set(descriptions).count == HTTPParseError.allCases.count)
    for text in descriptions {
        #expect(!text.isEmpty && text.utf8.count <= 60)
        #expect(!text.utf8.contains(0x0A) && !text.utf8.contains(0x0D))
    }
    #expect(HTTPParseError.headTooLarge.description == "request head too large")
}

// MARK: - Malformed requests, each with the error it must produce

struct MalformedRequest: Sendable, CustomTestStringConvertible {
    let name: String
    let input: [UInt8]
    let error: HTTPParseError
    var testDescription: String { name }

    init(_ name: String, _ input: [UInt8], _ error: HTTPParseError) {
        self.name = name
        self.input = input
        self.error = error
    }

    init(_ name: String, _ text: String, _ error: HTTPParseError) {
        self.init(name, bytes(text), error)
    }

    /// A request whose request-line is `line`, with a valid Host.
    init(_ name: String, requestLine line: [UInt8], _ error: HTTPParseError) {
        self.init(name, line + bytes("\r\nHost: a\r\n\r\n"), error)
    }

    /// A valid HTTP/1.1 request-line followed by `fields` (each including its CRLF).
    init(_ name: String, fields: [UInt8], _ error: HTTPParseError) {
        self.init(name, bytes("GET / HTTP/1.1\r\n") + fields + bytes("\r\n"), error)
    }
}

let malformedRequests: [MalformedRequest] = [
    // request-line shape
    .init("double space", requestLine: bytes("GET  / HTTP/1.1"), .malformedRequestLine),
    .init("trailing space", requestLine: bytes("GET / HTTP/1.1 "), .malformedRequestLine),
    .init("leading space", requestLine: bytes(" GET / HTTP/1.1"), .malformedRequestLine),
    .init("HTTP/0.9 without version", requestLine: bytes("GET /"), .malformedRequestLine),
    .init("space inside target", requestLine: bytes("GET /a b HTTP/1.1"), .malformedRequestLine),
    .init("tab as separator", requestLine: bytes("GET\t/ HTTP/1.1"), .malformedRequestLine),
    .init("three empty lines first", bytes("\r\n\r\n\r\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"), .malformedRequestLine),
    // method
    .init("method with parenthesis", requestLine: bytes("G(T / HTTP/1.1"), .invalidMethod),
    .init("method with non-ASCII", requestLine: bytes("G\u{C9}T / HTTP/1.1"), .invalidMethod),
    .init("response status line", requestLine: bytes("HTTP/1.1 200 OK"), .invalidMethod),
    // request-target
    .init("asterisk-form", requestLine: bytes("OPTIONS * HTTP/1.1"), .invalidTarget),
    .init("authority-form", requestLine: bytes("CONNECT example.com:443 HTTP/1.1"), .invalidTarget),
    .init("raw UTF-8 in target", requestLine: bytes("GET /caf\u{E9} HTTP/1.1"), .invalidTarget),
    .init("NUL in target", requestLine: bytes("GET /a") + [0x00] + bytes("b HTTP/1.1"), .invalidTarget),
    .init("DEL in target", requestLine: bytes("GET /a") + [0x7F] + bytes(" HTTP/1.1"), .invalidTarget),
    .init("fragment in target", requestLine: bytes("GET /a#top HTTP/1.1"), .invalidTarget),
    .init("ftp scheme", requestLine: bytes("GET ftp://host/ HTTP/1.1"), .invalidTarget),
    .init("userinfo in authority", requestLine: bytes("GET http://user@host/ HTTP/1.1"), .invalidTarget),
    .init("empty authority", requestLine: bytes("GET http:/// HTTP/1.1"), .invalidTarget),
    .init("relative target", requestLine: bytes("GET chat HTTP/1.1"), .invalidTarget),
    // version
    .init("two-digit minor", requestLine: bytes("GET / HTTP/1.10"), .invalidVersion),
    .init("lowercase http", requestLine: bytes("GET / http/1.1"), .invalidVersion),
    .init("no minor", requestLine: bytes("GET / HTTP/1"), .invalidVersion),
    .init("CR before CRLF", requestLine: bytes("GET / HTTP/1.1\r"), .invalidVersion),
    .init("HTTP/2.0", requestLine: bytes("GET / HTTP/2.0"), .unsupportedVersion),
    .init("HTTP/0.9 with version", requestLine: bytes("GET / HTTP/0.9"), .unsupportedVersion),
    .init("HTTP/1.2", requestLine: bytes("GET / HTTP/1.2"), .unsupportedVersion),
    // field lines
    .init("no colon", fields: bytes("Host a\r\n"), .malformedHeaderLine),
    .init("empty name", fields: bytes("Host: a\r\n: b\r\n"), .invalidHeaderName),
    .init("space inside name", fields: bytes("Ho st: a\r\n"), .invalidHeaderName),
    .init("non-ASCII name", fields: bytes("Host: a\r\nX-\u{C4}: b\r\n"), .invalidHeaderName),
    .init("space before colon", fields: bytes("Host : a\r\n"), .whitespaceBeforeColon),
    .init("tab before colon", fields: bytes("Host\t: a\r\n"), .whitespaceBeforeColon),
    .init("NUL in value", fields: bytes("Host: a\r\nX: a") + [0x00] + bytes("b\r\n"), .invalidHeaderValue),
    .init("bare CR in value", fields: bytes("Host: a\r\nX: a\rb\r\n"), .invalidHeaderValue),
    .init("DEL in value", fields: bytes("Host: a\r\nX: a") + [0x7F] + bytes("\r\n"), .invalidHeaderValue),
    .init("escape in value", fields: bytes("Host: a\r\nX: ") + [0x1B] + bytes("[31m\r\n"), .invalidHeaderValue),
    .init("CR CR LF", fields: bytes("Host: a\r\nX: a\r\r\n"), .invalidHeaderValue),
    .init("obs-fold with space", fields: bytes("Host: a\r\nX: a\r\n b\r\n"), .obsoleteLineFolding),
    .init("whitespace after request-line", fields: bytes("\tHost: a\r\n"), .obsoleteLineFolding),
    // line endings
    .init("bare LF after request-line", bytes("GET / HTTP/1.1\nHost: a\r\n\r\n"), .bareLineFeed),
    .init("bare LF after field", bytes("GET / HTTP/1.1\r\nHost: a\n\r\n"), .bareLineFeed),
    .init("bare LF as final line", bytes("GET / HTTP/1.1\r\nHost: a\r\n\n"), .bareLineFeed),
    .init("bare LF before request-line", bytes("\nGET / HTTP/1.1\r\nHost: a\r\n\r\n"), .bareLineFeed),
    .init("LF-only request", bytes("GET / HTTP/1.1\nHost: a\n\n"), .bareLineFeed),
    // Host
    .init("HTTP/1.1 without Host", fields: bytes("X: a\r\n"), .missingHost),
    .init("two Host lines", fields: bytes("Host: a\r\nhost: b\r\n"), .duplicateHost),
    .init("two Host lines in HTTP/1.0", bytes("GET / HTTP/1.0\r\nHost: a\r\nHost: a\r\n\r\n"), .duplicateHost),
    // framing
    .init("letters in Content-Length", fields: bytes("Host: a\r\nContent-Length: abc\r\n"), .invalidContentLength),
    .init("signed Content-Length", fields: bytes("Host: a\r\nContent-Length: +5\r\n"), .invalidContentLength),
    .init("negative Content-Length", fields: bytes("Host: a\r\nContent-Length: -1\r\n"), .invalidContentLength),
    .init("empty Content-Length", fields: bytes("Host: a\r\nContent-Length:\r\n"), .invalidContentLength),
    .init("empty list element in Content-Length", fields: bytes("Host: a\r\nContent-Length: 5,\r\n"), .invalidContentLength),
    .init("overflowing Content-Length", fields: bytes("Host: a\r\nContent-Length: 99999999999999999999\r\n"), .invalidContentLength),
    .init("two different Content-Length lines", fields: bytes("Host: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n"), .conflictingContentLength),
    .init("different Content-Length list", fields: bytes("Host: a\r\nContent-Length: 5, 6\r\n"), .conflictingContentLength),
    .init("Transfer-Encoding and Content-Length", fields: bytes("Host: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n"), .contentLengthWithTransferEncoding),
    .init("Content-Length and Transfer-Encoding", fields: bytes("Host: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n"), .contentLengthWithTransferEncoding),
    .init("Transfer-Encoding not ending in chunked", fields: bytes("Host: a\r\nTransfer-Encoding: chunked, gzip\r\n"), .invalidTransferEncoding),
    .init("Transfer-Encoding without chunked", fields: bytes("Host: a\r\nTransfer-Encoding: gzip\r\n"), .invalidTransferEncoding),
    .init("chunked twice", fields: bytes("Host: a\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n"), .invalidTransferEncoding),
    .init("empty Transfer-Encoding", fields: bytes("Host: a\r\nTransfer-Encoding: \r\n"), .invalidTransferEncoding),
    .init("Transfer-Encoding in HTTP/1.0", bytes("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n"), .invalidTransferEncoding),
]

@Test(.timeLimit(.minutes(10)), arguments: malformedRequests)
func malformedRequestIsRefusedWithItsError(_ request: MalformedRequest) {
    #expect(feedAllWays(request.input) == .failed(request.error))
}

/// The head's grammar errors; the chunked body's own errors are covered by
/// `ChunkedBodyDecoderTests.theMalformedTableCoversEveryBodyError`.
@Test(.timeLimit(.minutes(10))) func theMalformedTableCoversEveryGrammarError() {
    let covered = Set(malformedRequests.map(\.error))
    let sizeLimits: Set<HTTPParseError> = [.headTooLarge, .tooManyHeaders]
    let bodyErrors: Set<HTTPParseError> = [
        .invalidChunkSize, .invalidChunkExtension, .invalidChunkedBody, .chunkLineTooLong, .trailerSectionTooLarge,
    ]
    #expect(covered.union(sizeLimits).union(bodyErrors) == Set(HTTPParseError.allCases))
    #expect(malformedRequests.count >= 25)
}
