import CWSGateLinux
import Glibc

/// PTR lookups for `--reverselookup` (REMOTE_HOST).
///
/// - Warning: blocking (it asks the resolver); never call it on an event loop's thread.
public enum ReverseLookup {
    /// The host name of `address`, or nil when it has none (or the lookup failed).
    public static func hostName(of address: SocketAddress) -> String? {
        var name = [CChar](repeating: 0, count: Int(NI_MAXHOST))
        let status = try? address.withSockAddr { (pointer, length) throws(IOError) -> Int32 in
            getnameinfo(pointer, length, &name, socklen_t(name.count), nil, 0, NI_NAMEREQD)
        }
        guard status == 0 else { return nil }
        return String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
