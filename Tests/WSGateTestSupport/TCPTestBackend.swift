import CWSGateLinux
import Glibc

/// A TCP (or Unix-socket) server standing in for the backend behind `wsgate --tcp` /
/// `--unix`, or behind websockify: it listens on 127.0.0.1 port 0 (or at a socket path),
/// serves every connection on its own thread in one `Mode`, and records what each connection
/// received and how it ended.
///
/// Why it exists: socket-backend tests must make the backend do one precise thing (echo,
/// greet then close, reset, answer only after the gateway's half-close, flood, never read,
/// check the PROXY header) and then ask what it saw, waiting with deadlines, never sleeping.
/// It is for tests only: it trusts its peer, and records received bytes up to `recordLimit`
/// per connection. `stop()` (or deinit) ends every thread and closes every socket.
public final class TCPTestBackend: Sendable {
    public let mode: Mode
    /// The port on 127.0.0.1 (0 for a Unix-socket backend).
    public let port: Int
    /// The socket path of a Unix-socket backend (nil for TCP).
    public let unixPath: String?
    private let server: BackendServer

    /// Listens on 127.0.0.1, port chosen by the kernel.
    public init(_ mode: Mode, recordLimit: Int = 64 << 20) throws {
        let (fd, port) = try BackendSocket.listenTCP()
        self.mode = mode
        self.port = port
        unixPath = nil
        server = try BackendServer(mode: mode, listener: fd, recordLimit: recordLimit, unixPath: nil)
    }

    /// Listens at the Unix socket `unixPath` (removed again by `stop()`).
    public init(_ mode: Mode, unixPath: String, recordLimit: Int = 64 << 20) throws {
        let fd = try BackendSocket.listenUnix(path: unixPath)
        self.mode = mode
        port = 0
        self.unixPath = unixPath
        server = try BackendServer(mode: mode, listener: fd, recordLimit: recordLimit, unixPath: unixPath)
    }

    deinit { stop() }

    /// A fresh path for a Unix-socket backend, short enough for sockaddr_un.
    public static func temporaryUnixPath() -> String {
        TemporaryFiles.path("backend", suffix: ".sock")
    }

    /// The gateway's flag for this backend: `--tcp=127.0.0.1:PORT` or `--unix=PATH`.
    public var gatewayArgument: String {
        unixPath.map { "--unix=" + $0 } ?? "--tcp=127.0.0.1:\(port)"
    }

    /// Stops accepting, ends every connection and thread, closes every socket. Idempotent.
    public func stop() {
        server.shutDown()
    }

    // MARK: - What it saw

    /// How many connections were accepted so far.
    public var acceptedCount: Int {
        server.state.withLock { $0.connections.count }
    }

    /// Every accepted connection's record, in accept order.
    public var connections: [Connection] {
        server.state.withLock { $0.connections }
    }

    /// Connection `index`'s record (nil if not accepted yet).
    public func connection(_ index: Int) -> Connection? {
        server.state.withLock { $0.connections.indices.contains(index) ? $0.connections[index] : nil }
    }

    // MARK: - Waiting

    /// Waits until `check` returns a value (run on every change, and at least every
    /// `recheckEvery` seconds when given); throws a TestFailure naming `what` and the
    /// connections' state after `timeout` seconds.
    public func wait<Value>(for what: String, timeout: Double = 10, recheckEvery: Double? = nil,
                            _ check: ([Connection]) -> Value?) throws -> Value {
        let deadline = TestDeadline(seconds: timeout)
        if let value = server.state.wait(until: deadline, recheckEvery: recheckEvery, { check($0.connections) }) {
            return value
        }
        throw TestFailure("timeout: the \(mode) backend: no \(what) within \(timeout) s; connections: \(connections)")
    }

    /// Waits until `count` connections were accepted.
    public func waitForConnections(_ count: Int = 1, timeout: Double = 10) throws {
        _ = try wait(for: "\(count) accepted connections", timeout: timeout) { $0.count >= count ? true : nil }
    }

    /// Waits until connection `index` received at least `count` bytes; returns what it
    /// recorded then.
    @discardableResult
    public func waitForReceived(atLeast count: Int, on index: Int = 0, timeout: Double = 10) throws -> [UInt8] {
        try wait(for: "\(count) bytes received on connection \(index)", timeout: timeout) { connections in
            guard connections.indices.contains(index), connections[index].receivedCount >= count else { return nil }
            return connections[index].received
        }
    }

    /// Waits until connection `index` read EOF from the gateway; returns its record.
    @discardableResult
    public func waitForEndOfInput(on index: Int = 0, timeout: Double = 10) throws -> Connection {
        try wait(for: "EOF on connection \(index)", timeout: timeout) { connections in
            connections.indices.contains(index) && connections[index].sawEndOfInput ? connections[index] : nil
        }
    }

    /// `recordProxyHeader` mode: waits for connection `index`'s first line and returns it.
    public func waitForProxyHeader(on index: Int = 0, timeout: Double = 10) throws -> String {
        try wait(for: "first line on connection \(index)", timeout: timeout) { connections in
            connections.indices.contains(index) ? connections[index].proxyHeader : nil
        }
    }

    /// Waits until the backend closed connection `index`; returns its final record.
    @discardableResult
    public func waitUntilClosed(on index: Int = 0, timeout: Double = 10) throws -> Connection {
        try wait(for: "close of connection \(index)", timeout: timeout) { connections in
            connections.indices.contains(index) && connections[index].closed ? connections[index] : nil
        }
    }

    /// Waits until connection `index`'s writes stall — none completed for `quietSeconds`
    /// (the gateway stopped reading) — or everything was written; returns the record then.
    /// A gateway without backpressure never stalls: it takes the whole flood.
    @discardableResult
    public func waitForSendingToStall(on index: Int = 0, quietSeconds: Double = 1,
                                      timeout: Double = 60) throws -> Connection {
        try wait(for: "stall of the writes on connection \(index)", timeout: timeout,
                 recheckEvery: quietSeconds / 4) { connections in
            guard connections.indices.contains(index) else { return nil }
            let connection = connections[index]
            let quiet = connection.lastSend.duration(to: .now) >= .milliseconds(Int(quietSeconds * 1000))
            return connection.finishedSending || connection.closed || quiet ? connection : nil
        }
    }
}
