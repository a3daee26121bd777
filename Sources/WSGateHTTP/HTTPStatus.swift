/// A response status: the three-digit code and the reason phrase written beside it.
///
/// Why it exists: every answer the gateway writes (the 101 of a WebSocket upgrade, or a plain
/// 4xx/5xx refusal) needs both numbers and words, and typos in either are wire bugs; naming the
/// few statuses the gateway uses once keeps them right. It carries no semantics (it does not
/// decide whether a body or a `Connection: close` is needed): that is the caller's job.
public struct HTTPStatus: Equatable, Hashable, Sendable, CustomStringConvertible {
    /// The status code (RFC 9110 §15: a three-digit integer, 100–599 in practice).
    public let code: Int
    /// The textual description written after the code (RFC 9112 §4, `reason-phrase`).
    public let reasonPhrase: String

    /// A status with any code and phrase; prefer the named statics below.
    public init(code: Int, reasonPhrase: String) {
        self.code = code
        self.reasonPhrase = reasonPhrase
    }

    /// "101 Switching Protocols" (RFC 9110 §15.2.2): the answer to a WebSocket upgrade.
    public static let switchingProtocols = HTTPStatus(code: 101, reasonPhrase: "Switching Protocols")
    /// "200 OK" (RFC 9110 §15.3.1).
    public static let ok = HTTPStatus(code: 200, reasonPhrase: "OK")
    /// "206 Partial Content" (RFC 9110 §15.3.7): the bytes of one satisfiable `Range`.
    public static let partialContent = HTTPStatus(code: 206, reasonPhrase: "Partial Content")
    /// "301 Moved Permanently" (RFC 9110 §15.4.2).
    public static let movedPermanently = HTTPStatus(code: 301, reasonPhrase: "Moved Permanently")
    /// "302 Found" (RFC 9110 §15.4.3): what a CGI script's client redirect becomes (RFC 3875 §6.2.3).
    public static let found = HTTPStatus(code: 302, reasonPhrase: "Found")
    /// "304 Not Modified" (RFC 9110 §15.4.5).
    public static let notModified = HTTPStatus(code: 304, reasonPhrase: "Not Modified")
    /// "400 Bad Request" (RFC 9110 §15.5.1): malformed request syntax or framing.
    public static let badRequest = HTTPStatus(code: 400, reasonPhrase: "Bad Request")
    /// "401 Unauthorized" (RFC 9110 §15.5.2): `--auth-token-key` / `--auth-basic` refused the
    /// credentials, or none came; sent with `WWW-Authenticate`.
    public static let unauthorized = HTTPStatus(code: 401, reasonPhrase: "Unauthorized")
    /// "403 Forbidden" (RFC 9110 §15.5.4): e.g. an Origin that is not allowed.
    public static let forbidden = HTTPStatus(code: 403, reasonPhrase: "Forbidden")
    /// "404 Not Found" (RFC 9110 §15.5.5).
    public static let notFound = HTTPStatus(code: 404, reasonPhrase: "Not Found")
    /// "405 Method Not Allowed" (RFC 9110 §15.5.6).
    public static let methodNotAllowed = HTTPStatus(code: 405, reasonPhrase: "Method Not Allowed")
    /// "412 Precondition Failed" (RFC 9110 §15.5.13): `If-Match` or `If-Unmodified-Since` is false.
    public static let preconditionFailed = HTTPStatus(code: 412, reasonPhrase: "Precondition Failed")
    /// "413 Content Too Large" (RFC 9110 §15.5.14): a `--cgidir` request body over the limit.
    public static let contentTooLarge = HTTPStatus(code: 413, reasonPhrase: "Content Too Large")
    /// "416 Range Not Satisfiable" (RFC 9110 §15.5.17): the `Range` starts beyond the representation.
    public static let rangeNotSatisfiable = HTTPStatus(code: 416, reasonPhrase: "Range Not Satisfiable")
    /// "426 Upgrade Required" (RFC 9110 §15.5.22): a plain HTTP request to a WebSocket endpoint.
    public static let upgradeRequired = HTTPStatus(code: 426, reasonPhrase: "Upgrade Required")
    /// "429 Too Many Requests" (RFC 6585 §4).
    public static let tooManyRequests = HTTPStatus(code: 429, reasonPhrase: "Too Many Requests")
    /// "431 Request Header Fields Too Large" (RFC 6585 §5).
    public static let requestHeaderFieldsTooLarge = HTTPStatus(code: 431, reasonPhrase: "Request Header Fields Too Large")
    /// "500 Internal Server Error" (RFC 9110 §15.6.1).
    public static let internalServerError = HTTPStatus(code: 500, reasonPhrase: "Internal Server Error")
    /// "502 Bad Gateway" (RFC 9110 §15.6.3).
    public static let badGateway = HTTPStatus(code: 502, reasonPhrase: "Bad Gateway")
    /// "503 Service Unavailable" (RFC 9110 §15.6.4).
    public static let serviceUnavailable = HTTPStatus(code: 503, reasonPhrase: "Service Unavailable")
    /// "505 HTTP Version Not Supported" (RFC 9110 §15.6.6).
    public static let httpVersionNotSupported = HTTPStatus(code: 505, reasonPhrase: "HTTP Version Not Supported")

    /// "404 Not Found".
    public var description: String { "\(code) \(reasonPhrase)" }
}
