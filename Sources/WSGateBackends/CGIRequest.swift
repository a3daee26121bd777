/// The facts about one request (a WebSocket upgrade, or a `--cgidir` script's request) that a
/// program's CGI environment is built from.
///
/// Why it exists: the environment (websocketd's CGI-like variable set, see `CGIEnvironment`) is
/// a pure function of the request, and keeping the request as a plain value lets the Server
/// layer fill it from the parsed HTTP head and the accepted socket while this layer stays free
/// of sockets and HTTP types, and lets tests build any request by hand.
///
/// It holds raw request text and must not decode, normalise or validate anything: every value
/// is what the client sent (or what the Server layer resolved, for `scriptName` / `pathInfo`).
/// Sanitising for the environment (CR/LF, surrounding whitespace) happens in `CGIEnvironment`.
public struct CGIRequest: Sendable, Equatable {
    /// The peer's address without brackets or port: "127.0.0.1", "::1", or "unix-socket" for a
    /// Unix-socket listener (websocketd main).
    public var remoteAddress: String
    /// `remoteAddress`, or the first PTR name with `--reverselookup`.
    public var remoteHost: String
    /// The peer's source port in decimal; "" for Unix sockets.
    public var remotePort: String
    /// The request method as sent ("GET").
    public var method: String
    /// The request-target exactly as sent, e.g. "/some/path?x=1&y=%20z" (REQUEST_URI).
    public var requestURI: String
    /// The path part of the request-target, still percent-encoded ("/some/path").
    public var path: String
    /// The query after "?", still percent-encoded; "" when there is none (QUERY_STRING).
    public var query: String
    /// SCRIPT_NAME: "/" in command mode; the URL path of the script with `--dir` ("/sub/a.sh").
    public var scriptName: String
    /// PATH_INFO: the decoded URL path in command mode (websocketd uses Go's decoded
    /// `URL.Path`, see `CGIRequest.decodedPath(_:)`); the rest after the script with `--dir`
    /// ("/extra/path" or "").
    public var pathInfo: String
    /// The Host header's raw value, "" when absent; SERVER_NAME and SERVER_PORT come from it.
    public var host: String
    /// Every request header in request order, Host included, names as sent.
    public var headers: [(name: String, value: String)]
    /// The connection is TLS: adds HTTPS=on and makes 443 the default SERVER_PORT.
    public var isHTTPS: Bool
    /// SSL_CLIENT_S_DN: the subject of the client certificate the TLS handshake verified
    /// (`--sslca`), RFC 2253 form; nil without one. Only with `isHTTPS`.
    public var clientCertificateSubject: String?
    /// UNIQUE_ID (websocketd: decimal Unix time in nanoseconds at request time; also the log id).
    public var uniqueID: String
    /// SERVER_SOFTWARE, e.g. "wsgate/0.1.0".
    public var serverSoftware: String
    /// GATEWAY_INTERFACE: websocketd's for programs, "CGI/1.1" for `--cgidir` scripts (Go's
    /// net/http/cgi, which websocketd uses there).
    public var gatewayInterface = CGIEnvironment.gatewayInterface
    /// CONTENT_LENGTH and CONTENT_TYPE of a `--cgidir` request with a body; "" otherwise.
    public var contentLength = ""
    public var contentType = ""
    /// AUTH_TYPE (`Bearer` or `Basic`) and REMOTE_USER (the token's `sub` or the user name)
    /// when `--auth-token-key` / `--auth-basic` let the request in; "" otherwise.
    public var authType = ""
    public var remoteUser = ""
    /// SCRIPT_FILENAME: a `--cgidir` script's file; nil (not set) for programs.
    public var scriptFilename: String?

    /// A request with every field given.
    public init(
        remoteAddress: String,
        remoteHost: String,
        remotePort: String,
        method: String,
        requestURI: String,
        path: String,
        query: String,
        scriptName: String,
        pathInfo: String,
        host: String,
        headers: [(name: String, value: String)],
        isHTTPS: Bool,
        uniqueID: String,
        serverSoftware: String
    ) {
        self.remoteAddress = remoteAddress
        self.remoteHost = remoteHost
        self.remotePort = remotePort
        self.method = method
        self.requestURI = requestURI
        self.path = path
        self.query = query
        self.scriptName = scriptName
        self.pathInfo = pathInfo
        self.host = host
        self.headers = headers
        self.isHTTPS = isHTTPS
        self.uniqueID = uniqueID
        self.serverSoftware = serverSoftware
    }

    /// Field-by-field equality (written out because tuples are not `Equatable`).
    public static func == (lhs: CGIRequest, rhs: CGIRequest) -> Bool {
        lhs.remoteAddress == rhs.remoteAddress && lhs.remoteHost == rhs.remoteHost
            && lhs.remotePort == rhs.remotePort && lhs.method == rhs.method
            && lhs.requestURI == rhs.requestURI && lhs.path == rhs.path && lhs.query == rhs.query
            && lhs.scriptName == rhs.scriptName && lhs.pathInfo == rhs.pathInfo
            && lhs.host == rhs.host && lhs.isHTTPS == rhs.isHTTPS
            && lhs.clientCertificateSubject == rhs.clientCertificateSubject
            && lhs.uniqueID == rhs.uniqueID && lhs.serverSoftware == rhs.serverSoftware
            && lhs.gatewayInterface == rhs.gatewayInterface && lhs.contentLength == rhs.contentLength
            && lhs.contentType == rhs.contentType && lhs.scriptFilename == rhs.scriptFilename
            && lhs.headers.count == rhs.headers.count
            && zip(lhs.headers, rhs.headers).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}
