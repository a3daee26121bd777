// MARK: - The reason phrases of the registered final status codes

extension HTTPStatus {
    /// A status whose reason phrase is the one registered for `code`, or empty for a code
    /// without one (RFC 9112 §4: the reason-phrase may be empty; clients ignore it anyway).
    ///
    /// For statuses the gateway does not pick itself: a CGI script may give a bare code.
    init(registeredCode code: Int) {
        self.init(code: code, reasonPhrase: Self.registeredReasonPhrases[code] ?? "")
    }

    /// The final (2xx–5xx) codes of RFC 9110 §15 with their phrases, plus 428, 429, 431 and
    /// 511 (RFC 6585) and 451 (RFC 7725).
    static let registeredReasonPhrases: [Int: String] = [
        200: "OK", 201: "Created", 202: "Accepted", 203: "Non-Authoritative Information",
        204: "No Content", 205: "Reset Content", 206: "Partial Content",
        300: "Multiple Choices", 301: "Moved Permanently", 302: "Found", 303: "See Other",
        304: "Not Modified", 305: "Use Proxy", 307: "Temporary Redirect", 308: "Permanent Redirect",
        400: "Bad Request", 401: "Unauthorized", 402: "Payment Required", 403: "Forbidden",
        404: "Not Found", 405: "Method Not Allowed", 406: "Not Acceptable",
        407: "Proxy Authentication Required", 408: "Request Timeout", 409: "Conflict", 410: "Gone",
        411: "Length Required", 412: "Precondition Failed", 413: "Content Too Large",
        414: "URI Too Long", 415: "Unsupported Media Type", 416: "Range Not Satisfiable",
        417: "Expectation Failed", 421: "Misdirected Request", 422: "Unprocessable Content",
        426: "Upgrade Required", 428: "Precondition Required", 429: "Too Many Requests",
        431: "Request Header Fields Too Large", 451: "Unavailable For Legal Reasons",
        500: "Internal Server Error", 501: "Not Implemented", 502: "Bad Gateway",
        503: "Service Unavailable", 504: "Gateway Timeout", 505: "HTTP Version Not Supported",
        511: "Network Authentication Required",
    ]
}
