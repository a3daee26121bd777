import Glibc

/// A throwaway `redis-server` (Debian's `/usr/bin/redis-server`) on a free loopback port, with
/// no persistence, answering PING before the test uses it.
///
/// Why it exists: the Redis room bridge (examples/redis-room-bridge.py) joins the rooms of two
/// wsgate instances through Redis pub/sub; its test needs a Redis of its own, started and
/// stopped with the test, never the machine's. redis-server cannot listen on port 0 (0 turns
/// TCP off), so the port is picked and the start retried as for websocketd.
public final class RedisServer {
    /// Where Debian's `redis-server` package installs it.
    public static let executable = "/usr/bin/redis-server"

    public let process: ChildProcess
    public let port: Int
    /// What the bridge's `REDIS_URL` is for this server.
    public var url: String { "redis://127.0.0.1:\(port)/0" }

    public init(timeout: Double = 10) throws {
        (process, port) = try ReferenceGateway.startListening(name: "redis-server", executable: Self.executable,
                                                              timeout: timeout) { port in
            ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
        }
        let pong = try command("PING")
        guard pong == "+PONG\r\n" else { throw TestFailure("redis-server answered PING with \(pong.debugDescription)") }
    }

    deinit {
        process.send(signal: SIGTERM)
        _ = try? process.waitForExit()
    }

    /// Sends one inline command on a new connection and returns the raw reply (RESP), as read
    /// in one go: enough for the short replies the tests ask for.
    public func command(_ line: String) throws -> String {
        let client = try TestClient(port: port)
        try client.send(line + "\r\n")
        return try client.readAvailableText()
    }
}
