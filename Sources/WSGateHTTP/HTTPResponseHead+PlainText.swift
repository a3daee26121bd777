// MARK: - Plain-text refusals (400, 403, 404, 426, 429, 431, 505, ...)

extension HTTPResponseHead {
    /// `Content-Type` of plain answers: UTF-8 text (RFC 9110 §8.3, RFC 2046 §4.1.3).
    public static let plainTextContentType = "text/plain; charset=utf-8"
    /// `Connection: close`: the gateway closes after a refusal (RFC 9112 §9.6).
    public static let closeConnectionOption = "close"

    /// A complete plain-text answer: the head and the body bytes to send after it.
    ///
    /// The head carries, in this order, `Content-Type: text/plain; charset=utf-8`,
    /// `Content-Length: <body bytes>`, `Connection: close`, then `extraHeaders` in their order
    /// (e.g. `Sec-WebSocket-Version: 13` with a 426, RFC 6455 §4.4, or `Retry-After` with a 429).
    /// `extraHeaders` must not repeat those three fields. The body defaults to
    /// "<code> <reason>\n". The caller writes `head`, then `body`, then closes the connection.
    public static func plainText(
        _ status: HTTPStatus,
        body: String? = nil,
        extraHeaders: HTTPHeaders = HTTPHeaders()
    ) -> (head: HTTPResponseHead, body: [UInt8]) {
        let bytes = Array((body ?? "\(status.code) \(status.reasonPhrase)\n").utf8)
        var headers: HTTPHeaders = [
            "Content-Type": plainTextContentType,
            "Content-Length": String(bytes.count),
            "Connection": closeConnectionOption,
        ]
        for (name, value) in extraHeaders {
            headers.add(name: name, value: value)
        }
        return (HTTPResponseHead(status: status, headers: headers), bytes)
    }
}
