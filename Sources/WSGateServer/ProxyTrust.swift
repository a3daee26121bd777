import WSGateConfig
import WSGateCore
import WSGateHTTP

/// What `--trusted-proxy`, `--accept-proxy-protocol` and `--forwarded-header` decide about a
/// connection's client: whether it must begin with a PROXY header, what its first bytes
/// amount to, and which address a request came from.
///
/// Why it exists: the decisions are pure (peer, flags, bytes, headers in; an answer out), so
/// they are kept apart from the connection's I/O and tested on values. Only built with
/// `--trusted-proxy`: without it a connection never consults this, at no cost.
struct ProxyTrust: Sendable {
    let trusted: TrustedProxies
    /// `--accept-proxy-protocol`.
    let acceptsProxyProtocol: Bool
    /// The forwarding header's walk; nil with `--forwarded-header=none`.
    let resolver: ClientAddressResolver?

    /// What the first bytes from a peer that must send a PROXY header amount to.
    enum HeaderStep: Equatable {
        /// Not enough bytes yet.
        case needMore
        /// A valid header of `consumed` bytes; `client` is nil when it keeps the peer (v2
        /// LOCAL, v1 UNKNOWN, a family other than TCP).
        case header(client: ClientAddress?, version: ProxyHeader.Version, consumed: Int)
        /// No valid header: the log's reason, and whether the bytes look like HTTP (then a 400
        /// is worth sending; otherwise the connection is just closed).
        case refuse(reason: String, looksLikeHTTP: Bool)
    }

    init(trusted: TrustedProxies, acceptsProxyProtocol: Bool, forwardedHeader: ForwardedHeaderChoice) {
        self.trusted = trusted
        self.acceptsProxyProtocol = acceptsProxyProtocol
        resolver = switch forwardedHeader {
        case .xForwardedFor: ClientAddressResolver(trusted: trusted, header: .xForwardedFor)
        case .forwarded: ClientAddressResolver(trusted: trusted, header: .forwarded)
        case .none: nil
        }
    }

    /// nil without `--trusted-proxy`. (The command line checked every value.)
    init?(config: GatewayConfig) {
        var trusted = TrustedProxies()
        for value in config.trustedProxies { try? trusted.append(parsing: value) }
        guard !trusted.isEmpty else { return nil }
        self.init(trusted: trusted, acceptsProxyProtocol: config.acceptProxyProtocol,
                  forwardedHeader: config.forwardedHeader)
    }

    /// Whether a connection from `peer` must begin with a PROXY header (never guessed: only
    /// with `--accept-proxy-protocol`, only from a trusted peer).
    func expectsProxyHeader(from peer: IPAddress?) -> Bool {
        guard acceptsProxyProtocol, let peer else { return false }
        return trusted.contains(peer)
    }

    /// The answer for the bytes a header-sending peer sent so far (none consumed).
    static func headerStep(_ bytes: ByteBuffer) -> HeaderStep {
        switch ProxyProtocolParser.parse(bytes) {
        case .needMore where bytes.readableBytes < ProxyProtocolParser.maxV2HeaderBytes:
            return .needMore
        case .needMore:
            return .refuse(reason: "PROXY protocol header longer than \(ProxyProtocolParser.maxV2HeaderBytes) bytes",
                           looksLikeHTTP: false)
        case .absent:
            return .refuse(reason: "no PROXY protocol header", looksLikeHTTP: looksLikeHTTP(bytes))
        case .invalid(let error):
            return .refuse(reason: "invalid PROXY protocol header: \(error)", looksLikeHTTP: false)
        case .header(let header, let consumed):
            let client = header.endpoints.map { ClientAddress(address: $0.source.ipAddress, port: $0.source.port) }
            return .header(client: client, version: header.version, consumed: consumed)
        }
    }

    /// Whether bytes an HTTP parser refused begin with a PROXY signature (for the log line).
    static func startsWithProxySignature(_ bytes: ByteBuffer) -> Bool {
        bytes.readableBytes >= 6 && ProxyProtocolParser.parse(bytes) != .absent
    }

    /// The client of a request on a connection whose client is `connection` (the peer, or a
    /// PROXY header's source): a forwarding header is read only if `connection` is trusted.
    func client(of headers: HTTPHeaders, connection: ClientAddress) -> ClientAddress {
        resolver?.resolve(peer: connection.address, port: connection.port, headers: headers) ?? connection
    }

    /// An upper-case letter first: the start of a request method.
    private static func looksLikeHTTP(_ bytes: ByteBuffer) -> Bool {
        bytes.withUnsafeReadableBytes { $0.first.map { (0x41...0x5A).contains($0) } ?? false }
    }
}
