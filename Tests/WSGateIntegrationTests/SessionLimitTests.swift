import Glibc
import Testing
import WSGateTestSupport
import WSGateWebSocket

/// `--max-session` and `--idle-timeout` through the real binary: the client gets 1008 with the
/// reason, the log says which limit, a program is ended by its kill sequence, and only the
/// session that reached its limit is closed. Durations are short so the tests are quick; what
/// is asserted is the close, the reason and the log, never how long anything took.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct SessionLimitTests {
    /// The close frame's reason.
    static func reason(_ frame: TestClient.Frame) -> String {
        String(decoding: frame.payload.dropFirst(2), as: UTF8.self)
    }

    /// The program's pid from a DISCONNECT line.
    static func pid(in disconnect: String) throws -> Int32 {
        let start = try #require(disconnect.firstRange(of: "pid:'")?.upperBound)
        return try #require(Int32(disconnect[start...].prefix { $0.isNumber }))
    }

    @Test(arguments: ["--echo", "--tcp", "program", "room"])
    func maxSessionClosesWith1008AndEndsTheBackend(backend: String) throws {
        let tcp = backend == "--tcp" ? try TCPTestBackend(.lineEcho) : nil
        let arguments: [String] = switch backend {
        case "--echo": ["--echo"]
        case "--tcp": [tcp!.gatewayArgument]
        case "room": ["--broadcast", "/bin/cat"]
        default: ["/bin/cat"]
        }
        let gateway = try GatewayProcess(["--max-session=1s"] + arguments)
        let client = try gateway.openWebSocket()
        try client.send(FrameBytes.text("hello"))
        #expect(try client.readMessage().text == "hello")
        let close = try client.readFrame(timeout: 30)
        #expect(close.opcode == .close)
        #expect(close.closeCode == 1008)
        #expect(Self.reason(close) == "session time limit")
        try client.send(FrameBytes.close(code: 1008))
        #expect(try client.waitForEOF(timeout: 30))
        let line = try gateway.process.waitForOutputLine(containing: "reached: closing 1008")
        #expect(line.contains("session time limit (1s) reached: closing 1008"))
        let disconnect = try gateway.process.waitForOutputLine(containing: "DISCONNECT", timeout: 30)
        if backend == "program" {
            // DISCONNECT comes once the program's group is empty: nothing is left running.
            let pid = try Self.pid(in: disconnect)
            #expect(ProcessTable.living(inGroup: pid).isEmpty)
            #expect(ProcessTable.children(of: gateway.process.pid).isEmpty)
        }
    }

    /// One client sends a message every 300 ms for longer than the timeout and stays open;
    /// another, idle on the same gateway, gets 1008; the busy one is closed in turn once it
    /// stops.
    @Test func anIdleSessionIsClosedAndABusyOneIsNot() throws {
        let gateway = try GatewayProcess(["--idle-timeout=2s", "--echo"])
        let idle = try gateway.openWebSocket()
        let busy = try gateway.openWebSocket()
        for index in 0..<10 {
            try busy.send(FrameBytes.text("message \(index)"))
            let frame = try busy.readMessage(timeout: 30)
            #expect(frame.opcode == .text && frame.text == "message \(index)", "got \(frame) instead")
            usleep(300_000)
        }
        let closed = try idle.readFrame(timeout: 30)
        #expect(closed.closeCode == 1008)
        #expect(Self.reason(closed) == "idle timeout")
        try idle.send(FrameBytes.close(code: 1008))
        let line = try gateway.process.waitForOutputLine(containing: "reached: closing 1008")
        #expect(line.contains("idle timeout (2s) reached: closing 1008"))
        // The busy client is still served, then closed in turn once it goes quiet.
        try busy.send(FrameBytes.text("still here"))
        #expect(try busy.readMessage(timeout: 30).text == "still here")
        let later = try busy.readFrame(timeout: 30)
        #expect(later.closeCode == 1008)
        #expect(Self.reason(later) == "idle timeout")
    }

    /// Messages to the client are activity too: a program that writes every 300 ms keeps a
    /// silent client's session open; once it stops, the session gets 1008 and the program is
    /// ended by its kill sequence.
    @Test func outputToTheClientIsActivityAndTheProgramEndsAfterTheTimeout() throws {
        let script = "i=0; while [ $i -lt 10 ]; do echo tick $i; i=$((i+1)); sleep 0.3; done; exec sleep 1000"
        let gateway = try GatewayProcess(["--idle-timeout=2s", "/bin/sh", "-c", script])
        let client = try gateway.openWebSocket()
        for index in 0..<10 {
            let frame = try client.readMessage(timeout: 30)
            #expect(frame.opcode == .text && frame.text == "tick \(index)", "got \(frame) instead")
        }
        let close = try client.readFrame(timeout: 30)
        #expect(close.closeCode == 1008)
        #expect(Self.reason(close) == "idle timeout")
        try client.send(FrameBytes.close(code: 1008))
        #expect(try gateway.process.waitForOutputLine(containing: "reached: closing 1008")
            .contains("idle timeout (2s) reached: closing 1008"))
        let disconnect = try gateway.process.waitForOutputLine(containing: "DISCONNECT", timeout: 30)
        #expect(ProcessTable.living(inGroup: try Self.pid(in: disconnect)).isEmpty)
    }

    /// Pings (and their pongs) are not activity: a client that only pings is closed.
    @Test func pingsDoNotKeepASessionOpen() throws {
        let gateway = try GatewayProcess(["--idle-timeout=1s", "--echo"])
        let client = try gateway.openWebSocket()
        var close: TestClient.Frame?
        for _ in 0..<100 where close == nil {
            try client.send(FrameBytes.frame(.ping, [1]))
            let frame = try client.readFrame(timeout: 30)
            if frame.opcode == .close { close = frame } else { usleep(300_000) }
        }
        let frame = try #require(close, "a client that only pings was never closed")
        #expect(frame.closeCode == 1008)
        #expect(Self.reason(frame) == "idle timeout")
    }
}
