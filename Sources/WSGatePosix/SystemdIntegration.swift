import CWSGateLinux
import Glibc

/// The two systemd protocols a service speaks without libsystemd: readiness notification and
/// socket activation.
///
/// Why it exists: `Type=notify` lets systemd (and `systemctl start`) know when wsgate really
/// listens, and socket activation lets systemd hold the listening socket across restarts so no
/// connection attempt is refused. Both are tiny: one datagram to `$NOTIFY_SOCKET`, and
/// descriptors from 3 on described by `$LISTEN_PID` / `$LISTEN_FDS` (sd_notify(3),
/// sd_listen_fds(3)). Outside systemd both are no-ops.
public enum SystemdIntegration {
    /// Sends `state` (e.g. `READY=1\nSTATUS=…`) to the service manager, if there is one.
    /// Returns `true` if a datagram was sent.
    @discardableResult
    public static func notify(_ state: String) -> Bool {
        guard let socketPath = SystemInfo.environment["NOTIFY_SOCKET"], !socketPath.isEmpty else { return false }
        // "@name" is an abstract socket: the first path byte is NUL.
        var path = Array(socketPath.utf8)
        if path.first == UInt8(ascii: "@") { path[0] = 0 }
        guard path.first == UInt8(ascii: "/") || path.first == 0,
              path.count < MemoryLayout.size(ofValue: sockaddr_un().sun_path) else { return false }
        let fd = socket(AF_UNIX, Int32(bitPattern: SOCK_DGRAM.rawValue | SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: path) }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + path.count)
        let sent = Array(state.utf8).withUnsafeBytes { bytes in
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, bytes.baseAddress, bytes.count, Int32(MSG_NOSIGNAL), $0, length)
                }
            }
        }
        return sent == state.utf8.count
    }

    /// The listening sockets systemd passed (socket activation), made close-on-exec and
    /// non-blocking; empty when wsgate was not socket-activated. Descriptors that are not
    /// listening stream sockets are refused with an error naming them.
    public static func inheritedListeners() throws(IOError) -> [FileDescriptor] {
        let environment = SystemInfo.environment
        guard let pidText = environment["LISTEN_PID"], let pid = Int32(pidText), pid == getpid(),
              let countText = environment["LISTEN_FDS"], let count = Int32(countText), count > 0 else {
            return []
        }
        var listeners: [FileDescriptor] = []
        for raw in 3..<(3 + count) {
            var accepting: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            guard getsockopt(raw, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &length) == 0, accepting == 1 else {
                throw IOError(errno: ENOTSOCK, function: "socket activation: descriptor \(raw) is not a listening socket")
            }
            _ = fcntl(raw, F_SETFD, FD_CLOEXEC)
            let descriptor = FileDescriptor(taking: raw)
            try descriptor.setNonBlocking()
            listeners.append(descriptor)
        }
        return listeners
    }

    /// Another descriptor for the same listening socket (one per event loop), close-on-exec.
    public static func duplicate(_ listener: FileDescriptor) throws(IOError) -> FileDescriptor {
        let raw = listener.rawValue
        return FileDescriptor(taking: try syscallValue("fcntl") { fcntl(raw, F_DUPFD_CLOEXEC, 3) })
    }
}
