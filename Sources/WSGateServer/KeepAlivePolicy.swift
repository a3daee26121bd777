import WSGateHTTP

/// Whether a plain-HTTP connection stays open for another request after this one.
///
/// Why it exists: keep-alive saves a TCP handshake per file, but each open connection is a
/// descriptor and memory, so it is bounded: at most `maxRequests` per connection (nginx's
/// `keepalive_requests` idea), an idle limit enforced by the head timer, and the request's own
/// wishes (HTTP/1.0 without `Connection: keep-alive`, or `Connection: close`). A request with a
/// body the service does not read ends the connection, since its bytes would be taken for the
/// next request.
struct KeepAlivePolicy: Sendable {
    /// Requests answered on one connection before it is closed.
    let maxRequests: Int

    /// Whether to keep the connection after answering `head`, the `served`-th request on it.
    func keepsAlive(after head: HTTPRequestHead, served: Int) -> Bool {
        guard served < maxRequests, (head.contentLength ?? 0) == 0, !head.hasChunkedBody else { return false }
        if head.headers.containsToken("close", in: "Connection") { return false }
        if head.version >= HTTPVersion(major: 1, minor: 1) { return true }
        return head.headers.containsToken("keep-alive", in: "Connection")
    }

    /// The `Connection` header to send: HTTP/1.1 keeps alive by default, HTTP/1.0 must be told.
    static func connectionHeader(keepAlive: Bool, version: HTTPVersion) -> String? {
        if !keepAlive { return "close" }
        return version >= HTTPVersion(major: 1, minor: 1) ? nil : "keep-alive"
    }
}
