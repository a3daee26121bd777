import CWSGateLinux
import Glibc

// MARK: - Conversion to and from sockaddr (kept in this file: C types stop here)

extension SocketAddress {
    /// Calls `body` with this address as a `sockaddr` and its length.
    func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws(IOError) -> R) throws(IOError) -> R {
        switch storage {
        case .v4(let host, let port):
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = port.bigEndian
            address.sin_addr = in_addr(s_addr: host.bigEndian)
            return try withUnsafePointer(to: &address) { (pointer) throws(IOError) -> R in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (raw) throws(IOError) -> R in
                    try body(raw, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        case .v6(let host, let port, let scope):
            var address = sockaddr_in6()
            address.sin6_family = sa_family_t(AF_INET6)
            address.sin6_port = port.bigEndian
            address.sin6_scope_id = scope
            withUnsafeMutableBytes(of: &address.sin6_addr) { $0.copyBytes(from: host) }
            return try withUnsafePointer(to: &address) { (pointer) throws(IOError) -> R in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (raw) throws(IOError) -> R in
                    try body(raw, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        case .unix(let path):
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                raw.copyBytes(from: Array(path.utf8))
            }
            return try withUnsafePointer(to: &address) { (pointer) throws(IOError) -> R in
                try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (raw) throws(IOError) -> R in
                    try body(raw, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
        }
    }

    /// Reads an address the kernel filled in (accept, getsockname); nil for unknown families.
    init?(storage raw: UnsafeRawPointer) {
        let family = Int32(raw.load(as: sockaddr.self).sa_family)
        switch family {
        case AF_INET:
            let address = raw.load(as: sockaddr_in.self)
            self.init(.v4(host: UInt32(bigEndian: address.sin_addr.s_addr), port: UInt16(bigEndian: address.sin_port)))
        case AF_INET6:
            var address = raw.load(as: sockaddr_in6.self)
            let bytes = withUnsafeBytes(of: &address.sin6_addr) { [UInt8]($0) }
            let port = UInt16(bigEndian: address.sin6_port)
            // An IPv4 client of a dual-stack listener arrives as ::ffff:a.b.c.d; report it as the
            // IPv4 address it is (as websocketd does), in logs and REMOTE_ADDR.
            if bytes[0..<10].allSatisfy({ $0 == 0 }) && bytes[10] == 0xFF && bytes[11] == 0xFF {
                let v4 = bytes[12..<16].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
                self.init(.v4(host: v4, port: port))
            } else {
                self.init(.v6(host: bytes, port: port, scope: address.sin6_scope_id))
            }
        case AF_UNIX:
            var address = raw.load(as: sockaddr_un.self)
            let path = withUnsafeBytes(of: &address.sun_path) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            self.init(.unix(path: path))
        default:
            return nil
        }
    }

    /// Lets the kernel fill in an address (accept, getsockname, getpeername).
    static func receive(_ body: (UnsafeMutablePointer<sockaddr>, UnsafeMutablePointer<socklen_t>) throws(IOError) -> Void) throws(IOError) -> SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        try withUnsafeMutablePointer(to: &storage) { (pointer) throws(IOError) in
            try pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { (raw) throws(IOError) in
                try body(raw, &length)
            }
        }
        return withUnsafeBytes(of: &storage) { SocketAddress(storage: $0.baseAddress!) }
    }

    var family: Int32 {
        switch storage {
        case .v4: return AF_INET
        case .v6: return AF_INET6
        case .unix: return AF_UNIX
        }
    }
}
