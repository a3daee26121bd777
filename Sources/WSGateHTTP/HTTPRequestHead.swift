/// A parsed HTTP/1.1 request head: request-line plus header fields, with the body framing
/// already checked.
///
/// Why it exists: it is the only thing the upgrade logic and the router look at, so it carries
/// exactly what they need (method, raw target with its path/query split, version, fields as
/// received) and the framing verdict (`contentLength`, `hasChunkedBody`) so that nobody has to
/// re-read Content-Length or Transfer-Encoding and get request smuggling wrong. It holds no
/// body bytes and does no I/O.
public struct HTTPRequestHead: Equatable, Sendable {
    /// The method, case-sensitive, as sent (RFC 9110 §9.1), e.g. "GET".
    public let method: String
    /// The request-target, validated and split.
    public let requestTarget: RequestTarget
    /// The protocol version of the request-line.
    public let version: HTTPVersion
    /// The header fields in order of arrival, names spelled as received.
    public let headers: HTTPHeaders
    /// The body length announced by Content-Length, or nil when there is none.
    public let contentLength: Int?
    /// Whether a Transfer-Encoding (ending in chunked) frames a body.
    public let hasChunkedBody: Bool

    /// A head from its parts; throws when the fields break a message-level rule
    /// (Host, Content-Length, Transfer-Encoding; see `HTTPRequestHead+Framing.swift`).
    /// The parts themselves (method token, field syntax) are the caller's responsibility.
    public init(method: String, target: RequestTarget, version: HTTPVersion, headers: HTTPHeaders) throws(HTTPParseError) {
        try Self.checkHost(headers, version: version)
        let framing = try Self.framing(of: headers, version: version)
        self.method = method
        self.requestTarget = target
        self.version = version
        self.headers = headers
        self.contentLength = framing.contentLength
        self.hasChunkedBody = framing.chunked
    }

    /// The request-target exactly as sent.
    public var target: String { requestTarget.raw }
    /// The path part of the target (before the first "?"), not decoded.
    public var path: String { requestTarget.path }
    /// The raw text after the first "?" of the target, "" when there is none; not decoded.
    public var query: String { requestTarget.query }
}
