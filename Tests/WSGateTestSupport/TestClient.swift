import CWSGateLinux
import Glibc
public import WSGateWebSocket

/// A deliberately simple WebSocket client over a raw loopback socket, for integration tests.
///
/// Why it exists: tests must be able to send anything (half a header, garbage, invalid frames)
/// and see exactly what the gateway answers, byte for byte, with a deadline on every wait. A
/// real client library would hide exactly the bytes these tests look at.
public final class TestClient {
    var fd: Int32
    private var received: [UInt8] = []

    /// An HTTP response head (and body, if Content-Length says so).
    public struct HTTPResponse {
        public var status: Int
        public var headers: [(name: String, value: String)]
        public var body: String
        public func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    /// A frame as the server sent it (unmasked).
    public struct Frame: Equatable, CustomStringConvertible {
        public var fin: Bool
        public var opcode: WebSocketOpcode
        public var payload: [UInt8]
        /// RSV1: the payload is compressed with permessage-deflate (RFC 7692 §6).
        public var compressed = false
        public var text: String { String(decoding: payload, as: UTF8.self) }
        /// For a close frame: the status code (nil when the payload is empty).
        public var closeCode: UInt16? {
            payload.count >= 2 ? UInt16(payload[0]) << 8 | UInt16(payload[1]) : nil
        }
        public var description: String { "Frame(\(opcode), fin: \(fin), \(payload.count) bytes)" }
    }

    /// Connects to `host` (an IPv4 or IPv6 literal) on `port`, from `source` (an IPv4 literal,
    /// e.g. `127.0.0.2` to be another loopback client) when given.
    public init(port: Int, host: String = "127.0.0.1", source: String? = nil) throws {
        let isIPv6 = host.contains(":")
        fd = socket(isIPv6 ? AF_INET6 : AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: errno \(errno)") }
        if let source {
            var local = sockaddr_in()
            local.sin_family = sa_family_t(AF_INET)
            inet_pton(AF_INET, source, &local.sin_addr)
            let bound = withUnsafePointer(to: &local) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0 else {
                let err = errno
                Glibc.close(fd)
                throw TestFailure("bind to \(source): errno \(err)")
            }
        }
        let result: Int32
        if isIPv6 {
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = UInt16(port).bigEndian
            inet_pton(AF_INET6, host, &address.sin6_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        } else {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = UInt16(port).bigEndian
            inet_pton(AF_INET, host, &address.sin_addr)
            result = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        }
        guard result == 0 else {
            let err = errno
            Glibc.close(fd)
            throw TestFailure("connect to \(host):\(port): errno \(err)")
        }
    }

    /// Connects to the Unix stream socket at `unixPath` (`--unixsocket`).
    public init(unixPath: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw TestFailure("socket: errno \(errno)") }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(unixPath.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else {
            Glibc.close(fd)
            throw TestFailure("Unix socket path too long: \(unixPath)")
        }
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: bytes) }
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard result == 0 else {
            let err = errno
            Glibc.close(fd)
            throw TestFailure("connect to \(unixPath): errno \(err)")
        }
    }

    deinit { close() }

    /// Closes the socket (idempotent).
    public func close() {
        if fd >= 0 { Glibc.close(fd) }
        fd = -1
    }

    /// Half-closes: the gateway sees EOF while we can still read.
    public func shutdownWrite() {
        shutdown(fd, Int32(SHUT_WR))
    }

    // MARK: - Sending

