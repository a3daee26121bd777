import CWSGateLinux
import Glibc

/// An IPv4, IPv6 or Unix-domain socket address.
///
/// Why it exists: listeners, accepted peers and socket backends all need to turn text into
/// `sockaddr` and back, and log lines and the CGI environment need the text form
/// (`127.0.0.1`, `::1`, port apart). Keeping the C structs inside this type keeps them out of
/// every layer above.
public struct SocketAddress: Sendable, Equatable, CustomStringConvertible {
    enum Storage: Equatable {
        case v4(host: UInt32, port: UInt16)                 // both in host byte order
        case v6(host: [UInt8], port: UInt16, scope: UInt32)  // 16 address bytes
        case unix(path: String)
    }

    let storage: Storage

    init(_ storage: Storage) { self.storage = storage }

    /// Parses an IP literal (`127.0.0.1`, `::1`, `[::1]`) with a port; nil if it is no literal.
    public init?(ipLiteral text: String, port: Int) {
        guard (0...65535).contains(port) else { return nil }
        var host = text
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            storage = .v4(host: UInt32(bigEndian: v4.s_addr), port: UInt16(port))
            return
        }
        var v6 = in6_addr()
        if !host.contains("%"), inet_pton(AF_INET6, host, &v6) == 1 {
            let bytes = withUnsafeBytes(of: &v6) { [UInt8]($0) }
            storage = .v6(host: bytes, port: UInt16(port), scope: 0)
            return
        }
        return nil
    }

    /// A Unix-domain socket path (at most 107 bytes, the kernel's limit).
    public init?(unixPath path: String) {
        guard !path.isEmpty, path.utf8.count < MemoryLayout.size(ofValue: sockaddr_un().sun_path) else { return nil }
        storage = .unix(path: path)
    }

    /// The wildcard address of each family, for "listen on all interfaces".
    /// (`port` must be in 0...65535; the command line checks it.)
    public static func anyIPv4(port: Int) -> SocketAddress { SocketAddress(.v4(host: 0, port: UInt16(port))) }
    public static func anyIPv6(port: Int) -> SocketAddress {
        SocketAddress(.v6(host: [UInt8](repeating: 0, count: 16), port: UInt16(port), scope: 0))
    }

    /// The address without the port: `127.0.0.1`, `::1`, or the socket path.
    public var host: String {
        switch storage {
        case .v4(let host, _):
            return Self.dottedDecimal(host)
        case .v6(let host, _, _):
            var address = in6_addr()
            withUnsafeMutableBytes(of: &address) { $0.copyBytes(from: host) }
            return Self.format(family: AF_INET6, &address)
        case .unix(let path):
            return path
        }
    }

    /// The port (0 for Unix sockets).
    public var port: Int {
        switch storage {
        case .v4(_, let port), .v6(_, let port, _): return Int(port)
        case .unix: return 0
        }
    }

    /// `true` for IPv6 addresses.
    public var isIPv6: Bool {
        if case .v6 = storage { return true }
        return false
    }

    /// `true` for Unix-domain addresses.
    public var isUnix: Bool {
        if case .unix = storage { return true }
        return false
    }

    /// `127.0.0.1:8080`, `[::1]:8080` or the socket path: the form URLs and logs use.
    public var description: String {
        switch storage {
        case .v4: return "\(host):\(port)"
        case .v6: return "[\(host)]:\(port)"
        case .unix(let path): return path
        }
    }

    private static func format<T>(family: Int32, _ address: inout T) -> String {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: Int(INET6_ADDRSTRLEN) + 1) { text in
            let written = withUnsafeBytes(of: &address) { raw in
                inet_ntop(family, raw.baseAddress, text.baseAddress, socklen_t(text.count))
            }
            guard written != nil, let base = text.baseAddress else { return "?" }
            return String(cString: base)
        }
    }

    /// "a.b.c.d" for a host-order IPv4 address, written here rather than by `inet_ntop`
    /// (which formats through `sprintf`): it names every connection's peer. At most 15
    /// bytes, so the string needs no allocation.
    static func dottedDecimal(_ address: UInt32) -> String {
        String(unsafeUninitializedCapacity: 15) { output in
            var end = 0
            for shift in stride(from: 24, through: 0, by: -8) {
                let octet = UInt8(truncatingIfNeeded: address >> UInt32(shift))
                if octet >= 100 { output[end] = UInt8(ascii: "0") + octet / 100; end += 1 }
                if octet >= 10 { output[end] = UInt8(ascii: "0") + octet / 10 % 10; end += 1 }
                output[end] = UInt8(ascii: "0") + octet % 10
                end += 1
                if shift > 0 { output[end] = UInt8(ascii: "."); end += 1 }
            }
            return end
        }
    }
}
