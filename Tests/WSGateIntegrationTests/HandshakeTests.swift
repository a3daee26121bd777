import Testing
import WSGateTestSupport
import WSGateWebSocket

/// What a client sees when its upgrade request is wrong: the status the README's "Handshake
/// answers" names, and the connection closed afterwards.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct HandshakeTests {
    @Test func theRFCSampleKeyGetsTheRFCAcceptValue() throws {
        let gateway = try GatewayProcess(["--echo"])
        let client = try gateway.connect()
        let response = try client.upgrade()
        #expect(response.status == 101)
        #expect(response.header("Sec-WebSocket-Accept") == "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
        #expect(response.header("Upgrade")?.lowercased() == "websocket")
    }

    @Test func aWrongVersionGets426WithTheSupportedVersion() throws {
        let gateway = try GatewayProcess(["--echo"])
        let client = try gateway.connect()
        try client.send("GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 8\r\n\r\n")
        let response = try client.readHTTPResponse()
        #expect(response.status == 426)
        #expect(response.header("Sec-WebSocket-Version") == "13")
        #expect(try client.waitForEOF())
    }

    @Test(arguments: [
        ("no key", "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n"),
        ("short key", "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: AAAA\r\nSec-WebSocket-Version: 13\r\n\r\n"),
        ("no Connection: Upgrade", "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"),
        ("POST", "POST / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nContent-Length: 0\r\n\r\n"),
        ("malformed request line", "GET /  HTTP/1.1\r\nHost: x\r\n\r\n"),
        ("bare line feeds", "GET / HTTP/1.1\nHost: x\n\n"),
        ("obsolete line folding", "GET / HTTP/1.1\r\nHost: x\r\n folded\r\n\r\n"),
    ])
    func malformedUpgradesGet400(name: String, request: String) throws {
        let gateway = try GatewayProcess(["--echo"])
        let client = try gateway.connect()
        try client.send(request)
        let response = try client.readHTTPResponse()
        #expect(response.status == 400, "\(name)")
        #expect(try client.waitForEOF())
    }

    /// The bytes after an upgrade's head are frames: a body announced in the head would be
    /// read as frames, so such a request is refused; `Content-Length: 0` is no body.
    @Test func anUpgradeWithABodyGets400() throws {
        let gateway = try GatewayProcess(["--echo"])
        let head = "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        for body in ["Content-Length: 5\r\n\r\nhello", "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"] {
            let client = try gateway.connect()
            try client.send(head + body)
            #expect(try client.readHTTPResponse().status == 400, "\(body)")
            #expect(try client.waitForEOF())
        }
        try gateway.process.waitForOutputLines(containing: "Unable to Upgrade: the request has a body", count: 2)
        #expect(try gateway.connect().upgrade(headers: [("Content-Length", "0")]).status == 101)
    }

    @Test func aHeadOver16KiBGets431() throws {
        let gateway = try GatewayProcess(["--echo"])
        let client = try gateway.connect()
        try client.send("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + String(repeating: "a", count: 17 * 1024) + "\r\n\r\n")
        let response = try client.readHTTPResponse()
        #expect(response.status == 431)
    }

    @Test func aPlainHTTPRequestGets404LikeWebsocketd() throws {
        let gateway = try GatewayProcess(["--echo", "--header=X-All: 1", "--header-http=X-Http: 2", "--header-ws=X-Ws: 3"])
        let client = try gateway.connect()
        try client.send("GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n")
        let response = try client.readHTTPResponse()
        #expect(response.status == 404)
        #expect(response.body == "404 page not found\n")
        #expect(response.header("X-All") == "1")
        #expect(response.header("X-Http") == "2")
        #expect(response.header("X-Ws") == nil)
    }

    @Test func headerFlagsReachThe101() throws {
        let gateway = try GatewayProcess(["--echo", "--header=X-All: 1", "--header-http=X-Http: 2", "--header-ws=X-Ws: 3"])
        let client = try gateway.connect()
        let response = try client.upgrade()
        #expect(response.status == 101)
        #expect(response.header("X-All") == "1")
        #expect(response.header("X-Ws") == "3")
        #expect(response.header("X-Http") == nil)
    }

    /// websocketd #147: a browser page that offers subprotocols must get one back, or the
    /// browser fails the handshake. Default: `binary` if offered, else the first offer.
    @Test(arguments: [
        ([] as [String], "chat, binary", "binary"),
        ([], "chat, superchat", "chat"),
        (["--subprotocol=superchat,other"], "chat, superchat", "superchat"),
    ])
    func subprotocolSelection(flags: [String], offers: String, expected: String) throws {
        let gateway = try GatewayProcess(["--echo"] + flags)
        let client = try gateway.connect()
        let response = try client.upgrade(headers: [("Sec-WebSocket-Protocol", offers)])
        #expect(response.header("Sec-WebSocket-Protocol") == expected)
    }

    @Test func noMatchingSubprotocolMeansNoHeader() throws {
        let gateway = try GatewayProcess(["--echo", "--subprotocol=mqtt"])
        let client = try gateway.connect()
        let response = try client.upgrade(headers: [("Sec-WebSocket-Protocol", "chat")])
        #expect(response.status == 101)
        #expect(response.header("Sec-WebSocket-Protocol") == nil)
    }

    @Test func maxforksRefusesTheNextSessionWith429() throws {
        let gateway = try GatewayProcess(["--echo", "--maxforks=1"])
        let first = try gateway.openWebSocket()
        let second = try gateway.connect()
        #expect(try second.upgrade().status == 429)
        try gateway.process.waitForOutputLine(containing: "Max of possible forks already active")
        // The slot comes back when the first session ends.
        try first.send(FrameBytes.close(code: 1000))
        _ = try first.readFrame()
        #expect(try first.waitForEOF())
        try gateway.process.waitForOutputLine(containing: "DISCONNECT")
        let third = try gateway.connect()
        #expect(try third.upgrade().status == 101)
    }
}
