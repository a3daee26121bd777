/// Which forwarding header the trusted proxies maintain: exactly one is read.
///
/// Why it exists: a proxy appends to the header it is configured to write and passes any other
/// one through from the client untouched. Reading "whichever is present" would let a client
/// behind an nginx that writes `X-Forwarded-For` send its own `Forwarded: for=1.2.3.4` and be
/// believed. nginx avoids this the same way: `real_ip_header` "defines the request header
/// field whose value will be used to replace the client address", one field. The default is
/// `X-Forwarded-For`, what nginx's `$proxy_add_x_forwarded_for` and HAProxy's
/// `option forwardfor` write.
public enum ForwardedHeader: String, Sendable, Equatable, CaseIterable {
    /// The de facto `X-Forwarded-For: client, proxy1, proxy2`.
    case xForwardedFor = "X-Forwarded-For"
    /// RFC 7239 `Forwarded: for=192.0.2.60;proto=http, for="[2001:db8:cafe::17]:4711"`.
    case forwarded = "Forwarded"

    /// The field name to look up.
    public var fieldName: String { rawValue }

    /// The hops in `value` (all lines of the field combined, RFC 9110 §5.3), left (client side)
    /// to right (nearest proxy): only the last `limit`, since the walk never looks further.
    public func hops(in value: String, limit: Int) -> [ForwardedHop] {
        let elements = ForwardedListSplitter.lastElements(of: Array(value.utf8), limit: limit, quoting: self == .forwarded)
        switch self {
        case .xForwardedFor: return elements.map { ForwardedNode.hop($0, allowsBareIPv6: true) }
        case .forwarded: return elements.map(ForwardedElement.hop)
        }
    }
}