    public func send(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let count = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw TestFailure("send: errno \(errno)")
            }
            offset += count
        }
    }

    public func send(_ text: String) throws { try send(Array(text.utf8)) }

    /// Sends `bytes` repeatedly until the gateway stops taking them for `stallSeconds` (its
    /// buffers and the kernel's are full) or `limit` bytes went out; returns the bytes sent.
    public func sendUntilStalled(_ bytes: [UInt8], limit: Int, stallSeconds: Double = 1) throws -> Int {
        var total = 0
        var offset = 0
        while total < limit {
            var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            if poll(&poller, 1, Int32(stallSeconds * 1000)) == 0 { return total }
            let count = bytes[offset...].withUnsafeBytes {
                Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL | MSG_DONTWAIT))
            }
            if count < 0 {
                if errno == EAGAIN || errno == EINTR { continue }
                throw TestFailure("send: errno \(errno)")
            }
            total += count
            offset = (offset + count) % bytes.count
        }
        return total
    }

    /// Sends an upgrade request for `path` with `Host: host` and reads the response head.
    public func upgrade(path: String = "/", host: String = "127.0.0.1", headers: [(String, String)] = [],
                        timeout: Double = 10) throws -> HTTPResponse {
        var request = "GET \(path) HTTP/1.1\r\nHost: \(host)\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        request += "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        request += "\r\n"
        try send(request)
        return try readHTTPResponse(timeout: timeout)
    }

    // MARK: - Receiving

    /// Reads an HTTP response head plus its body: by Content-Length, chunked, or (`bodyToEOF`,
    /// without either) up to the close; none for the answer to a HEAD (`toHead`).
    public func readHTTPResponse(timeout: Double = 10, toHead: Bool = false, bodyToEOF: Bool = false) throws -> HTTPResponse {
        let deadline = TestDeadline(seconds: timeout)
        let terminator: [UInt8] = [13, 10, 13, 10]
        var end: Int?
        while end == nil {
            if let index = received.indices.first(where: { received[$0...].starts(with: terminator) }) {
                end = index
            } else if try !fill(deadline) {
                throw TestFailure("connection closed before a complete response head; got: \(String(decoding: received, as: UTF8.self))")
            }
        }
        let headText = String(decoding: received[..<end!], as: UTF8.self)
        received.removeFirst(end! + 4)
        var lines = headText.components(separatedBy: "\r\n")
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else {
            throw TestFailure("bad status line in \(headText)")
        }
        let headers = lines.map { line -> (name: String, value: String) in
            let parts = line.split(separator: ":", maxSplits: 1)
            return (String(parts[0]), parts.count > 1 ? String(parts[1].drop { $0 == " " }) : "")
        }
        var response = HTTPResponse(status: status, headers: headers, body: "")
        if !toHead, response.header("Transfer-Encoding") == "chunked" {
            response.body = String(decoding: try readChunkedBody(deadline), as: UTF8.self)
        } else if !toHead, bodyToEOF, response.header("Content-Length") == nil {
            while try fill(deadline) {}
            response.body = String(decoding: received, as: UTF8.self)
            received.removeAll()
        } else if !toHead, let length = response.header("Content-Length").flatMap({ Int($0) }) {
            while received.count < length {
                if try !fill(deadline) { break }
            }
            response.body = String(decoding: received.prefix(length), as: UTF8.self)
            received.removeFirst(min(length, received.count))
        }
        return response
    }

    /// The chunked body of a response whose head was read alone (`toHead`), as text.
    public func readChunkedBody(timeout: Double = 10) throws -> String {
        String(decoding: try readChunkedBody(TestDeadline(seconds: timeout)), as: UTF8.self)
    }

    /// Whatever arrives next (at least one byte), as text.
    public func readAvailableText(timeout: Double = 10) throws -> String {
        if received.isEmpty, try !fill(TestDeadline(seconds: timeout)) { throw TestFailure("connection closed") }
        defer { received.removeAll() }
        return String(decoding: received, as: UTF8.self)
    }

    /// The bytes that arrive next (at least one); empty at EOF.
    public func readAvailable(timeout: Double = 10) throws -> [UInt8] {
        if received.isEmpty, try !fill(TestDeadline(seconds: timeout)) { return [] }
        defer { received.removeAll() }
        return received
    }

    /// Reads what arrives next and returns its size; 0 at EOF.
    public func readAvailableBytes(timeout: Double = 10) throws -> Int {
        if received.isEmpty, try !fill(TestDeadline(seconds: timeout)) { return 0 }
        defer { received.removeAll() }
        return received.count
    }

    /// A chunked body (RFC 9112 §7.1), decoded; trailers are skipped.
    private func readChunkedBody(_ deadline: TestDeadline) throws -> [UInt8] {
        var body: [UInt8] = []
        func line() throws -> String {
            while true {
                if let index = received.indices.first(where: { received[$0...].starts(with: [13, 10]) }) {
                    let text = String(decoding: received[..<index], as: UTF8.self)
                    received.removeFirst(index + 2)
                    return text
                }
                guard try fill(deadline) else { throw TestFailure("connection closed inside a chunked body") }
            }
        }
        while true {
            guard let size = Int(try line().prefix { $0 != ";" }, radix: 16) else { throw TestFailure("bad chunk size") }
            if size == 0 {
                while try !line().isEmpty {}
                return body
            }
            while received.count < size + 2 {
                guard try fill(deadline) else { throw TestFailure("connection closed inside a chunk") }
            }
            body += received.prefix(size)
            guard received[size] == 13, received[size + 1] == 10 else { throw TestFailure("chunk not followed by CRLF") }
            received.removeFirst(size + 2)
        }
    }

    /// Reads the next frame the server sent.
    public func readFrame(timeout: Double = 10) throws -> Frame {
        let deadline = TestDeadline(seconds: timeout)
        while true {
            if let frame = try parseFrame() { return frame }
            if try !fill(deadline) {
                throw TestFailure("connection closed before a complete frame (\(received.count) bytes pending)")
            }
        }
    }

    /// Reads frames until a whole message (or a control frame) arrived.
    public func readMessage(timeout: Double = 10) throws -> Frame {
        var first = try readFrame(timeout: timeout)
        while !first.fin {
            let next = try readFrame(timeout: timeout)
            first.payload += next.payload
            first.fin = next.fin
        }
        return first
    }

    /// `true` if the server closed the connection (EOF or reset) before `timeout`, with nothing
    /// else pending; throws if more bytes arrive instead.
    public func waitForEOF(timeout: Double = 10) throws -> Bool {
        let deadline = TestDeadline(seconds: timeout)
        while true {
            do {
                if try !fill(deadline) { return received.isEmpty }
            } catch let failure as TestFailure where failure.description.hasPrefix("timeout") {
                return false
            }
            if !received.isEmpty {
                throw TestFailure("expected EOF but received \(received.count) bytes")
            }
        }
    }

    /// Reads more bytes; false on EOF/reset; throws on timeout.
    func fill(_ deadline: TestDeadline) throws -> Bool {
        var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        let ready = poll(&poller, 1, deadline.remainingMilliseconds)
        if ready == 0 { throw TestFailure("timeout waiting for data from the gateway") }
        var chunk = [UInt8](repeating: 0, count: 65536)
        let count = recv(fd, &chunk, chunk.count, 0)
        if count <= 0 { return false }
        received += chunk[0..<count]
        return true
    }

    func parseFrame() throws -> Frame? {
        guard received.count >= 2 else { return nil }
        let fin = received[0] & 0x80 != 0
        let compressed = received[0] & 0x40 != 0
        let opcode = WebSocketOpcode(rawValue: received[0] & 0x0F)
        if received[1] & 0x80 != 0 { throw TestFailure("server frame is masked") }
        var length = Int(received[1] & 0x7F)
        var offset = 2
        if length == 126 {
            guard received.count >= 4 else { return nil }
            length = Int(received[2]) << 8 | Int(received[3])
            offset = 4
        } else if length == 127 {
            guard received.count >= 10 else { return nil }
            length = received[2..<10].reduce(0) { $0 << 8 | Int($1) }
            offset = 10
        }
        guard received.count >= offset + length else { return nil }
        let payload = Array(received[offset..<offset + length])
        received.removeFirst(offset + length)
        return Frame(fin: fin, opcode: opcode, payload: payload, compressed: compressed)
    }
}

extension String {
    fileprivate func components(separatedBy separator: String) -> [String] {
        var parts: [String] = []
        var rest = Substring(self)
        while let range = rest.firstRange(of: separator) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }
}
