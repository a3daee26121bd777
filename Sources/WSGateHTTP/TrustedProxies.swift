/// The peers whose `X-Forwarded-For` or `Forwarded` header wsgate believes: the networks of
/// `--trusted-proxy=CIDR[,CIDR…]`.
///
/// Why it exists: those headers are plain request text that any client can write, so they may
/// only replace the socket's peer address when the peer is a proxy the operator vouches for,
/// and only as far back as the chain of such proxies reaches. An empty list trusts nobody.
public struct TrustedProxies: Sendable, Equatable {
    /// The trusted networks, in the order given.
    public private(set) var networks: [IPNetwork]

    /// Trusts exactly `networks` (none by default).
    public init(_ networks: [IPNetwork] = []) {
        self.networks = networks
    }

    /// Parses one `--trusted-proxy` value: networks separated by commas, spaces around them
    /// ignored. An empty element (`a,,b`, a trailing comma) is refused like any malformed one.
    public init(parsing list: String) throws(IPNetworkError) {
        networks = []
        try append(parsing: list)
    }

    /// Adds the networks of another `--trusted-proxy` value (the flag is repeatable).
    public mutating func append(parsing list: String) throws(IPNetworkError) {
        for element in list.split(separator: ",", omittingEmptySubsequences: false) {
            var trimmed = element
            while trimmed.first == " " { trimmed.removeFirst() }
            while trimmed.last == " " { trimmed.removeLast() }
            networks.append(try IPNetwork(parsing: String(trimmed)))
        }
    }

    /// Whether no network is trusted (then no header is ever believed).
    public var isEmpty: Bool { networks.isEmpty }

    /// Whether `address` (IPv4-mapped or not) lies in one of the networks.
    public func contains(_ address: IPAddress) -> Bool {
        networks.contains { $0.contains(address) }
    }
}
