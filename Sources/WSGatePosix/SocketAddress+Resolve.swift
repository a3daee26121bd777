import CWSGateLinux
import Glibc

extension SocketAddress {
    /// Resolves a listen or backend host (IP literal, `[v6]`, or a name) to addresses with `port`.
    /// Names go through `getaddrinfo` (blocking: call at start-up, not on the loop's hot path).
    public static func resolve(host: String, port: Int) throws(IOError) -> [SocketAddress] {
        guard (0...65535).contains(port) else { throw IOError(resolving: host, message: "port \(port) out of range") }
        if let literal = SocketAddress(ipLiteral: host, port: port) { return [literal] }
        var hints = addrinfo()
        hints.ai_socktype = Int32(bitPattern: SOCK_STREAM.rawValue)
        hints.ai_family = AF_UNSPEC
        var list: UnsafeMutablePointer<addrinfo>?
        let status = getaddrinfo(host, nil, &hints, &list)
        guard status == 0, let first = list else {
            let text = status == EAI_SYSTEM ? IOError.message(errno) : String(cString: gai_strerror(status))
            throw IOError(resolving: host, message: text)
        }
        defer { freeaddrinfo(first) }
        var results: [SocketAddress] = []
        var cursor: UnsafeMutablePointer<addrinfo>? = first
        while let entry = cursor {
            if let raw = entry.pointee.ai_addr, let address = SocketAddress(storage: UnsafeRawPointer(raw)) {
                let withPort = address.withPort(port)
                if !results.contains(withPort) { results.append(withPort) }
            }
            cursor = entry.pointee.ai_next
        }
        return results
    }

    /// The same address with another port.
    public func withPort(_ port: Int) -> SocketAddress {
        switch storage {
        case .v4(let host, _): return SocketAddress(.v4(host: host, port: UInt16(port)))
        case .v6(let host, _, let scope): return SocketAddress(.v6(host: host, port: UInt16(port), scope: scope))
        case .unix: return self
        }
    }
}

extension IOError {
    /// A name that could not be resolved; `errno` is 0 and the resolver's text is the function.
    init(resolving host: String, message: String) {
        self.init(errno: 0, function: "lookup \(host): \(message)")
    }
}
