import Glibc
import Testing
import WSGateTestSupport
import WSGateWebSocket

/// Where Debian's `prometheus` package installs Prometheus's linter.
private let promtool = "/usr/bin/promtool"

extension Trait where Self == ConditionTrait {
    /// Where promtool is installed, and always under `CI=true` (where a missing one fails).
    static var promtoolInstalled: Self {
        .enabled(if: ReferencePeer.suitesRun(executable: promtool),
                 "\(promtool) is not installed (apt-get install prometheus; with CI=true this suite fails instead)")
    }
}

/// Prometheus's own linter, `promtool check metrics`, on a real scrape with every family
/// present (labelled ones included): it must find nothing to complain about. Debian's
/// `prometheus` package has it (.ci/run installs it); without it the suite is skipped, except
/// under `CI=true`, where it fails.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread, .promtoolInstalled) struct MetricsPromtoolTests {
    @Test func promtoolFindsNoProblemInAScrape() throws {
        guard access(promtool, X_OK) == 0 else {
            throw TestFailure("\(promtool) is missing: apt-get install prometheus")
        }
        let scripts = try TemporaryFiles.directory("promtool-dir")
        let site = try TemporaryFiles.directory("promtool-site")
        defer {
            TemporaryFiles.removeDirectory(scripts)
            TemporaryFiles.removeDirectory(site)
        }
        try TemporaryFiles.write("#!/bin/sh\nread line\necho \"$line\"\nexit 3\n", to: scripts + "/exit3.sh", mode: 0o755)
        try TemporaryFiles.write("#!/bin/sh\nkill -TERM $$\n", to: scripts + "/term.sh", mode: 0o755)
        try TemporaryFiles.write("file\n", to: site + "/a.txt")
        let gateway = try GatewayProcess(["--dir=\(scripts)", "--staticdir=\(site)", "--metrics=/metrics"])

        let echo = try gateway.openWebSocket(path: "/exit3.sh")
        try echo.send(FrameBytes.text("quote \" and \\ backslash"))
        _ = try echo.readMessage()
        let killed = try gateway.openWebSocket(path: "/term.sh")
        for session in [echo, killed] {
            #expect(try session.readFrame().opcode == .close)
            try session.send(FrameBytes.close(code: 1000))
            session.close()
        }
        #expect(try gateway.connect().upgrade(path: "/missing.sh").status == 404)
        let client = try gateway.connect()
        for path in ["/a.txt", "/missing"] {
            try client.send("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
            _ = try client.readHTTPResponse()
        }
        try gateway.process.waitForOutputLines(containing: "DISCONNECT", count: 2)
        _ = try MetricsScrape(client)
        let scrape = try MetricsScrape(client)
        #expect(scrape[#"wsgate_programs_exited_total{how="signal",signal="15"}"#] == "1")
        #expect(scrape[#"wsgate_http_responses_total{service="static",code="404"}"#] == "1")

        let file = TemporaryFiles.path("scrape", suffix: ".prom")
        defer { unlink(file) }
        try TemporaryFiles.write(scrape.response.body, to: file)
        let check = try ChildProcess(path: "/bin/sh", arguments: ["-c", "exec \(promtool) check metrics < \(file)"])
        let status = try check.waitForExit(timeout: 60)
        let report = check.standardOutput + check.standardError
        #expect(status == 0, "promtool check metrics exited \(status):\n\(report)\nscrape:\n\(scrape.response.body)")
        #expect(report.isEmpty, "promtool: \(report)")
    }
}
