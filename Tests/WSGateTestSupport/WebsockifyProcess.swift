import CWSGateLinux
import Glibc

/// A running websockify (Debian's `/usr/bin/websockify`, 0.10.0), the program whose job
/// `wsgate --tcp` / `--unix` also does, listening on a free loopback port.
///
/// Why it exists: comparison tests run the same scenario through websockify and wsgate with
/// the same backend. websockify needs a port picked for it (found by binding 127.0.0.1:0 and
/// releasing it), and prints its settings before it listens, so its listening socket is
/// looked up in /proc before any client connects; if another process took the port
/// meanwhile, websockify exits and another port is tried. websockify forks one handler
/// process per connection: `handlers` lists them, `treeResidentKilobytes` counts them in, and
/// deinit kills them (they would outlive the server otherwise). For tests only.
public final class WebsockifyProcess {
    /// Where Debian installs websockify.
    public static let executable = "/usr/bin/websockify"
    /// `true` when websockify is installed (comparison suites are skipped otherwise).
    public static var isInstalled: Bool { access(executable, X_OK) == 0 }

    public let process: ChildProcess
    public let port: Int

    /// Starts `websockify [arguments] 127.0.0.1:PORT [target]`; `target` is `HOST:PORT`, or
    /// nil when `arguments` name the target (`--unix-target=PATH`).
    public init(target: String?, arguments: [String] = [], timeout: Double = 10) throws {
        (process, port) = try ReferenceGateway.startListening(
            name: "websockify", executable: Self.executable, timeout: timeout
        ) { port in arguments + ["127.0.0.1:\(port)"] + (target.map { [$0] } ?? []) }
    }

    deinit {
        // Only while it is still ours: once reaped, its pid may be another test's process.
        guard process.exitStatus == nil else { return }
        for handler in ProcessTable.children(of: process.pid) {
            kill(handler.pid, SIGKILL)
        }
    }

    /// Everything websockify logged so far (it logs to stderr).
    public var log: String { process.standardError }

    /// The per-connection handler processes alive now.
    public var handlers: [ProcessTable.Entry] {
        ProcessTable.children(of: process.pid).filter { $0.state != "Z" }
    }

    /// VmRSS of websockify plus its handlers, in KiB (a fork's shared pages count in both).
    public var treeResidentKilobytes: Int {
        ([process.pid] + handlers.map(\.pid)).reduce(0) { $0 + (ProcessTable.residentKilobytes(of: $1) ?? 0) }
    }

    /// Connects a new client.
    public func connect() throws -> TestClient {
        try TestClient(port: port)
    }
}
