/// `--forwarded-header`: which forwarding header the trusted proxies maintain.
///
/// Why it exists: exactly one header may be believed (a proxy passes any other one through
/// from the client untouched), and the operator knows which one theirs writes.
public enum ForwardedHeaderChoice: String, Sendable, Equatable, CaseIterable {
    /// `X-Forwarded-For` (nginx's `$proxy_add_x_forwarded_for`, HAProxy's `option forwardfor`).
    case xForwardedFor = "x-forwarded-for"
    /// RFC 7239 `Forwarded`.
    case forwarded
    /// Neither: only the socket peer or a PROXY header names the client.
    case none
}
