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
