import Testing
import WSGateTestSupport

/// `--devconsole` over real sockets from the real binary: the page for every path, HEAD and
/// other methods, the escaping of what the request controls, and upgrades still going to the
/// program on the same port.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct DevConsoleTests {
    static let greeter = Executables.packageRoot + "/examples/greeter.sh"

    private func get(_ client: TestClient, _ target: String, method: String = "GET",
                     host: String = "127.0.0.1") throws -> TestClient.HTTPResponse {
        try client.send("\(method) \(target) HTTP/1.1\r\nHost: \(host)\r\n\r\n")
        return try client.readHTTPResponse(toHead: method == "HEAD")
    }

    @Test func everyPathGetsThePageAndIsLogged() throws {
        let gateway = try GatewayProcess(["--devconsole", Self.greeter])
        try gateway.process.waitForOutputLine(containing: "Developer console enabled   : http://127.0.0.1:\(gateway.port)/")
        let client = try gateway.connect()
        for target in ["/", "/any/path?x=1", "/favicon.ico"] {
            let response = try get(client, target)
            #expect(response.status == 200, "\(target)")
            #expect(response.header("Content-Type") == "text/html; charset=utf-8")
            #expect(response.header("Content-Length") == String(response.body.utf8.count))
            #expect(response.header("Last-Modified")?.hasSuffix(" GMT") == true)
            #expect(response.header("Cache-Control") == "no-cache")
            #expect(response.body.contains(#"id="status""#))
            #expect(response.body.contains(#"value="ws://127.0.0.1\#(target)""#))
        }
        try gateway.process.waitForOutputLine(containing: "| url:'http://127.0.0.1/any/path?x=1' | DEVCONSOLE")
    }

    @Test func headAnswersTheSameHeadersWithoutABody() throws {
        let gateway = try GatewayProcess(["--devconsole", Self.greeter])
        let client = try gateway.connect()
        let head = try get(client, "/x", method: "HEAD")
        let page = try get(client, "/x")
        #expect(head.status == 200)
        #expect(head.body.isEmpty)
        #expect(head.header("Content-Length") == page.header("Content-Length"))
        #expect(head.header("Content-Type") == page.header("Content-Type"))
        #expect(page.body.hasPrefix("<!doctype html>"))
    }

    @Test func otherMethodsGet405WithAllow() throws {
        let gateway = try GatewayProcess(["--devconsole", Self.greeter])
        let response = try get(gateway.connect(), "/", method: "POST")
        #expect(response.status == 405)
        #expect(response.header("Allow") == "GET, HEAD")
        try gateway.process.waitForOutputLine(containing: "DEVCONSOLE refused (405): method POST")
    }

    /// websocketd 0.4.1 echoed these into its page unescaped.
    @Test func aHostilePathAndHostAreEscaped() throws {
        let gateway = try GatewayProcess(["--devconsole", Self.greeter])
        let response = try get(gateway.connect(), #"/"><script>alert(1)</script>"#, host: #"<b>"x'</b>"#)
        #expect(response.status == 200)
        #expect(!response.body.contains("alert(1)</script>"))
        #expect(!response.body.contains("<b>"))
        #expect(response.body.contains(
            "value=\"ws://&lt;b&gt;&#34;x&#39;&lt;/b&gt;/&#34;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\""))
    }

    @Test func anUpgradeStillGoesToTheProgram() throws {
        let gateway = try GatewayProcess(["--devconsole", Self.greeter])
        #expect(try get(gateway.connect(), "/chat").status == 200)
        let socket = try gateway.openWebSocket(path: "/chat")
        try socket.send(FrameBytes.text("console"))
        #expect(try socket.readMessage().text == "Hello, console!")
        try gateway.process.waitForOutputLine(containing: "| CONNECT")
    }

    /// With no program, every request is plain HTTP: an upgrade gets the page too.
    @Test func withoutAProgramEveryRequestGetsThePage() throws {
        let gateway = try GatewayProcess(["--devconsole"])
        #expect(try get(gateway.connect(), "/").status == 200)
        let upgrade = try gateway.connect().upgrade(path: "/")
        #expect(upgrade.status == 200)
        #expect(upgrade.header("Content-Type") == "text/html; charset=utf-8")
    }

    @Test(arguments: [["--devconsole", "--staticdir=/tmp", "--echo"], ["--cgidir=/tmp", "--devconsole"]])
    func withStaticdirOrCgidirItExits4(arguments: [String]) throws {
        let process = try ChildProcess(path: Executables.path("wsgate"), arguments: arguments)
        #expect(try process.waitForExit() == 4)
        #expect((process.standardError + process.standardOutput).contains("--devconsole cannot be used together with --staticdir or --cgidir."))
    }
}

