import Glibc
import Testing
import WSGateTestSupport

/// `--health`, `--drain-delay` and `--drain-timeout` over real sockets from the real binary:
/// what a load balancer's check sees before and after SIGTERM, that the gateway keeps
/// accepting during the delay, and that the drain ends (1001, exit 0) after it. Every wait is
/// on an event: a log line, a response, a frame or the exit.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct HealthAndDrainTests {
    private func get(_ client: TestClient, _ target: String, method: String = "GET") throws -> TestClient.HTTPResponse {
        try client.send("\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        return try client.readHTTPResponse(toHead: method == "HEAD")
    }

    @Test func healthAnswersGetAndHeadWithQueryOnAKeptAliveConnectionAndRefusesOtherMethods() throws {
        let gateway = try GatewayProcess(["--echo", "--health=/health", "--header-http=X-Test: 1"])
        try gateway.process.waitForOutputLine(containing: "Serving health check        : /health")
        let client = try gateway.connect()
        let ok = try get(client, "/health")
        #expect(ok.status == 200)
        #expect(ok.body == "ok\n")
        #expect(ok.header("Content-Type") == "text/plain; charset=utf-8")
        #expect(ok.header("Cache-Control") == "no-store")
        #expect(ok.header("X-Test") == "1")
        #expect(ok.header("Date") != nil)
        // Same connection: kept alive like the other plain-HTTP answers.
        let head = try get(client, "/health?from=balancer", method: "HEAD")
        #expect(head.status == 200)
        #expect(head.header("Content-Length") == "3")
        #expect(head.body.isEmpty)
        try client.send("POST /health HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n")
        let post = try client.readHTTPResponse()
        #expect(post.status == 405)
        #expect(post.header("Allow") == "GET, HEAD")
        // A neighbouring path is not the health check.
        #expect(try get(client, "/health/").status == 404)
    }

    @Test func healthComesBeforeAStaticFileOfTheSameNameAndBeforeAnUpgrade() throws {
        let root = try TemporaryFiles.directory("health-static")
        defer { TemporaryFiles.removeDirectory(root) }
        try TemporaryFiles.write("a file\n", to: root + "/health", mode: 0o644)
        try TemporaryFiles.write("other\n", to: root + "/other", mode: 0o644)
        let gateway = try GatewayProcess(["--echo", "--staticdir=\(root)", "--health=/health"])
        let client = try gateway.connect()
        #expect(try get(client, "/health").body == "ok\n")
        #expect(try get(client, "/other").body == "other\n")
        let upgrade = try gateway.connect().upgrade(path: "/health")
        #expect(upgrade.status == 200)
        #expect(upgrade.body == "ok\n")
    }

    /// A check every second must not flood the access log: it is logged at debug level only.
    @Test func healthIsNotLoggedAtAccessLevel() throws {
        let gateway = try GatewayProcess(["--echo", "--health=/health"])
        let client = try gateway.connect()
        #expect(try get(client, "/health").status == 200)
        #expect(try get(client, "/after-health").status == 404)
        try gateway.process.waitForOutputLine(containing: "/after-health")
        let log = gateway.process.standardOutput + gateway.process.standardError
        #expect(!log.contains("/health'"), "\(log)")

        let debug = try GatewayProcess(["--echo", "--health=/health", "--loglevel=debug"])
        #expect(try get(try debug.connect(), "/health").status == 200)
        try debug.process.waitForOutputLine(containing: "url:'http://127.0.0.1/health' | HEALTH 200")
    }

    @Test func healthIsAnsweredWhileTheOnlyMaxforksSlotIsHeld() throws {
        let gateway = try GatewayProcess(["--echo", "--maxforks=1", "--health=/health"])
        let session = try gateway.openWebSocket()
        #expect(try gateway.connect().upgrade().status == 429)
        #expect(try get(try gateway.connect(), "/health").status == 200)
        try session.send(FrameBytes.text("still here"))
        #expect(try session.readMessage().text == "still here")
    }

    /// During `--drain-delay` the check says 503 while everything else goes on: new sessions
    /// are accepted and echo, open ones too; a second SIGTERM exits at once.
    @Test func duringTheDrainDelayHealthIs503AndTheGatewayKeepsAccepting() throws {
        let gateway = try GatewayProcess(["--echo", "--health=/health", "--drain-delay=60000"])
        let open = try gateway.openWebSocket()
        let checker = try gateway.connect()
        #expect(try get(checker, "/health").status == 200)
        gateway.process.send(signal: SIGTERM)
        try gateway.process.waitForOutputLine(
            containing: "Received SIGTERM: reporting 503 on /health for 60000 ms, then closing every connection")
        let draining = try get(checker, "/health")
        #expect(draining.status == 503)
        #expect(draining.body == "draining\n")
        #expect(try get(try gateway.connect(), "/health", method: "HEAD").status == 503)
        let late = try gateway.openWebSocket()
        try late.send(FrameBytes.text("accepted after SIGTERM"))
        #expect(try late.readMessage().text == "accepted after SIGTERM")
        try open.send(FrameBytes.text("open before SIGTERM"))
        #expect(try open.readMessage().text == "open before SIGTERM")
        gateway.process.send(signal: SIGTERM)
        try gateway.process.waitForOutputLine(containing: "Received SIGTERM again: exiting now")
        #expect(try gateway.process.waitForExit() == 0)
    }

    @Test func afterAShortDrainDelayOpenSessionsGet1001AndTheGatewayExitsZero() throws {
        let gateway = try GatewayProcess(["--echo", "--health=/health", "--drain-delay=300"])
        let session = try gateway.openWebSocket()
        gateway.process.send(signal: SIGTERM)
        try gateway.process.waitForOutputLine(containing: "Received SIGTERM: reporting 503 on /health for 300 ms")
        let close = try session.readFrame()
        #expect(close.closeCode == 1001)
        try gateway.process.waitForOutputLine(containing: "Drain delay over: closing every connection and exiting")
        try session.send(FrameBytes.close(code: 1001))
        #expect(try gateway.process.waitForExit() == 0)
    }

    /// A client that never answers the close frame: `--drain-timeout` ends the wait (instead of
    /// the close timeout and the kill sequence's computed deadline) and the gateway exits 0.
    @Test func theDrainTimeoutEndsADrainAClientNeverAnswers() throws {
        let gateway = try GatewayProcess(["--echo", "--drain-timeout=500"])
        let silent = try gateway.openWebSocket()
        defer { silent.close() }
        gateway.process.send(signal: SIGTERM)
        try gateway.process.waitForOutputLine(containing: "Received SIGTERM: closing every connection and exiting")
        #expect(try silent.readFrame().closeCode == 1001)
        // No close reply, no FIN: only the deadline can end this drain.
        try gateway.process.waitForOutputLine(containing: "Shutdown deadline (500 ms) reached: exiting")
        #expect(try gateway.process.waitForExit() == 0)
    }
}
