import CWSGateLinux
import Glibc

/// The socket calls TCPTestBackend's threads make: listening, and reads and writes on
/// non-blocking sockets that wait with poll(2) on the socket AND on a stop eventfd.
///
/// Why it exists: a test server thread blocked in read(2) or write(2) could never be stopped;
/// every wait here also wakes when `stop` becomes readable, so `TCPTestBackend.stop()` ends
/// every thread promptly. It must only be used by test servers (it trusts its callers).
enum BackendSocket {
    /// What a read gave.
    enum ReadResult {
        case bytes([UInt8])
        /// The peer ended its side (FIN).
        case endOfInput
        /// read(2) failed with this errno (ECONNRESET…).
        case failed(Int32)
        /// The server is stopping.
        case stopped
    }

    /// How a write ended.
    enum WriteResult: Equatable {
        case written
        case failed(Int32)
        case stopped
    }

    /// The size of each read.
    static let readSize = 65536

    /// A socket listening on 127.0.0.1 port 0; returns it and the port the kernel chose.
    static func listenTCP() throws -> (fd: Int32, port: Int) {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("backend socket: errno \(errno)") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(fd, pointer, length) == 0 && getsockname(fd, pointer, &length) == 0
            }
        }
        guard bound, listen(fd, 128) == 0 else {
            let error = errno
            close(fd)
            throw TestFailure("backend bind/listen on 127.0.0.1:0: errno \(error)")
        }
        return (fd, Int(UInt16(bigEndian: address.sin_port)))
    }

    /// A socket listening at the Unix-socket `path` (an old socket file there is removed).
    static func listenUnix(path: String) throws -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        let bytes = Array(path.utf8)
        guard !bytes.isEmpty, bytes.count < capacity else {
            throw TestFailure("Unix socket path too long (\(bytes.count) bytes, at most \(capacity - 1)): \(path)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("backend socket: errno \(errno)") }
        unlink(path)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0
            }
        }
        guard bound, listen(fd, 128) == 0 else {
            let error = errno
            close(fd)
            throw TestFailure("backend bind/listen on \(path): errno \(error)")
        }
        return fd
    }

    /// Waits until `fd` has one of `events` (or an error/hangup); false once `stop` fires.
    static func wait(for events: Int32, on fd: Int32, stop: Int32) -> Bool {
        var pollers = [pollfd(fd: fd, events: Int16(events), revents: 0),
                       pollfd(fd: stop, events: Int16(POLLIN), revents: 0)]
        while true {
            let ready = poll(&pollers, 2, -1)
            if ready < 0 && errno == EINTR { continue }
            if ready < 0 || pollers[1].revents != 0 { return false }
            if pollers[0].revents != 0 { return true }
        }
    }

    /// Accepts one connection, non-blocking and close-on-exec; nil once `stop` fires.
    static func accept(_ listener: Int32, stop: Int32) -> Int32? {
        while wait(for: POLLIN, on: listener, stop: stop) {
            let fd = CWSGateLinux_accept4(listener, nil, nil, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
            if fd >= 0 { return fd }
            // EAGAIN (the client went away first), EINTR, ECONNABORTED: wait again.
        }
        return nil
    }

    /// Reads what is there (up to `readSize` bytes), waiting for it.
    static func read(_ fd: Int32, stop: Int32, maximum: Int = readSize) -> ReadResult {
        var chunk = [UInt8](repeating: 0, count: maximum)
        while true {
            guard wait(for: POLLIN, on: fd, stop: stop) else { return .stopped }
            let count = recv(fd, &chunk, chunk.count, 0)
            if count > 0 { return .bytes(Array(chunk[0..<count])) }
            if count == 0 { return .endOfInput }
            if errno == EAGAIN || errno == EINTR { continue }
            return .failed(errno)
        }
    }

    /// Writes all of `bytes`, waiting whenever the socket is full; `wrote` is told every
    /// completed write's size. With `received`, what arrives while it waits for room is read
    /// and handed to it (nil once at EOF), so a writer never stops its peer from sending.
    static func write(_ fd: Int32, _ bytes: [UInt8], stop: Int32, wrote: (Int) -> Void = { _ in },
                      received: (([UInt8]?) -> Void)? = nil) -> WriteResult {
        var offset = 0
        var reading = received != nil
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes {
                send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if count > 0 {
                offset += count
                wrote(count)
                continue
            }
            if count < 0 && errno == EINTR { continue }
            guard count < 0 && errno == EAGAIN else { return .failed(count == 0 ? EPIPE : errno) }
            guard wait(for: reading ? POLLOUT | POLLIN : POLLOUT, on: fd, stop: stop) else { return .stopped }
            if reading, let received {
                var chunk = [UInt8](repeating: 0, count: readSize)
                let got = recv(fd, &chunk, chunk.count, Int32(MSG_DONTWAIT))
                if got > 0 {
                    received(Array(chunk[0..<got]))
                } else if got == 0 {
                    received(nil)
                    reading = false
                } else if errno != EAGAIN && errno != EINTR {
                    reading = false
                }
            }
        }
        return .written
    }

    /// Closes `fd` with SO_LINGER 0: the kernel sends RST instead of FIN.
    static func resetAndClose(_ fd: Int32) {
        var linger = Glibc.linger(l_onoff: 1, l_linger: 0)
        setsockopt(fd, SOL_SOCKET, SO_LINGER, &linger, socklen_t(MemoryLayout<Glibc.linger>.size))
        close(fd)
    }
}
