import Glibc
import WSGateTestSupport

/// One running server of either kind, with the plumbing every differential scenario needs.
///
/// Why it exists: websocketd and wsgate start differently (a picked port versus `--port=0`)
/// but are used identically; this hides the difference. When it goes away it kills every
/// program the server left (websocketd never signals them when it dies, and a program that
/// ignores signals would outlive the test).
final class PeerServer {
    let peer: Peer
    let process: ChildProcess
    let port: Int
    /// The ReferenceGateway or GatewayProcess, kept alive with the server.
    private let owner: AnyObject
    /// The `SignalIgnoringLauncher` script the server was started through, if any.
    private let launcher: String?

    /// Starts `peer` with `flags`, then `command` (COMMAND and its arguments), in `environment`,
    /// with `ignoring` signals (shell names: `INT`, `QUIT`) ignored as a shell's `cmd &` does.
    init(_ peer: Peer, flags: [String] = [], command: [String], environment: [String] = Peer.environment,
         ignoring signals: [String] = []) throws {
        self.peer = peer
        let executable = peer == .websocketd ? ReferenceGateway.executable : Executables.path("wsgate")
        launcher = signals.isEmpty ? nil : try SignalIgnoringLauncher.script(for: executable, ignoring: signals)
        switch peer {
        case .websocketd:
            let server = try ReferenceGateway(flags + command, environment: environment, executable: launcher ?? executable)
            (process, port, owner) = (server.process, server.port, server)
        case .wsgate:
            let server = try GatewayProcess(flags + command, environment: environment, executable: launcher ?? executable)
            (process, port, owner) = (server.process, server.port, server)
        }
    }

    deinit {
        if let launcher { unlink(launcher) }
        // Only while the server is still ours: once reaped, its pid may be another test's.
        guard process.exitStatus == nil else { return }
        for child in ProcessTable.children(of: process.pid) {
            // wsgate puts each program in its own group; websocketd's share the test runner's.
            kill(child.group == child.pid ? -child.pid : child.pid, SIGKILL)
        }
    }

    /// Everything the server logged so far (both log to stdout).
    var log: String { process.standardOutput }

    /// A new TCP connection.
    func connect() throws -> TestClient {
        try TestClient(port: port)
    }

    /// A new connection with a completed handshake on `path`, sent with `Host: host`.
    func openWebSocket(path: String = "/", host: String = "127.0.0.1", headers: [(String, String)] = []) throws -> TestClient {
        let client = try connect()
        let response = try client.upgrade(path: path, host: host, headers: headers)
        guard response.status == 101 else {
            throw TestFailure("\(peer): expected 101, got \(response.status)")
        }
        return client
    }

    /// The programs the server runs right now (its children).
    func programs() -> [ProcessTable.Entry] {
        ProcessTable.children(of: process.pid).filter { $0.state != "Z" }
    }

    /// Waits until the server runs exactly one program and returns it.
    func onlyProgram(timeout: Double = 10) throws -> ProcessTable.Entry {
        var found: [ProcessTable.Entry] = []
        _ = ProcessTable.wait(upTo: timeout) {
            found = programs()
            return found.count == 1
        }
        guard found.count == 1 else { throw TestFailure("\(peer): expected one program, found \(found)") }
        return found[0]
    }
}
