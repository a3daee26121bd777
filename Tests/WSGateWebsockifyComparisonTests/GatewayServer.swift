import Glibc
import WSGateTestSupport

/// One running gateway of either kind in front of a socket backend, with the plumbing every
/// comparison scenario needs.
///
/// Why it exists: websockify and wsgate start differently (a positional target versus
/// `--tcp=`, a picked port versus `--port=0`) and log to different streams, but are used
/// identically; this hides the difference. websockify forks a handler per connection, so
/// memory is always measured over the process and its children.
final class GatewayServer {
    /// Where the gateway connects.
    enum Target {
        case tcp(port: Int)
        case unix(path: String)
    }

    let gateway: Gateway
    let process: ChildProcess
    let port: Int
    /// The WebsockifyProcess or GatewayProcess, kept alive with the server.
    private let owner: AnyObject

    /// Starts `gateway` in front of `target`; `flags` are for wsgate only (websockify gets
    /// none), which always runs with `--binary`, websockify's only mode.
    init(_ gateway: Gateway, target: Target, flags: [String] = []) throws {
        self.gateway = gateway
        switch (gateway, target) {
        case (.websockify, .tcp(let port)):
            let server = try WebsockifyProcess(target: "127.0.0.1:\(port)")
            (process, self.port, owner) = (server.process, server.port, server)
        case (.websockify, .unix(let path)):
            let server = try WebsockifyProcess(target: nil, arguments: ["--unix-target=\(path)"])
            (process, self.port, owner) = (server.process, server.port, server)
        case (.wsgate, .tcp(let port)):
            let server = try GatewayProcess(["--binary", "--tcp=127.0.0.1:\(port)"] + flags)
            (process, self.port, owner) = (server.process, server.port, server)
        case (.wsgate, .unix(let path)):
            let server = try GatewayProcess(["--binary", "--unix=\(path)"] + flags)
            (process, self.port, owner) = (server.process, server.port, server)
        }
    }

    /// Starts `gateway` in front of `backend`.
    convenience init(_ gateway: Gateway, backend: TCPTestBackend, flags: [String] = []) throws {
        try self.init(gateway, target: backend.unixPath.map { .unix(path: $0) } ?? .tcp(port: backend.port), flags: flags)
    }

    /// Everything the gateway logged so far (websockify logs to stderr, wsgate to stdout).
    var log: String {
        gateway == .websockify ? process.standardError : process.standardOutput
    }

    /// VmRSS of the gateway and its children (websockify's per-connection handlers), in KiB.
    var treeResidentKilobytes: Int {
        let pids = [process.pid] + ProcessTable.children(of: process.pid).filter { $0.state != "Z" }.map(\.pid)
        return pids.reduce(0) { $0 + (ProcessTable.residentKilobytes(of: $1) ?? 0) }
    }

    /// A new TCP connection.
    func connect() throws -> TestClient {
        try TestClient(port: port)
    }

    /// A new connection with a completed handshake, offering `protocols` (noVNC offers
    /// `binary`; websockify refuses other offers).
    func openWebSocket(protocols: String? = "binary") throws -> TestClient {
        let client = try connect()
        let response = try client.upgrade(headers: protocols.map { [("Sec-WebSocket-Protocol", $0)] } ?? [])
        guard response.status == 101 else {
            throw TestFailure("\(gateway): expected 101, got \(response.status) \(response.body.debugDescription)")
        }
        return client
    }
}
