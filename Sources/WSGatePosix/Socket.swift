import CWSGateLinux
import Glibc

/// Socket calls: creating listeners, accepting, addresses and options.
///
/// Why it exists: these are the only places the gateway calls the BSD socket API; everything
/// comes back as owned `FileDescriptor`s and `SocketAddress`es, created non-blocking and
/// close-on-exec in the same call so no descriptor can leak into a spawned program.
public enum Socket {
    /// How a listener is set up.
    public struct ListenOptions: Sendable {
        public var backlog: Int32 = 1024
        /// `SO_REUSEPORT`, so several event loops can each own a listener on the same port.
        public var reusePort = false
        /// For an IPv6 wildcard: also accept IPv4 (dual stack), as "all interfaces" means.
        public var dualStack = false
        public init() {}
    }

    /// A non-blocking listening stream socket bound to `address`.
    public static func listen(on address: SocketAddress, options: ListenOptions = ListenOptions()) throws(IOError) -> FileDescriptor {
        let type = Int32(bitPattern: SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue)
        let family = address.family
        let fd = FileDescriptor(taking: try syscallValue("socket") { Glibc.socket(family, type, 0) })
        do {
            if !address.isUnix {
                try setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
                if options.reusePort { try setOption(fd, SOL_SOCKET, SO_REUSEPORT, 1) }
            }
            if address.isIPv6 { try setOption(fd, Int32(IPPROTO_IPV6), IPV6_V6ONLY, options.dualStack ? 0 : 1) }
            let raw = fd.rawValue
            _ = try address.withSockAddr { (pointer, length) throws(IOError) in
                try syscallValue("bind") { Glibc.bind(raw, pointer, length) }
            }
            _ = try syscallValue("listen") { Glibc.listen(raw, options.backlog) }
        } catch {
            fd.close()
            throw error
        }
        return fd
    }

    /// Accepts one pending connection, non-blocking and close-on-exec.
    public static func accept(_ listener: FileDescriptor) throws(IOError) -> IOResult<(FileDescriptor, SocketAddress?)> {
        let raw = listener.rawValue
        var accepted: Int32 = -1
        let peer = try SocketAddress.receive { (pointer, length) throws(IOError) in
            let flags = Int32(bitPattern: SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue)
            switch try syscall("accept4", { CWSGateLinux_accept4(raw, pointer, length, flags) }) {
            case .processed(let fd): accepted = fd
            case .wouldBlock: accepted = -1
            }
        }
        guard accepted >= 0 else { return .wouldBlock }
        return .processed((FileDescriptor(taking: accepted), peer))
    }

    /// The address a socket is bound to (the real port after binding port 0).
    public static func localAddress(_ socket: FileDescriptor) throws(IOError) -> SocketAddress? {
        let raw = socket.rawValue
        return try SocketAddress.receive { (pointer, length) throws(IOError) in
            _ = try syscallValue("getsockname") { getsockname(raw, pointer, length) }
        }
    }

    /// Turns Nagle's algorithm off: relayed messages go out at once.
    public static func setNoDelay(_ socket: FileDescriptor) throws(IOError) {
        try setOption(socket, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
    }

    /// Ends our sending direction (FIN) while still reading.
    public static func shutdownWrite(_ socket: FileDescriptor) throws(IOError) {
        let raw = socket.rawValue
        switch try syscall("shutdown", { Glibc.shutdown(raw, Int32(SHUT_WR)) }) {
        case .processed, .wouldBlock: return
        }
    }

    /// `true` when this machine can create IPv6 sockets.
    public static var supportsIPv6: Bool {
        let type = Int32(bitPattern: SOCK_STREAM.rawValue | SOCK_CLOEXEC.rawValue)
        let fd = Glibc.socket(AF_INET6, type, 0)
        if fd < 0 { return false }
        Glibc.close(fd)
        return true
    }

    static func setOption(_ socket: FileDescriptor, _ level: Int32, _ name: Int32, _ value: Int32) throws(IOError) {
        var value = value
        let raw = socket.rawValue
        _ = try syscallValue("setsockopt") {
            setsockopt(raw, level, name, &value, socklen_t(MemoryLayout<Int32>.size))
        }
    }
}

extension Socket {
    /// A connected pair of non-blocking, close-on-exec Unix stream sockets (tests, wake-ups).
    public static func pair() throws(IOError) -> (FileDescriptor, FileDescriptor) {
        var fds: [Int32] = [-1, -1]
        let type = Int32(bitPattern: SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue)
        _ = try syscallValue("socketpair") { socketpair(AF_UNIX, type, 0, &fds) }
        return (FileDescriptor(taking: fds[0]), FileDescriptor(taking: fds[1]))
    }

    /// Sets the kernel's send buffer size (tests use a small one to provoke backpressure).
    public static func setSendBufferSize(_ socket: FileDescriptor, _ bytes: Int) throws(IOError) {
        try setOption(socket, SOL_SOCKET, SO_SNDBUF, Int32(bytes))
    }
}

extension Socket {
    /// Starts a non-blocking connection to `address`. Returns the socket and whether it is
    /// already connected; if not, wait for writability and check `pendingError`.
    public static func connect(to address: SocketAddress) throws(IOError) -> (socket: FileDescriptor, isConnected: Bool) {
        let type = Int32(bitPattern: SOCK_STREAM.rawValue | SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue)
        let family = address.family
        let fd = FileDescriptor(taking: try syscallValue("socket") { Glibc.socket(family, type, 0) })
        let raw = fd.rawValue
        let result = try address.withSockAddr { (pointer, length) throws(IOError) -> Int32 in
            Glibc.connect(raw, pointer, length) == 0 ? 0 : errno
        }
        switch result {
        case 0:
            return (fd, true)
        case EINPROGRESS, EAGAIN, EINTR:
            return (fd, false)
        default:
            fd.close()
            throw IOError(errno: result, function: "connect")
        }
    }

    /// The error a non-blocking connect ended with (`SO_ERROR`), or nil if it succeeded.
    public static func pendingError(_ socket: FileDescriptor) -> IOError? {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        if getsockopt(socket.rawValue, SOL_SOCKET, SO_ERROR, &value, &length) != 0 {
            return IOError(errno: errno, function: "getsockopt")
        }
        return value == 0 ? nil : IOError(errno: value, function: "connect")
    }

    /// Waits (blocking, with poll) until `socket` is writable or `timeoutMilliseconds` pass;
    /// for tools and start-up code only, never on an event loop.
    public static func waitUntilWritable(_ socket: FileDescriptor, timeoutMilliseconds: Int32) -> Bool {
        var poller = pollfd(fd: socket.rawValue, events: Int16(POLLOUT), revents: 0)
        return poll(&poller, 1, timeoutMilliseconds) == 1
    }
}
