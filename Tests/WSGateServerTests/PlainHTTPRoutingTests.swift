import Testing
import WSGateCore
import WSGateHTTP
@testable import WSGateServer

/// Parses one request head from `text`.
func requestHead(_ text: String) throws -> HTTPRequestHead {
    var parser = HTTPRequestParser()
    var buffer = ByteBuffer(string: text)
    return try #require(try parser.parse(&buffer))
}

/// The pieces of plain-HTTP serving decided without sockets: which service a head goes to,
/// whether the connection stays open after it, where a URL path points inside `--staticdir`,
/// the directory listing's escaping, and the `--maxforks` lease.
@Suite(.timeLimit(.minutes(10))) struct PlainHTTPRoutingTests {
    static let upgrade = "GET /x HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
    static let plain = "GET /x HTTP/1.1\r\nHost: h\r\n\r\n"

    @Test func upgradesGoToTheBackendAndTheRestToThePlainServicesInOrder() throws {
        let both = RequestRouter(hasWebSocketBackend: true, servesStaticFiles: true)
        #expect(both.routes(for: try requestHead(Self.upgrade)) == [.webSocket])
        #expect(both.routes(for: try requestHead(Self.plain)) == [.staticFiles])
        let socketOnly = RequestRouter(hasWebSocketBackend: true, servesStaticFiles: false)
        #expect(socketOnly.routes(for: try requestHead(Self.plain)) == [])
        // Without a WebSocket backend an upgrade is just another request.
        let filesOnly = RequestRouter(hasWebSocketBackend: false, servesStaticFiles: true)
        #expect(filesOnly.routes(for: try requestHead(Self.upgrade)) == [.staticFiles])
        #expect(RequestRouter(hasWebSocketBackend: false, servesStaticFiles: false).routes(for: try requestHead(Self.upgrade)) == [])
    }

    /// websocketd's order: console, CGI, static files; metrics last.
    @Test func cgiComesAfterTheConsoleAndBeforeStaticFilesAndMetrics() throws {
        let cgiAndFiles = RequestRouter(hasWebSocketBackend: true, servesCGI: true, servesStaticFiles: true, metricsPath: "/x")
        #expect(cgiAndFiles.routes(for: try requestHead(Self.plain)) == [.cgi, .staticFiles, .metrics])
        #expect(cgiAndFiles.routes(for: try requestHead(Self.upgrade)) == [.webSocket])
        let console = RequestRouter(hasWebSocketBackend: false, servesDevConsole: true, servesCGI: true, servesStaticFiles: false)
        #expect(console.routes(for: try requestHead(Self.plain)) == [.devConsole, .cgi])
    }

    /// `--health`'s exact path (query ignored, any method) before every service, upgrades too.
    @Test func theHealthPathComesBeforeEveryOtherService() throws {
        let all = RequestRouter(hasWebSocketBackend: true, servesDevConsole: true, servesCGI: true, servesStaticFiles: true,
                                metricsPath: "/health", healthPath: "/health")
        for request in [
            "GET /health HTTP/1.1\r\nHost: h\r\n\r\n",
            "HEAD /health?probe=1 HTTP/1.1\r\nHost: h\r\n\r\n",
            "POST /health HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n",
            "GET /health HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n",
        ] {
            #expect(all.routes(for: try requestHead(request)) == [.health], "\(request)")
        }
        #expect(all.routes(for: try requestHead("GET /health/ HTTP/1.1\r\nHost: h\r\n\r\n")) == [.devConsole, .cgi, .staticFiles])
        #expect(all.routes(for: try requestHead("GET /Health HTTP/1.1\r\nHost: h\r\n\r\n")) == [.devConsole, .cgi, .staticFiles])
        #expect(all.routes(for: try requestHead(Self.upgrade)) == [.webSocket])
        let filesOnly = RequestRouter(hasWebSocketBackend: false, servesStaticFiles: false, healthPath: "/up")
        #expect(filesOnly.routes(for: try requestHead("GET /up HTTP/1.0\r\n\r\n")) == [.health])
        #expect(filesOnly.routes(for: try requestHead(Self.plain)) == [])
    }

    /// The two answers are made once; the state shared by every loop picks one.
    @Test func healthAnswersFollowTheDrainState() throws {
        let drain = DrainState()
        let service = HealthService(path: "/health", drain: drain, extraHeaders: [("X-A", "1")])
        let get = try requestHead("GET /health HTTP/1.1\r\nHost: h\r\n\r\n")
        let ok = service.answer(to: get)
        #expect(ok.status == .ok)
        #expect(ok.body == Array("ok\n".utf8))
        let head = String(decoding: ok.head, as: UTF8.self)
        #expect(head.hasPrefix("HTTP/1.1 200 OK\r\nX-A: 1\r\n"))
        #expect(head.contains("Content-Length: 3\r\n") && head.hasSuffix("\r\n") && !head.hasSuffix("\r\n\r\n"))
        #expect(service.answer(to: try requestHead("POST /health HTTP/1.1\r\nHost: h\r\n\r\n")).status == .methodNotAllowed)
        drain.begin()
        #expect(drain.isDraining)
        let draining = service.answer(to: get)
        #expect(draining.status == .serviceUnavailable)
        #expect(draining.body == Array("draining\n".utf8))
    }

    @Test(arguments: [
        ("GET / HTTP/1.1\r\nHost: h\r\n\r\n", 1, true),
        ("GET / HTTP/1.1\r\nHost: h\r\n\r\n", 100, false),
        ("GET / HTTP/1.1\r\nHost: h\r\nConnection: keep-alive, Close\r\n\r\n", 1, false),
        ("GET / HTTP/1.0\r\n\r\n", 1, false),
        ("GET / HTTP/1.0\r\nConnection: Keep-Alive\r\n\r\n", 1, true),
        ("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\n", 1, false),
        ("GET / HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n", 1, true),
        ("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", 1, false),
    ])
    func keepAliveFollowsTheRequestAndTheLimit(request: String, served: Int, keeps: Bool) throws {
        #expect(KeepAlivePolicy(maxRequests: 100).keepsAlive(after: try requestHead(request), served: served) == keeps)
    }

    @Test func theConnectionHeaderIsSentOnlyWhenItIsNotTheDefault() {
        #expect(KeepAlivePolicy.connectionHeader(keepAlive: true, version: .http1_1) == nil)
        #expect(KeepAlivePolicy.connectionHeader(keepAlive: false, version: .http1_1) == "close")
        #expect(KeepAlivePolicy.connectionHeader(keepAlive: true, version: HTTPVersion(major: 1, minor: 0)) == "keep-alive")
    }

    @Test(arguments: [
        ("/", StaticPath.inside([], endsWithSlash: true)),
        ("/a.txt", .inside(Array("a.txt".utf8), endsWithSlash: false)),
        ("/docs/", .inside(Array("docs".utf8), endsWithSlash: true)),
        ("/a/b/c.html", .inside(Array("a/b/c.html".utf8), endsWithSlash: false)),
        ("/a/b.c/", .inside(Array("a/b.c".utf8), endsWithSlash: true)),
        ("//sub///./x/", .inside(Array("sub/x".utf8), endsWithSlash: true)),
        ("/sub/../a", .inside(Array("a".utf8), endsWithSlash: false)),
        ("/sub/%2e%2e/a", .inside(Array("a".utf8), endsWithSlash: false)),
        ("/a%2Fb", .inside(Array("a/b".utf8), endsWithSlash: false)),
        ("/caf%C3%A9", .inside(Array("café".utf8), endsWithSlash: false)),
        ("/%FF", .inside([0xFF], endsWithSlash: false)),
        ("/a\\..\\b", .inside(Array("a\\..\\b".utf8), endsWithSlash: false)),
        ("/..", .aboveRoot),
        ("/a/../../etc", .aboveRoot),
        ("/%2e%2e%2fetc", .aboveRoot),
        ("/.git/config", .hidden),
        ("/a/.env", .hidden),
        ("/%2eenv", .hidden),
        ("/a/...", .hidden),
        ("/.well-known/acme", .inside(Array(".well-known/acme".utf8), endsWithSlash: false)),
        ("/a%00b", .malformed),
        ("/a%2", .malformed),
        ("/a%zz", .malformed),
    ])
    func urlPathsBecomeCleanRelativePathsOrRefusals(path: String, expected: StaticPath) {
        #expect(StaticPath(urlPath: path) == expected, "\(path)")
    }

    @Test func theListingEscapesNamesSortsThemAndHidesDotfiles() {
        let page = String(decoding: DirectoryListing.html(entries: [
            (Array("z.txt".utf8), false), (Array("<b>&\"'".utf8), false), (Array(".hidden".utf8), false),
            (Array("dir".utf8), true), (Array("java script:x".utf8), false),
        ]), as: UTF8.self)
        #expect(page.contains("<a href=\"%3Cb%3E%26%22%27\">&lt;b&gt;&amp;&#34;&#39;</a>"))
        #expect(page.contains("<a href=\"dir/\">dir/</a>"))
        #expect(page.contains("<a href=\"java%20script%3Ax\">java script:x</a>"))
        #expect(!page.contains("hidden"))
        let order = ["%3Cb", "dir/", "java", "z.txt"].map { page.firstRange(of: $0)!.lowerBound }
        #expect(order == order.sorted())
    }

    @Test func aLeaseGivesItsSlotBackExactlyOnce() throws {
        let slots = SessionSlots(limit: 2)
        do {
            let kept = try #require(slots.acquire())
            var released = try #require(slots.acquire())
            #expect(slots.acquire() == nil)
            released.release()
            released.release()
            #expect(slots.count == 1)
            released = try #require(slots.acquire())  // the released lease is dropped: nothing more given back
            #expect(slots.count == 2)
            withExtendedLifetime((kept, released)) {}
        }
        // Both leases were dropped without a release: their slots are back.
        #expect(slots.count == 0)
    }
}
