// MARK: - Message-level rules: Host and body framing

extension HTTPRequestHead {
    /// Field names this file enforces rules on.
    static let hostName = "Host"
    static let transferEncodingName = "Transfer-Encoding"
    /// The only transfer coding a request body may end in (RFC 9112 §7.1).
    static let chunkedCoding = "chunked"

    /// RFC 9112 §3.2: "A server MUST respond with a 400 (Bad Request) status code to any
    /// HTTP/1.1 request message that lacks a Host header field and to any request message that
    /// contains more than one Host header field line".
    static func checkHost(_ headers: HTTPHeaders, version: HTTPVersion) throws(HTTPParseError) {
        let count = headers.count(of: hostName)
        if count > 1 { throw .duplicateHost }
        if count == 0 && version != .http1_0 { throw .missingHost }
    }

    /// How the body is delimited, after refusing every ambiguous combination.
    static func framing(of headers: HTTPHeaders, version: HTTPVersion) throws(HTTPParseError) -> (contentLength: Int?, chunked: Bool) {
        if headers.contains(transferEncodingName) {
            // RFC 9112 §6.1: "A server MAY reject a request that contains both Content-Length and
            // Transfer-Encoding [...]. Regardless, the server MUST close the connection after
            // responding to such a request" — the classic smuggling vector: refuse it.
            guard !headers.contains(HTTPHeaders.contentLengthName) else { throw .contentLengthWithTransferEncoding }
            // RFC 9112 §6.1: "A server or client that receives an HTTP/1.0 message containing a
            // Transfer-Encoding header field MUST treat the message as if the framing is faulty".
            guard version != .http1_0 else { throw .invalidTransferEncoding }
            // RFC 9112 §6.3: "If a Transfer-Encoding header field is present in a request and the
            // chunked transfer coding is not the final encoding, [...] the server MUST respond
            // with the 400 (Bad Request) status code"; and §7.1 forbids applying chunked twice.
            let codings = headers.tokens(transferEncodingName)
            let chunkedPositions = codings.indices.filter {
                HTTPGrammar.equalsIgnoringASCIICase(codings[$0].utf8, chunkedCoding.utf8)
            }
            guard chunkedPositions == [codings.count - 1] else { throw .invalidTransferEncoding }
            return (nil, true)
        }
        // RFC 9112 §6.3: for an invalid Content-Length in a request, the server "MUST respond
        // with a 400 (Bad Request)" (see `HTTPHeaders.contentLength()`).
        return (try headers.contentLength(), false)
    }
}
