import Testing
import WSGateCore
import WSGateHTTP
@testable import WSGateServer

/// `--devconsole` without sockets: the escaping of what the request controls, the page's
/// elements and self-containment, the answers to each method, and the console's place first
/// among the plain-HTTP services.
@Suite(.timeLimit(.minutes(10))) struct DevConsolePageTests {
    static let service = DevConsoleService(startedAt: 1_800_000_000)
    static let now = 1_800_000_100

    private func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }

    private func body(_ response: PlainHTTPResponse) -> String {
        guard case .bytes(let bytes) = response.body else { return "" }
        return text(bytes)
    }

    /// The prefilled URL as it stands in the page, between `value="` and the next `"`.
    private func urlAttribute(_ page: String) throws -> Substring {
        let start = try #require(page.firstRange(of: #"id="url""#)?.upperBound)
        let value = try #require(page[start...].firstRange(of: #"value=""#)?.upperBound)
        return page[value...].prefix { $0 != "\"" }
    }

    @Test(arguments: [
        (#""><script>alert(1)</script>"#, "&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("' onmouseover='alert(1)", "&#39; onmouseover=&#39;alert(1)"),
        ("a&amp;b", "a&amp;amp;b"),
        ("</textarea><img src=x onerror=alert(1)>", "&lt;/textarea&gt;&lt;img src=x onerror=alert(1)&gt;"),
        ("café ✓ plain/path?x=1", "café ✓ plain/path?x=1"),
        ("", ""),
    ])
    func escapingLeavesNoMarkupCharacter(input: String, expected: String) {
        let escaped = HTMLText.escaped(input)
        #expect(escaped == expected)
        #expect(!escaped.contains { "<>\"'".contains($0) })
        #expect(text(HTMLText.escaped(Array(input.utf8))) == expected)
    }

    @Test(arguments: [
        #"ws://127.0.0.1:8080/"><script>alert(1)</script>"#,
        #"ws://"><svg onload=alert(1)>/x?a=1&b='2'"#,
        "ws://h/</script><script>alert(1)</script>",
    ])
    func aHostileURLStaysInsideItsAttribute(url: String) throws {
        let page = text(DevConsolePage.html(prefilledURL: url))
        let attribute = try urlAttribute(page)
        #expect(attribute == HTMLText.escaped(url))
        #expect(!attribute.contains { "<>'".contains($0) })
        #expect(!page.contains("alert(1)</script>"))
        #expect(!page.contains("<svg"))
        // The page's own script is the only one.
        #expect(page.ranges(of: "<script").count == 1)
    }

    @Test func thePageHasTheElementsATestDrives() {
        let page = text(DevConsolePage.html(prefilledURL: "ws://h/"))
        for id in ["url", "reconnect", "close", "status", "log", "send-form", "message", "hex", "send", "clear"] {
            #expect(page.ranges(of: "id=\"\(id)\"").count == 1, "#\(id)")
        }
        #expect(page.hasPrefix("<!doctype html>"))
        #expect(page.contains(#"<meta charset="utf-8">"#))
    }

    /// Nothing is fetched, and received text can never become markup.
    @Test func thePageIsSelfContainedAndWritesTextOnly() {
        let page = text(DevConsolePage.html(prefilledURL: "ws://h/"))
        for external in ["src=", "http://", "https://", "@import", "url("] {
            #expect(!page.contains(external), "\(external)")
        }
        let script = DevConsoleScript.source
        for unsafe in ["innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "</"] {
            #expect(!script.contains(unsafe), "\(unsafe)")
        }
        #expect(script.contains("textContent = text"))
        #expect(script.contains("location.host + location.pathname + location.search"))
    }

    @Test func getServesThePageWithItsHeaders() throws {
        let response = Self.service.respond(to: try requestHead("GET /chat?room=1 HTTP/1.1\r\nHost: example.org:8080\r\n\r\n"),
                                            extraHeaders: [("X-Extra", "1")], now: Self.now)
        let headers = response.head.headers
        let page = body(response)
        #expect(response.head.status == .ok)
        #expect(headers.first("Content-Type") == "text/html; charset=utf-8")
        #expect(headers.first("Content-Length") == String(page.utf8.count))
        #expect(headers.first("Last-Modified") == HTTPDate(unixSeconds: 1_800_000_000).imfFixdate)
        #expect(headers.first("Date") == HTTPDate(unixSeconds: Self.now).imfFixdate)
        #expect(headers.first("Cache-Control") == "no-cache")
        #expect(headers.first("Content-Security-Policy")?.hasPrefix("default-src 'none'") == true)
        #expect(headers.first("X-Extra") == "1")
        #expect(response.logMessage == "DEVCONSOLE")
        #expect(!response.isNotFound)
        #expect(try urlAttribute(page) == "ws://example.org:8080/chat?room=1")
    }

    @Test func headGetsTheSameHeadersWithoutABody() throws {
        let get = Self.service.respond(to: try requestHead("GET /x HTTP/1.1\r\nHost: h\r\n\r\n"), extraHeaders: [], now: Self.now)
        let head = Self.service.respond(to: try requestHead("HEAD /x HTTP/1.1\r\nHost: h\r\n\r\n"), extraHeaders: [], now: Self.now)
        #expect(head.head == get.head)
        guard case .none = head.body else {
            Issue.record("HEAD got a body")
            return
        }
    }

    @Test(arguments: ["POST", "PUT", "DELETE", "OPTIONS"])
    func otherMethodsGet405(method: String) throws {
        let response = Self.service.respond(to: try requestHead("\(method) / HTTP/1.1\r\nHost: h\r\n\r\n"),
                                            extraHeaders: [], now: Self.now)
        #expect(response.head.status == .methodNotAllowed)
        #expect(response.head.headers.first("Allow") == "GET, HEAD")
        #expect(response.head.headers.first("Content-Type") == "text/plain; charset=utf-8")
        #expect(body(response) == "405 Method Not Allowed\n")
        #expect(response.logMessage == "DEVCONSOLE refused (405): method \(method)")
    }

    @Test func lastModifiedIsNeverInTheFuture() throws {
        let response = DevConsoleService(startedAt: Self.now + 60)
            .respond(to: try requestHead("GET / HTTP/1.1\r\nHost: h\r\n\r\n"), extraHeaders: [], now: Self.now)
        #expect(response.head.headers.first("Last-Modified") == HTTPDate(unixSeconds: Self.now).imfFixdate)
    }

    @Test(arguments: [
        ("GET /a/b?x=1&y HTTP/1.1\r\nHost: h:1\r\n\r\n", "ws://h:1/a/b?x=1&y"),
        ("GET / HTTP/1.0\r\n\r\n", "ws:///"),
        ("GET http://other:9/p?q HTTP/1.1\r\nHost: h\r\n\r\n", "ws://other:9/p?q"),
        ("GET /\"><script> HTTP/1.1\r\nHost: <b>\r\n\r\n", "ws://<b>/\"><script>"),
    ])
    func theSocketURLIsTheRequestsOwn(request: String, url: String) throws {
        #expect(DevConsoleService.webSocketURL(for: try requestHead(request)) == url)
    }

    @Test func theConsoleComesFirstAndUpgradesStillGoToTheBackend() throws {
        let router = RequestRouter(hasWebSocketBackend: true, servesDevConsole: true, servesStaticFiles: false)
        #expect(router.routes(for: try requestHead(PlainHTTPRoutingTests.plain)) == [.devConsole])
        #expect(router.routes(for: try requestHead(PlainHTTPRoutingTests.upgrade)) == [.webSocket])
        // --devconsole and --staticdir together are refused (exit 4), but the order holds.
        let both = RequestRouter(hasWebSocketBackend: true, servesDevConsole: true, servesStaticFiles: true)
        #expect(both.routes(for: try requestHead(PlainHTTPRoutingTests.plain)) == [.devConsole, .staticFiles])
        // Without a WebSocket backend an upgrade is just another request: it gets the page.
        let alone = RequestRouter(hasWebSocketBackend: false, servesDevConsole: true, servesStaticFiles: false)
        #expect(alone.routes(for: try requestHead(PlainHTTPRoutingTests.upgrade)) == [.devConsole])
    }
}
