import Testing
import WSGateHTTP

@Test(.timeLimit(.minutes(10))) func namedStatusesHaveTheirRFCCodesAndPhrases() {
    let expected: [(HTTPStatus, Int, String)] = [
        (.switchingProtocols, 101, "Switching Protocols"),
        (.ok, 200, "OK"),
        (.partialContent, 206, "Partial Content"),
        (.movedPermanently, 301, "Moved Permanently"),
        (.notModified, 304, "Not Modified"),
        (.badRequest, 400, "Bad Request"),
        (.forbidden, 403, "Forbidden"),
        (.notFound, 404, "Not Found"),
        (.methodNotAllowed, 405, "Method Not Allowed"),
        (.preconditionFailed, 412, "Precondition Failed"),
        (.rangeNotSatisfiable, 416, "Range Not Satisfiable"),
        (.upgradeRequired, 426, "Upgrade Required"),
        (.tooManyRequests, 429, "Too Many Requests"),
        (.requestHeaderFieldsTooLarge, 431, "Request Header Fields Too Large"),
        (.internalServerError, 500, "Internal Server Error"),
        (.badGateway, 502, "Bad Gateway"),
        (.serviceUnavailable, 503, "Service Unavailable"),
        (.httpVersionNotSupported, 505, "HTTP Version Not Supported"),
    ]
    for (status, code, phrase) in expected {
        #expect(status.code == code)
        #expect(status.reasonPhrase == phrase)
    }
    #expect(Set(expected.map(\.1)).count == expected.count)
}

@Test(.timeLimit(.minutes(10))) func statusDescriptionAndEquality() {
    #expect(HTTPStatus.notFound.description == "404 Not Found")
    #expect(HTTPStatus(code: 404, reasonPhrase: "Not Found") == .notFound)
    #expect(HTTPStatus(code: 404, reasonPhrase: "Nope") != .notFound)
}
