import Glibc
import Testing
import WSGateTestSupport

/// `--staticdir` when the gateway has no descriptor left: the client gets 503 (the gateway's
/// trouble, it may work later), not a 403 that blames the request, and the operator an ERROR
/// line naming the cause. The gateway's soft descriptor limit is lowered to 0 from outside once
/// a kept-alive connection is open: that connection goes on working, and every new descriptor,
/// the file's included, fails with EMFILE.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct StaticFileExhaustionTests {
    @Test func noDescriptorLeftIsA503WithAnErrorLineAndTheNextRequestIsServed() throws {
        let site = try StaticFileTests.Site()
        let gateway = try GatewayProcess(["--staticdir=\(site.root)"])
        let client = try gateway.connect()
        let request = "GET /a.txt HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
        try client.send(request)
        #expect(try client.readHTTPResponse().status == 200)

        try setSoftDescriptorLimit(of: gateway.process.pid, to: 0)
        try client.send(request)
        let refused = try client.readHTTPResponse()
        #expect(refused.status == 503)
        #expect(refused.body == "503 Service Unavailable\n")
        let line = try gateway.process.waitForOutputLine(containing: "STATIC failed (503): open: Too many open files")
        #expect(line.contains("| ERROR "))
        #expect(line.contains("url:'http://127.0.0.1/a.txt'"))

        // The gateway inherited this process's limit: given back, the same file is served.
        var inherited = rlimit()
        try #require(getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &inherited) == 0)
        try setSoftDescriptorLimit(of: gateway.process.pid, to: inherited.rlim_cur)
        try client.send(request)
        #expect(try client.readHTTPResponse().body == "hello world\n")
    }

    /// util-linux's prlimit(1): Glibc's prlimit(2) is not visible to Swift without _GNU_SOURCE.
    private func setSoftDescriptorLimit(of pid: Int32, to limit: rlim_t) throws {
        let tool = try ChildProcess(path: "/usr/bin/prlimit", arguments: ["--pid=\(pid)", "--nofile=\(limit):"])
        try #require(try tool.waitForExit() == 0, "prlimit: \(tool.standardError)")
    }
}
