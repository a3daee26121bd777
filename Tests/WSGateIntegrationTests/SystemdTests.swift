import CWSGateLinux
import Glibc
import Testing
import WSGatePosix
import WSGateTestSupport
import WSGateWebSocket

/// The systemd protocols, spoken to the real binary the way systemd would.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct SystemdTests {
    /// `Type=notify`: once listening, wsgate sends `READY=1` to `$NOTIFY_SOCKET`; on SIGTERM
    /// `STOPPING=1`, at once even with `--drain-delay` (while it still accepts).
    @Test(arguments: [0, 60_000]) func readinessAndStoppingAreNotified(drainDelayMs: Int) throws {
        let path = TemporaryFiles.path("notify")
        let receiver = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        defer {
            close(receiver)
            unlink(path)
        }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8)) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(receiver, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        #expect(bound == 0)
        let gateway = try GatewayProcess(["--echo", "--drain-delay=\(drainDelayMs)"],
                                         environment: ["PATH=/usr/bin:/bin", "NOTIFY_SOCKET=\(path)"])
        let ready = try Self.receive(receiver)
        #expect(ready.contains("READY=1"))
        #expect(ready.contains("MAINPID=\(gateway.process.pid)"))
        gateway.process.send(signal: SIGTERM)
        #expect(try Self.receive(receiver).contains("STOPPING=1"))
        if drainDelayMs > 0 {
            // Still accepting; the second signal ends the delay at once.
            _ = try gateway.openWebSocket()
            gateway.process.send(signal: SIGTERM)
        }
        #expect(try gateway.process.waitForExit() == 0)
    }

    /// Socket activation: the listening socket is made by "systemd" (this test) and passed as
    /// descriptor 3 with `LISTEN_PID` / `LISTEN_FDS`; wsgate serves on it, binding nothing.
    @Test func aSocketFromSystemdIsServed() throws {
        let listener = try Socket.listen(on: #require(SocketAddress(ipLiteral: "127.0.0.1", port: 0)))
        defer { listener.close() }
        let port = try #require(try Socket.localAddress(listener)).port
        // LISTEN_PID must be wsgate's own pid: the shell's $$ becomes it through exec.
        let process = try ChildProcess(
            path: "/bin/sh",
            arguments: ["-c", "LISTEN_PID=$$ LISTEN_FDS=1 exec \"$0\" --echo --threads=2", Executables.path("wsgate")],
            passing: [listener.rawValue])
        let line = try process.waitForOutputLine(containing: "Starting WebSocket server")
        #expect(line.contains(":\(port)/"))
        #expect(process.standardOutput.contains("from systemd"))
        let client = try TestClient(port: port)
        #expect(try client.upgrade().status == 101)
        try client.send(FrameBytes.text("activated"))
        #expect(try client.readMessage().text == "activated")
        process.send(signal: SIGTERM)
        _ = try client.readFrame()
        try client.send(FrameBytes.close(code: 1001))
        #expect(try process.waitForExit() == 0)
    }

    static func receive(_ socket: Int32, timeout: Int32 = 10_000) throws -> String {
        var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, timeout) == 1 else { throw TestFailure("no notification within \(timeout) ms") }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(socket, &buffer, buffer.count, 0)
        return String(decoding: buffer.prefix(max(count, 0)), as: UTF8.self)
    }
}
