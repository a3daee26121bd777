import Glibc
import Testing
import WSGateTestSupport
import WSGateWebSocket

/// `--metrics=PATH` over real sockets from the real binary: after a known sequence of
/// sessions, refusals, programs and backend connects, a scrape reports exactly those counts.
/// Every wait is on a condition: the gateway's DISCONNECT lines, or a gauge polled to its value.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct MetricsTests {
    /// Sends `count` text messages and reads each echo; then closes (1000) and reads the reply.
    private func exchange(_ client: TestClient, count: Int, prefix: String) throws {
        for index in 0..<count {
            try client.send(FrameBytes.text("\(prefix)\(index)"))
            #expect(try client.readMessage().text == "\(prefix)\(index)")
        }
        try client.send(FrameBytes.close(code: 1000))
        #expect(try client.readFrame().opcode == .close)
        client.close()
    }

    @Test func echoSessionsAndA404AreCountedExactly() throws {
        let gateway = try GatewayProcess(["--echo", "--metrics=/metrics"])
        // Session a: 5 messages "a0"…"a4" (10 bytes); session b: 7 messages "bb0"…"bb6" (21 bytes).
        try exchange(try gateway.openWebSocket(), count: 5, prefix: "a")
        try exchange(try gateway.openWebSocket(), count: 7, prefix: "bb")
        try gateway.process.waitForOutputLines(containing: "DISCONNECT", count: 2)
        let refused = try gateway.connect()
        try refused.send("GET /nothing HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(try refused.readHTTPResponse().status == 404)
        refused.close()

        let client = try gateway.connect()
        let scrape = try MetricsScrape(client)
        #expect(scrape.response.status == 200)
        #expect(scrape.response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        #expect(scrape["wsgate_connections_accepted_total"] == "4")
        #expect(scrape[#"wsgate_connections_answered_total{code="101"}"#] == "2")
        #expect(scrape[#"wsgate_connections_answered_total{code="404"}"#] == "1")
        #expect(scrape["wsgate_websocket_sessions_open"] == "0")
        #expect(scrape[#"wsgate_websocket_messages_total{direction="in"}"#] == "12")
        #expect(scrape[#"wsgate_websocket_messages_total{direction="out"}"#] == "12")
        #expect(scrape[#"wsgate_websocket_message_bytes_total{direction="in"}"#] == "31")
        #expect(scrape[#"wsgate_websocket_message_bytes_total{direction="out"}"#] == "31")
        #expect(scrape["wsgate_programs_started_total"] == "0")
        #expect(scrape["wsgate_backend_connects_total"] == "0")
        // A scrape counts once answered: the first one does not see itself.
        #expect(scrape[#"wsgate_http_responses_total{service="metrics",code="200"}"#] == nil)
        #expect(Int(scrape["process_open_fds"] ?? "") ?? 0 > 3)
        #expect(Int(scrape["process_resident_memory_bytes"] ?? "") ?? 0 > 1 << 20)
        let started = try #require(Double(scrape["process_start_time_seconds"] ?? ""))
        #expect(abs(started - Double(time(nil))) < 600)

        // The 404's socket closes once the gateway reads our EOF; then only this one is open.
        let later = try MetricsScrape.wait(on: client, until: "wsgate_connections_open", is: "1")
        #expect(later["wsgate_connections_accepted_total"] == "4")
        #expect(Int(later[#"wsgate_http_responses_total{service="metrics",code="200"}"#] ?? "") ?? 0 >= 1)
        try gateway.process.waitForOutputLine(containing: "| url:'http://127.0.0.1/metrics' | METRICS")
    }

    /// A program that exits with status 3 and one killed by SIGTERM, through `--dir`.
    @Test func programsAreCountedByHowTheyEnded() throws {
        let root = try TemporaryFiles.directory("metrics-dir")
        defer { TemporaryFiles.removeDirectory(root) }
        try TemporaryFiles.write("#!/bin/sh\nread line\necho \"got $line\"\nexit 3\n", to: root + "/exit3.sh", mode: 0o755)
        try TemporaryFiles.write("#!/bin/sh\nkill -TERM $$\n", to: root + "/term.sh", mode: 0o755)
        let gateway = try GatewayProcess(["--dir=\(root)", "--metrics=/metrics"])

        let first = try gateway.openWebSocket(path: "/exit3.sh")
        try first.send(FrameBytes.text("hello"))
        #expect(try first.readMessage().text == "got hello")
        let close = try first.readFrame()
        #expect(close.closeCode == 1011)
        try first.send(FrameBytes.close(code: 1000))
        first.close()  // the gateway's end lingers until our EOF
        try gateway.process.waitForOutputLine(containing: "exit status 3")
        let second = try gateway.openWebSocket(path: "/term.sh")
        #expect(try second.readFrame().closeCode == 1011)
        try second.send(FrameBytes.close(code: 1000))
        second.close()
        try gateway.process.waitForOutputLines(containing: "DISCONNECT", count: 2)
        // A missing script: 404 before any program starts.
        #expect(try gateway.connect().upgrade(path: "/missing.sh").status == 404)

        let scrape = try MetricsScrape(try gateway.connect())
        #expect(scrape["wsgate_programs_started_total"] == "2")
        #expect(scrape["wsgate_programs_running"] == "0")
        #expect(scrape[#"wsgate_programs_exited_total{how="exit",status="3"}"#] == "1")
        #expect(scrape[#"wsgate_programs_exited_total{how="signal",signal="15"}"#] == "1")
        #expect(scrape[#"wsgate_programs_exited_total{how="exit",status="0"}"#] == nil)
        #expect(scrape[#"wsgate_connections_answered_total{code="101"}"#] == "2")
        #expect(scrape[#"wsgate_connections_answered_total{code="404"}"#] == "1")
        #expect(scrape[#"wsgate_websocket_messages_total{direction="in"}"#] == "1")
        #expect(scrape[#"wsgate_websocket_messages_total{direction="out"}"#] == "1")
        #expect(scrape[#"wsgate_websocket_message_bytes_total{direction="out"}"#] == "9")
    }

    @Test func socketBackendConnectsAndFailuresAreCounted() throws {
        let backend = try TCPTestBackend(.echo)
        let gateway = try GatewayProcess(["--binary", backend.gatewayArgument, "--metrics=/metrics"])
        let client = try gateway.openWebSocket()
        #expect(try client.echo(binary: [1, 2, 3], timeout: 10).bytes == [1, 2, 3])
        let refusing = try TCPTestBackend(.echo)
        let argument = refusing.gatewayArgument
        refusing.stop()
        let failing = try GatewayProcess([argument, "--metrics=/metrics"])
        #expect(try failing.connect().upgrade().status == 502)

        let good = try withExtendedLifetime(client) { try MetricsScrape(try gateway.connect()) }
        #expect(good["wsgate_backend_connects_total"] == "1")
        #expect(good["wsgate_backend_connect_failures_total"] == "0")
        #expect(good["wsgate_websocket_sessions_open"] == "1")
        #expect(good[#"wsgate_websocket_message_bytes_total{direction="in"}"#] == "3")
        let bad = try MetricsScrape(try failing.connect())
        #expect(bad["wsgate_backend_connects_total"] == "0")
        #expect(bad["wsgate_backend_connect_failures_total"] == "1")
        #expect(bad[#"wsgate_connections_answered_total{code="502"}"#] == "1")
        #expect(bad[#"wsgate_connections_answered_total{code="101"}"#] == nil)
    }

    /// With `--staticdir`, the files come first: a missing file lets the metrics answer, a
    /// file of the same name wins, and the statics' answers are counted by status.
    @Test func staticFilesComeFirstAndAreCountedByStatus() throws {
        let root = try TemporaryFiles.directory("metrics-static")
        defer { TemporaryFiles.removeDirectory(root) }
        try TemporaryFiles.write("hello\n", to: root + "/a.txt")
        let gateway = try GatewayProcess(["--echo", "--staticdir=\(root)", "--metrics=/metrics", "--header-http=X-Site: 1"])
        let client = try gateway.connect()
        let request = { (method: String, path: String) throws -> TestClient.HTTPResponse in
            try client.send("\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            return try client.readHTTPResponse(toHead: method == "HEAD")
        }
        #expect(try request("GET", "/a.txt").body == "hello\n")
        #expect(try request("GET", "/missing").status == 404)
        let post = try request("POST", "/metrics")
        #expect(post.status == 405)
        #expect(post.header("Allow") == "GET, HEAD")
        let head = try request("HEAD", "/metrics")
        #expect(head.status == 200)
        #expect(head.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        #expect(Int(head.header("Content-Length") ?? "") ?? 0 > 1000)
        #expect(head.header("X-Site") == "1")
        #expect(head.body.isEmpty)
        let withQuery = try request("GET", "/metrics?x=1")
        #expect(withQuery.status == 200)
        #expect(withQuery.body.contains("\n# TYPE wsgate_http_responses_total counter\n"))
        #expect(try request("GET", "/metrics/").status == 404)

        let scrape = try MetricsScrape(client)
        #expect(scrape[#"wsgate_http_responses_total{service="static",code="200"}"#] == "1")
        // /missing and /metrics/; the static 404 before each metrics answer is not sent, so not counted.
        #expect(scrape[#"wsgate_http_responses_total{service="static",code="404"}"#] == "2")
        // A POST is the file server's to refuse first (as for any path).
        #expect(scrape[#"wsgate_http_responses_total{service="static",code="405"}"#] == "1")
        #expect(scrape[#"wsgate_http_responses_total{service="metrics",code="200"}"#] == "2")
        #expect(scrape["wsgate_connections_accepted_total"] == "1")

        // A file named like the metrics path is served instead.
        try TemporaryFiles.write("a file\n", to: root + "/metrics")
        #expect(try request("GET", "/metrics").body == "a file\n")
    }

    /// Without a file server in front, the metrics path answers other methods itself.
    @Test func otherMethodsGet405FromTheMetricsService() throws {
        let gateway = try GatewayProcess(["--echo", "--metrics=/stats/prom"])
        let client = try gateway.connect()
        try client.send("DELETE /stats/prom HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        let response = try client.readHTTPResponse()
        #expect(response.status == 405)
        #expect(response.header("Allow") == "GET, HEAD")
        let scrape = try MetricsScrape(client, path: "/stats/prom")
        #expect(scrape[#"wsgate_http_responses_total{service="metrics",code="405"}"#] == "1")
        #expect(try MetricsScrape(try gateway.connect(), path: "/metrics").response.status == 404)
    }
}
