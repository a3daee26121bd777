import Glibc
import Testing
import WSGateCore
import WSGateHTTP
import WSGatePosix
import WSGateRelay
@testable import WSGateServer

/// `--metrics` without sockets: the text format's rules, the per-loop counters summed into
/// families, the route to the metrics service and its answers.
@Suite(.timeLimit(.minutes(10))) struct MetricsExpositionTests {
    @Test func labelValuesEscapeBackslashQuoteAndNewline() {
        #expect(MetricsExposition.escapeLabelValue(#"a\b"c"# + "\nd") == #"a\\b\"c\nd"#)
        #expect(MetricsExposition.escapeLabelValue("plain") == "plain")
        #expect(MetricsExposition.escapeLabelValue("é ✓") == "é ✓")
    }

    @Test func helpEscapesBackslashAndNewlineButNotQuotes() {
        #expect(MetricsExposition.escapeHelp(#"say "hi" \ bye"# + "\nnext") == #"say "hi" \\ bye\nnext"#)
    }

    @Test func eachFamilyHasHelpAndTypeThenItsSamples() {
        let families = [
            MetricFamily.single("x_total", .counter, "Things.", .integer(3)),
            MetricFamily(name: "y", help: "Why\n\"not\"", kind: .gauge, samples: [
                .init(labels: [.init(name: "a", value: "1"), .init(name: "b", value: "q\"\\\n")], value: .integer(-2)),
                .init(labels: [.init(name: "a", value: "2")], value: .real(0.5)),
            ]),
            MetricFamily(name: "unused_total", help: "Never hit.", kind: .counter, samples: []),
        ]
        #expect(MetricsExposition.text(families) == """
            # HELP x_total Things.
            # TYPE x_total counter
            x_total 3
            # HELP y Why\\n"not"
            # TYPE y gauge
            y{a="1",b="q\\"\\\\\\n"} -2
            y{a="2"} 0.5

            """)
    }

    @Test func realsAreSpelledAsPrometheusParsesThem() {
        #expect(MetricsExposition.format(.real(.infinity)) == "+Inf")
        #expect(MetricsExposition.format(.real(-.infinity)) == "-Inf")
        #expect(MetricsExposition.format(.real(.nan)) == "NaN")
        #expect(MetricsExposition.format(.real(1_712_345_678.25)) == "1712345678.25")
        #expect(MetricsExposition.format(.real(0.01)) == "0.01")
        #expect(MetricsExposition.format(.integer(Int.max)) == "9223372036854775807")
    }

    /// Three loops count on their own; the scrape adds them up.
    @Test func theLoopsCountsAreSummed() {
        let metrics = GatewayMetrics(loopCount: 3)
        for (index, loop) in metrics.loops.enumerated() {
            loop.connectionAccepted()
            loop.connectionAccepted()
            loop.connectionClosed()
            loop.upgraded()
            loop.traffic.received(bytes: 10 * (index + 1))
            loop.traffic.sent(bytes: 1)
            loop.traffic.sent(bytes: 2)
            loop.answered(.notFound)
            loop.served(.staticFiles, .ok)
            loop.programStarted()
            loop.programExited(index == 0 ? .signaled(15) : .exited(3))
        }
        metrics.loops[1].backendConnected()
        metrics.loops[2].backendFailed()
        metrics.loops[2].sessionClosed()
        metrics.loops[0].served(.metrics, .ok)
        metrics.loops[0].answered(HTTPStatus(code: 999, reasonPhrase: "Out of range"))
        let text = MetricsExposition.text(metrics.families(process: nil))
        let lines = Set(text.split(separator: "\n").map(String.init))
        for expected in [
            "wsgate_connections_accepted_total 6",
            "wsgate_connections_open 3",
            #"wsgate_connections_answered_total{code="101"} 3"#,
            #"wsgate_connections_answered_total{code="404"} 3"#,
            "wsgate_websocket_sessions_open 2",
            #"wsgate_websocket_messages_total{direction="in"} 3"#,
            #"wsgate_websocket_messages_total{direction="out"} 6"#,
            #"wsgate_websocket_message_bytes_total{direction="in"} 60"#,
            #"wsgate_websocket_message_bytes_total{direction="out"} 9"#,
            "wsgate_programs_started_total 3",
            "wsgate_programs_running 0",
            #"wsgate_programs_exited_total{how="exit",status="3"} 2"#,
            #"wsgate_programs_exited_total{how="signal",signal="15"} 1"#,
            "wsgate_backend_connects_total 1",
            "wsgate_backend_connect_failures_total 1",
            #"wsgate_http_responses_total{service="static",code="200"} 3"#,
            #"wsgate_http_responses_total{service="metrics",code="200"} 1"#,
            #"wsgate_build_info{version="0.1.0"} 1"#,
            "# TYPE wsgate_connections_accepted_total counter",
            "# TYPE wsgate_connections_open gauge",
        ] {
            #expect(lines.contains(expected), "missing \(expected) in\n\(text)")
        }
        // Only status slots that were hit are written; 999 was not counted at all.
        #expect(!text.contains(#"code="999""#))
        #expect(!text.contains(#"code="200"} 0"#))
        #expect(!text.contains("process_"))
    }

    /// One thread counts while another reads (ThreadSanitizer checks these runs): the reader
    /// never sees a value going backwards, and the end value is exact.
    @Test func aBlockIsWrittenByOneThreadAndReadByAnother() throws {
        let block = CounterBlock(count: 2)
        let writer = try PosixThread.start {
            for _ in 0..<100_000 { block.add(1, at: 1) }
        }
        var last = 0
        for _ in 0..<1000 {
            let now = block.value(at: 1)
            #expect(now >= last)
            last = now
        }
        writer.join()
        #expect(block.value(at: 1) == 100_000)
        #expect(block.value(at: 0) == 0)
    }

    @Test func theMetricsPathIsTheLastServiceAndTakesItsExactPathOnly() throws {
        let router = RequestRouter(hasWebSocketBackend: true, servesStaticFiles: true, metricsPath: "/metrics")
        #expect(router.routes(for: try requestHead("GET /metrics HTTP/1.1\r\nHost: h\r\n\r\n")) == [.staticFiles, .metrics])
        #expect(router.routes(for: try requestHead("GET /metrics?x=1 HTTP/1.1\r\nHost: h\r\n\r\n")) == [.staticFiles, .metrics])
        #expect(router.routes(for: try requestHead("POST /metrics HTTP/1.1\r\nHost: h\r\n\r\n")) == [.staticFiles, .metrics])
        #expect(router.routes(for: try requestHead("GET /metrics/ HTTP/1.1\r\nHost: h\r\n\r\n")) == [.staticFiles])
        #expect(router.routes(for: try requestHead("GET /Metrics HTTP/1.1\r\nHost: h\r\n\r\n")) == [.staticFiles])
        // An upgrade goes to the WebSocket backend, whatever its path.
        let upgrade = "GET /metrics HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
        #expect(router.routes(for: try requestHead(upgrade)) == [.webSocket])
        let alone = RequestRouter(hasWebSocketBackend: true, servesStaticFiles: false, metricsPath: "/m")
        #expect(alone.routes(for: try requestHead("GET /m HTTP/1.1\r\nHost: h\r\n\r\n")) == [.metrics])
    }

    @Test func getAndHeadAnswerTheExpositionOtherMethods405() throws {
        let metrics = GatewayMetrics(loopCount: 1)
        metrics.loops[0].connectionAccepted()
        let service = MetricsService(path: "/metrics", metrics: metrics)
        let extra = [(name: "X-Test", value: "1")]
        let get = service.respond(to: try requestHead("GET /metrics HTTP/1.1\r\nHost: h\r\n\r\n"), extraHeaders: extra, now: 0)
        #expect(get.head.status == .ok)
        #expect(get.head.headers.first("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
        #expect(get.head.headers.first("X-Test") == "1")
        guard case .bytes(let body) = get.body else {
            Issue.record("no body")
            return
        }
        let text = String(decoding: body, as: UTF8.self)
        #expect(get.head.headers.first("Content-Length") == String(body.count))
        #expect(text.contains("\nwsgate_connections_accepted_total 1\n"))
        #expect(text.contains("\n# TYPE process_open_fds gauge\n"))
        let head = service.respond(to: try requestHead("HEAD /metrics HTTP/1.1\r\nHost: h\r\n\r\n"), extraHeaders: [], now: 0)
        #expect(head.head.status == .ok)
        if case .none = head.body {} else { Issue.record("a HEAD answer has a body") }
        let post = service.respond(to: try requestHead("POST /metrics HTTP/1.1\r\nHost: h\r\nContent-Length: 0\r\n\r\n"),
                                   extraHeaders: [], now: 0)
        #expect(post.head.status == .methodNotAllowed)
        #expect(post.head.headers.first("Allow") == "GET, HEAD")
        #expect(!post.isNotFound)
    }
}
