import Testing
import WSGateHTTP
@testable import WSGateServer

/// `--redirport`'s Location: the request's host, our port, the path and query kept.
@Suite(.timeLimit(.minutes(10))) struct RedirectServiceTests {
    let https = RedirectService(scheme: "https", port: 8443)

    private func location(_ service: RedirectService, _ request: String) throws -> String {
        service.location(for: try requestHead(request), localHost: { "192.0.2.1" })
    }

    @Test func theHostsPortIsReplacedAndThePathAndQueryKept() throws {
        #expect(try location(https, "GET /app/x?a=1&b=%20 HTTP/1.1\r\nHost: example.com:8080\r\n\r\n")
            == "https://example.com:8443/app/x?a=1&b=%20")
    }

    /// websocketd 0.4.1 panics on this one.
    @Test func aHostWithoutAPortWorks() throws {
        #expect(try location(https, "GET / HTTP/1.1\r\nHost: example.com\r\n\r\n") == "https://example.com:8443/")
    }

    @Test func theSchemesDefaultPortIsLeftOut() throws {
        let standard = RedirectService(scheme: "https", port: 443)
        #expect(try location(standard, "GET /p HTTP/1.1\r\nHost: example.com:80\r\n\r\n") == "https://example.com/p")
        let plain = RedirectService(scheme: "http", port: 80)
        #expect(try location(plain, "GET /p HTTP/1.1\r\nHost: example.com:8080\r\n\r\n") == "http://example.com/p")
    }

    @Test func anIPv6HostKeepsItsBrackets() throws {
        #expect(try location(https, "GET /a HTTP/1.1\r\nHost: [::1]:8080\r\n\r\n") == "https://[::1]:8443/a")
        #expect(try location(https, "GET /a HTTP/1.1\r\nHost: [::1]\r\n\r\n") == "https://[::1]:8443/a")
    }

    @Test func anAbsoluteFormTargetsAuthorityWins() throws {
        #expect(try location(https, "GET http://other.example:81/z?q HTTP/1.1\r\nHost: example.com\r\n\r\n")
            == "https://other.example:8443/z?q")
    }

    @Test func noUsableHostNamesThisServer() throws {
        #expect(try location(https, "GET /a HTTP/1.0\r\n\r\n") == "https://192.0.2.1:8443/a")
        #expect(try location(https, "GET /a HTTP/1.1\r\nHost: a\"b<c>\r\n\r\n") == "https://192.0.2.1:8443/a")
        let v6 = https.location(for: try requestHead("GET / HTTP/1.0\r\n\r\n"), localHost: { "::1" })
        #expect(v6 == "https://[::1]:8443/")
    }

    @Test func theAnswerIsA301WithALinkAndNoBodyForHead() throws {
        let get = https.respond(to: try requestHead("GET /a?b HTTP/1.1\r\nHost: h\r\n\r\n"), localHost: { "x" },
                                extraHeaders: [("X-Extra", "1")], date: "Thu, 01 Jan 1970 00:00:00 GMT")
        #expect(get.head.status.code == 301)
        #expect(get.head.headers.first("Location") == "https://h:8443/a?b")
        #expect(get.head.headers.first("X-Extra") == "1")
        guard case .bytes(let body) = get.body else { Issue.record("no body"); return }
        #expect(String(decoding: body, as: UTF8.self) == "<a href=\"https://h:8443/a?b\">Moved Permanently</a>.\n\n")
        #expect(get.head.headers.first("Content-Length") == String(body.count))
        let head = https.respond(to: try requestHead("HEAD / HTTP/1.1\r\nHost: h\r\n\r\n"), localHost: { "x" },
                                 extraHeaders: [], date: "")
        guard case .none = head.body else { Issue.record("HEAD got a body"); return }
    }
}
