/// Decides the client address of a request from the socket peer and a forwarding header.
///
/// Why it exists: RFC 7239 §8.1, "The "Forwarded" HTTP header field cannot be relied upon to be
/// correct, as it may be modified [...] by every node on the way to the server, including the
/// client making the request" (and `X-Forwarded-For` no less). An entry is only as good as the
/// proxy that appended it, so the header is believed only as far back as the chain of trusted
/// proxies reaches:
///
/// - a peer outside `trusted` is the client, and the header is ignored;
/// - otherwise the hops are walked from the right (the nearest proxy's entry): a trusted hop
///   is skipped, the first untrusted hop is the client, and if every hop is trusted the
///   left-most is (nginx's `real_ip_recursive on`);
/// - an unusable hop (`unknown`, `_hidden`, malformed) ends the walk: nothing behind it can be
///   checked, so the answer is the last hop walked, or the peer if none was (nginx likewise
///   keeps the last address it could parse). Ignoring the whole header instead would discard
///   the trusted proxies' valid entries to the right of it for no gain;
/// - at most `hopLimit` hops are considered; past that the left-most one considered wins,
///   which is still an address some trusted proxy wrote.
public struct ClientAddressResolver: Sendable {
    /// How many hops are walked at most unless told otherwise.
    public static let defaultHopLimit = 32

    public let trusted: TrustedProxies
    public let header: ForwardedHeader
    public let hopLimit: Int

    public init(trusted: TrustedProxies, header: ForwardedHeader = .xForwardedFor, hopLimit: Int = defaultHopLimit) {
        self.trusted = trusted
        self.header = header
        self.hopLimit = max(hopLimit, 0)
    }

    /// The client of a request that arrived from `peer` (port `port`) with `headers`.
    public func resolve(peer: IPAddress, port: UInt16?, headers: HTTPHeaders) -> ClientAddress {
        let socket = ClientAddress(address: peer, port: port)
        guard trusted.contains(peer), let value = headers.combinedValue(header.fieldName) else { return socket }
        var client = socket
        for hop in header.hops(in: value, limit: hopLimit).reversed() {
            guard case .address(let address, let hopPort) = hop else { break }
            client = ClientAddress(address: address, port: hopPort, source: header)
            if !trusted.contains(address) { break }
        }
        return client
    }
}
