import Testing
import WSGateTestSupport

/// The gateway's text log as an operator greps it: a client's bytes stay inside their field.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct LogForgeryTests {
    @Test func aHostHeaderCannotAddAFieldOrAColumnToTheAccessLine() throws {
        let gateway = try GatewayProcess(["--echo"])
        let client = try gateway.connect()
        #expect(try client.upgrade(path: "/p", host: "evil' remote:'6.6.6.6 | FORGED").status == 101)
        let line = try gateway.process.waitForOutputLine(containing: "| CONNECT")
        #expect(line.ranges(of: "remote:'").count == 1, "\(line)")
        #expect(line.ranges(of: " | ").count == 4, "\(line)")
        #expect(line.contains(#"url:'http://evil\' remote:\'6.6.6.6 \| FORGED/p'"#), "\(line)")
        #expect(line.contains(" remote:'127.0.0.1' "), "\(line)")
    }
}
