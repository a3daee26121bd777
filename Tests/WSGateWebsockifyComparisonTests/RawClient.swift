import Glibc
import WSGateTestSupport

/// A plain stream-socket client (TCP on 127.0.0.1, or a Unix socket) for testing
/// TCPTestBackend itself, byte by byte, with a deadline on every wait.
///
/// Why it exists: TestClient speaks HTTP and WebSocket; the backend speaks raw bytes, and
/// its tests must see exactly what it sends, EOF versus reset included.
final class RawClient {
    private var fd: Int32

    /// How a read ended when it did not return bytes.
    enum Failure: Error, Equatable {
        case endOfStream
        case reset
        case timedOut
        case other(Int32)
    }

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            let error = errno
            Glibc.close(fd)
            throw TestFailure("connect to 127.0.0.1:\(port): errno \(error)")
        }
    }

    init(unixPath: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(unixPath.utf8)
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        guard connected == 0 else {
            let error = errno
            Glibc.close(fd)
            throw TestFailure("connect to \(unixPath): errno \(error)")
        }
    }

    deinit { close() }

    func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    func shutdownWrite() {
        shutdown(fd, Int32(SHUT_WR))
    }

    func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            guard count > 0 else { throw TestFailure("send: errno \(errno)") }
            offset += count
        }
    }

    func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// The next bytes (at most `maximum`), or how the stream ended.
    func receive(maximum: Int = 65536, timeout: Double = 10) -> Result<[UInt8], Failure> {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, TestDeadline(seconds: timeout).remainingMilliseconds) == 1 else { return .failure(.timedOut) }
        var chunk = [UInt8](repeating: 0, count: maximum)
        let count = recv(fd, &chunk, chunk.count, 0)
        if count > 0 { return .success(Array(chunk[0..<count])) }
        if count == 0 { return .failure(.endOfStream) }
        return .failure(errno == ECONNRESET ? .reset : .other(errno))
    }

    /// Exactly `count` bytes, or how the stream ended first (with what came before).
    func receive(exactly count: Int, timeout: Double = 10) -> (bytes: [UInt8], failure: Failure?) {
        var bytes: [UInt8] = []
        while bytes.count < count {
            switch receive(maximum: min(65536, count - bytes.count), timeout: timeout) {
            case .success(let more): bytes += more
            case .failure(let failure): return (bytes, failure)
            }
        }
        return (bytes, nil)
    }

    /// Sends `chunk` again and again without blocking until nothing more is taken for
    /// `stallSeconds` or `limit` bytes went out; returns the bytes sent.
    func sendUntilStalled(_ chunk: [UInt8], limit: Int, stallSeconds: Double = 1) -> Int {
        var total = 0
        while total < limit {
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            if poll(&poller, 1, Int32(stallSeconds * 1000)) == 0 { break }
            let count = chunk.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT)) }
            if count > 0 { total += count } else if errno != EAGAIN && errno != EINTR { break }
        }
        return total
    }
}
