import Testing
import WSGateTestSupport
import WSGateWebSocket

/// `--max-per-ip` and `--rate` with the real binary: the client over a limit gets 429 with
/// `Retry-After` and one log line, no program starts, other clients (another loopback
/// address) are unaffected, counts come back when sessions end, and behind a trusted proxy
/// the forwarded client is the one limited. Every wait is on a log line or a response.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct ClientLimitTests {
    static var testcmd: String { Executables.path("wsgate-testcmd") }

    /// Upgrades on a new connection from `source` and returns the response.
    static func upgrade(_ gateway: GatewayProcess, from source: String? = nil,
                        headers: [(String, String)] = []) throws -> (TestClient, TestClient.HTTPResponse) {
        let client = try gateway.connect(from: source)
        return (client, try client.upgrade(headers: headers))
    }

    /// Ends a session with a close handshake and reads the reply.
    static func close(_ client: TestClient) throws {
        try client.send(FrameBytes.close(code: 1000))
        #expect(try client.readFrame().opcode == .close)
        client.close()
    }

    @Test func aThirdSessionFromOneClientIsRefusedAndAnotherClientIsNot() throws {
        let gateway = try GatewayProcess(["--max-per-ip=2", "--metrics=/metrics", Self.testcmd, "echo"])
        let (first, one) = try Self.upgrade(gateway)
        let (second, two) = try Self.upgrade(gateway)
        #expect(one.status == 101 && two.status == 101)

        let (_, refused) = try Self.upgrade(gateway)
        #expect(refused.status == 429)
        #expect(refused.header("Retry-After") == "1")
        let line = try gateway.process.waitForOutputLine(containing: "Too many sessions from 127.0.0.1 (--max-per-ip=2): 429")
        #expect(line.contains("remote:'127.0.0.1'"), "\(line)")

        let (other, answer) = try Self.upgrade(gateway, from: "127.0.0.2")
        #expect(answer.status == 101)
        try other.send(FrameBytes.text("still here"))
        #expect(try other.readMessage().text == "still here")

        let scrape = try MetricsScrape(try gateway.connect())
        #expect(scrape["wsgate_programs_started_total"] == "3")
        #expect(scrape[#"wsgate_client_limit_refusals_total{limit="max_per_ip"}"#] == "1")
        #expect(scrape[#"wsgate_client_limit_refusals_total{limit="rate"}"#] == "0")
        #expect(scrape[#"wsgate_connections_answered_total{code="429"}"#] == "1")

        // Once one of the two has ended (its program too: DISCONNECT), a new one is admitted.
        try Self.close(first)
        try gateway.process.waitForOutputLine(containing: "DISCONNECT")
        let (_, again) = try Self.upgrade(gateway)
        #expect(again.status == 101)
        withExtendedLifetime(second) {}
    }

    /// Every way a counted session can end gives its count back exactly once: a close
    /// handshake, a client that just goes, a refusal after admission (403 for the origin,
    /// 429 for `--maxforks`). Afterwards exactly two sessions are admitted again.
    @Test func manySessionsOpenedAndEndedLeaveTheLimitAsItWas() throws {
        let gateway = try GatewayProcess(["--max-per-ip=2", "--maxforks=2", "--origin=good.example", Self.testcmd, "echo"])
        let good = [("Origin", "http://good.example")]
        var ended = 0
        for _ in 0..<10 {
            let (polite, one) = try Self.upgrade(gateway, headers: good)
            let (abrupt, two) = try Self.upgrade(gateway, headers: good)
            #expect(one.status == 101 && two.status == 101)
            try Self.close(polite)
            abrupt.close()
            ended += 2
            try gateway.process.waitForOutputLines(containing: "DISCONNECT", count: ended)
        }
        for _ in 0..<5 {
            let (_, forbidden) = try Self.upgrade(gateway, headers: [("Origin", "http://bad.example")])
            #expect(forbidden.status == 403)
        }
        // Another client takes both --maxforks slots: 127.0.0.1 is admitted per client, then
        // refused for the slots (that 429 has no Retry-After).
        let (x, xs) = try Self.upgrade(gateway, from: "127.0.0.2", headers: good)
        let (y, ys) = try Self.upgrade(gateway, from: "127.0.0.2", headers: good)
        #expect(xs.status == 101 && ys.status == 101)
        for _ in 0..<3 {
            let (_, full) = try Self.upgrade(gateway, headers: good)
            #expect(full.status == 429)
            #expect(full.header("Retry-After") == nil)
        }
        try Self.close(x)
        try Self.close(y)
        ended += 2
        try gateway.process.waitForOutputLines(containing: "DISCONNECT", count: ended)

        let (a, first) = try Self.upgrade(gateway, headers: good)
        let (b, second) = try Self.upgrade(gateway, headers: good)
        #expect(first.status == 101 && second.status == 101)
        let (_, third) = try Self.upgrade(gateway, headers: good)
        #expect(third.status == 429)
        #expect(third.header("Retry-After") == "1")
        withExtendedLifetime((a, b)) {}
    }

    /// A burst of 2 and one handshake a minute: the third immediate handshake cannot have a
    /// token back, however slow the machine.
    @Test func aThirdImmediateHandshakeIsOverTheRate() throws {
        let gateway = try GatewayProcess(["--rate=1/m", "--rate-burst=2", "--metrics=/metrics", "--echo"])
        let (a, one) = try Self.upgrade(gateway)
        let (b, two) = try Self.upgrade(gateway)
        #expect(one.status == 101 && two.status == 101)
        let (_, refused) = try Self.upgrade(gateway)
        #expect(refused.status == 429)
        let retryAfter = try #require(Int(refused.header("Retry-After") ?? ""))
        #expect(retryAfter >= 1 && retryAfter <= 60)
        try gateway.process.waitForOutputLine(containing: "Too many handshakes from 127.0.0.1 (--rate=1/m, burst 2): 429, retry after")

        let (_, other) = try Self.upgrade(gateway, from: "127.0.0.2")
        #expect(other.status == 101)
        let scrape = try MetricsScrape(try gateway.connect())
        #expect(scrape[#"wsgate_client_limit_refusals_total{limit="rate"}"#] == "1")
        withExtendedLifetime((a, b)) {}
    }

    /// Behind a trusted proxy each forwarded client has its own count; an untrusted peer's
    /// header is ignored, so it cannot escape the limit by naming other clients.
    @Test func behindATrustedProxyTheForwardedClientIsLimited() throws {
        let gateway = try GatewayProcess(["--trusted-proxy=127.0.0.1", "--max-per-ip=1", "--echo"])
        let nine = [("X-Forwarded-For", "127.0.0.9")]
        let (a, first) = try Self.upgrade(gateway, headers: nine)
        #expect(first.status == 101)
        let (_, again) = try Self.upgrade(gateway, headers: nine)
        #expect(again.status == 429)
        let line = try gateway.process.waitForOutputLine(containing: "Too many sessions from 127.0.0.9 (--max-per-ip=1): 429")
        #expect(line.contains("remote:'127.0.0.9'"), "\(line)")
        let (b, ten) = try Self.upgrade(gateway, headers: [("X-Forwarded-For", "127.0.0.10")])
        #expect(ten.status == 101)
        let (c, proxy) = try Self.upgrade(gateway)
        #expect(proxy.status == 101)

        let (d, untrusted) = try Self.upgrade(gateway, from: "127.0.0.2", headers: [("X-Forwarded-For", "127.0.0.50")])
        #expect(untrusted.status == 101)
        let (_, spoofed) = try Self.upgrade(gateway, from: "127.0.0.2", headers: [("X-Forwarded-For", "127.0.0.51")])
        #expect(spoofed.status == 429)
        try gateway.process.waitForOutputLine(containing: "Too many sessions from 127.0.0.2 (--max-per-ip=1): 429")
        withExtendedLifetime((a, b, c, d)) {}
    }

    /// A `--unixsocket` peer has no address to count: it is not limited.
    @Test func unixSocketPeersAreNotLimited() throws {
        let directory = try TemporaryFiles.directory("client-limits")
        let path = directory + "/ws.sock"
        let gateway = try GatewayProcess(["--unixsocket=\(path)", "--max-per-ip=1", "--echo"])
        let clients = try (0..<3).map { _ in try TestClient(unixPath: path) }
        for client in clients { #expect(try client.upgrade().status == 101) }
        let (tcp, first) = try Self.upgrade(gateway)
        #expect(first.status == 101)
        let (_, second) = try Self.upgrade(gateway)
        #expect(second.status == 429)
        withExtendedLifetime(tcp) {}
    }
}
