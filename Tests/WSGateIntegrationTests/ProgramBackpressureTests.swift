import Glibc
import Testing
import WSGateTestSupport
import WSGateWebSocket

/// Backpressure both ways: wsgate's memory stays bounded whatever the peers do, and the other
/// clients keep being served (websocketd 0.4.1 deadlocks, websockify queues without bound).
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct ProgramBackpressureTests {
    static var testcmd: String { Executables.path("wsgate-testcmd") }
    static let limitKiB = 64 * 1024

    /// The bytes a process has written so far (/proc/PID/io wchar).
    static func bytesWritten(_ pid: Int32) -> Int? {
        guard let text = ProcessTable.readFile("/proc/\(pid)/io"),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix("wchar:") }) else { return nil }
        return Int(line.filter(\.isNumber))
    }

    /// Waits (up to 30 s) until `pid` is blocked writing: its byte count stops moving between
    /// two looks 200 ms apart. False if it never stops.
    static func waitUntilWritingStalls(_ pid: Int32) -> Bool {
        var last = -1
        return ProcessTable.wait(upTo: 30) {
            let now = bytesWritten(pid) ?? -2
            defer { last = now }
            if now == last { return true }
            var pause = timespec(tv_sec: 0, tv_nsec: 200_000_000)
            nanosleep(&pause, nil)
            return false
        }
    }

    /// A program writes hundreds of MB while the client reads nothing: the program is stopped
    /// (its pipe is full because wsgate stopped reading it), not buffered. Then the client
    /// reads everything: nothing was lost.
    @Test func aClientThatDoesNotReadStopsTheProgramNotWsgatesMemory() throws {
        let total = 300_000_000
        let gateway = try GatewayProcess(["--binary", Self.testcmd, "flood", String(total)])
        let (client, before, during) = try Self.expectTheFloodStalls(gateway)
        // Now read it all: every byte arrives, and memory stays bounded while it flows.
        var received = 0
        var peak = during
        while received < total {
            let message = try client.readMessage(timeout: 30)
            #expect(message.opcode == .binary)
            received += message.payload.count
            if received % (16 << 20) < message.payload.count, let rss = gateway.process.residentKilobytes {
                peak = max(peak, rss)
            }
        }
        #expect(received == total)
        expectRSSGrowth(from: before, to: peak, below: Self.limitKiB, "(peak)")
        #expect(try client.readFrame().closeCode == 1000)
    }

    /// Opens a client that reads nothing from a gateway whose program floods: the program is
    /// stopped with less than 64 MiB written, wsgate's memory stays bounded, and another
    /// client is served meanwhile. Returns the client and wsgate's RSS before and during.
    static func expectTheFloodStalls(_ gateway: GatewayProcess) throws -> (TestClient, before: Int, during: Int) {
        let before = try #require(gateway.process.residentKilobytes)
        let client = try gateway.openWebSocket()
        let pid = try ProgramLifecycleTests.programPID(gateway)
        #expect(waitUntilWritingStalls(pid))
        let written = bytesWritten(pid) ?? 0
        #expect(written < 64 << 20, "the program could write \(written) bytes to a client that reads nothing")
        let during = try #require(gateway.process.residentKilobytes)
        expectRSSGrowth(from: before, to: during, below: limitKiB)
        let other = try gateway.openWebSocket()
        #expect(try other.readMessage().payload.count > 0)
        other.close()
        return (client, before, during)
    }

    /// The program never reads its stdin while the client sends: wsgate stops reading the
    /// client, memory stays bounded, other clients are served.
    @Test func aProgramThatDoesNotReadStopsTheClientNotWsgatesMemory() throws {
        let gateway = try GatewayProcess([Self.testcmd, "sink"])
        let before = try #require(gateway.process.residentKilobytes)
        let client = try gateway.openWebSocket()
        let message = FrameBytes.binary([UInt8](repeating: 0x41, count: 65536))
        let sent = try client.sendUntilStalled(message, limit: 400 << 20)
        #expect(sent < 64 << 20, "wsgate kept taking \(sent) bytes for a program that reads nothing")
        let after = try #require(gateway.process.residentKilobytes)
        expectRSSGrowth(from: before, to: after, below: Self.limitKiB)
        // Another client still gets its own program.
        _ = try gateway.openWebSocket()
    }

    /// `--passstderr`: stderr goes to the client too, so a client that does not read stops the
    /// reading of stderr as it does of stdout (the program blocks, wsgate's memory does not grow).
    @Test func withPassstderrAClientThatDoesNotReadStopsStderrToo() throws {
        let gateway = try GatewayProcess(["--passstderr", "/bin/sh", "-c", "cat >&2"])
        let before = try #require(gateway.process.residentKilobytes)
        let client = try gateway.openWebSocket()
        let message = FrameBytes.text(String(repeating: "e", count: 4000))
        let sent = try client.sendUntilStalled(message, limit: 256 << 20)
        #expect(sent < 64 << 20, "wsgate kept relaying \(sent) bytes of stderr to a client that reads nothing")
        let after = try #require(gateway.process.residentKilobytes)
        expectRSSGrowth(from: before, to: after, below: Self.limitKiB)
        // Nothing was lost: the first line comes as JSON once the client reads.
        let first = try client.readMessage()
        #expect(first.text == "{\"stream\":\"stderr\",\"data\":\"\(String(repeating: "e", count: 4000))\"}")
    }
}
