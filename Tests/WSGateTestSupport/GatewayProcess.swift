import CWSGateLinux
import Glibc

/// A running `wsgate` listening on a free loopback port.
///
/// Why it exists: every integration test starts the real binary the same way: `--port=0
/// --address=127.0.0.1`, then waits for `Starting WebSocket server   : ws://127.0.0.1:PORT/` (or
/// `wss://` with `--ssl`) and takes the port from it, so tests never guess ports or sleep.
public final class GatewayProcess {
    public let process: ChildProcess
    public let port: Int

    /// Starts `wsgate` (or `executable`) with `arguments` (plus `--port=0 --address=127.0.0.1`
    /// unless given).
    public init(_ arguments: [String], environment: [String]? = nil, executable: String = Executables.path("wsgate")) throws {
        var all = arguments
        if !arguments.contains(where: { $0.hasPrefix("--port") }) { all.insert("--port=0", at: 0) }
        if !arguments.contains(where: { $0.hasPrefix("--address") }) { all.insert("--address=127.0.0.1", at: 0) }
        process = try ChildProcess(path: executable, arguments: all, environment: environment)
        let line = try process.waitForOutputLine(containing: "Starting WebSocket server   : ws")
        // "… ws://127.0.0.1:PORT/…" (or wss://) in text or JSON lines.
        guard let start = line.firstRange(of: "://127.0.0.1:")?.upperBound,
              let port = Int(line[start...].prefix { $0.isNumber }) else {
            throw TestFailure("cannot read the port from: \(line)")
        }
        self.port = port
    }

    deinit {
        // wsgate's programs run in their own process groups: killing wsgate (ChildProcess
        // does that next) would leave them running. End each group first, while wsgate is
        // still ours: once it was reaped, its pid may be another test's gateway, whose
        // programs these would be.
        guard process.exitStatus == nil else { return }
        for child in ProcessTable.children(of: process.pid) where child.pid > 1 {
            kill(-child.pid, SIGKILL)
        }
    }

    /// Connects a new client, from the loopback address `source` when given.
    public func connect(from source: String? = nil) throws -> TestClient {
        try TestClient(port: port, source: source)
    }

    /// Connects and completes a WebSocket handshake on `path`.
    public func openWebSocket(path: String = "/", headers: [(String, String)] = []) throws -> TestClient {
        let client = try connect()
        let response = try client.upgrade(path: path, headers: headers)
        guard response.status == 101 else {
            throw TestFailure("expected 101, got \(response.status)")
        }
        return client
    }
}
