/// The whole validated configuration of one wsgate process.
///
/// Why it exists: the command line (and `--config` files) are parsed and checked once, at
/// start, into this plain value; every other layer reads it and never sees argv. One stored
/// property per command-line flag, named after the flag, with wsgate's default.
/// It must stay a passive value: no I/O, no defaults resolved from the system (`threads == 0` is
/// resolved by whoever starts the event loops).
public struct GatewayConfig: Sendable, Equatable {
    // MARK: Listening

    /// `--port=N`: TCP port for every listen address; `0` picks a free one. Default `8080`.
    public var port: Int = 8080
    /// `--address=A` (repeatable): listen addresses, IPv6 as `[::1]`, in the order given.
    /// Default `[]` = all interfaces (an empty string element also means all interfaces).
    public var addresses: [String] = []
    /// `--unixsocket=PATH`: also (or only, see `listenOnTCP`) listen on this Unix socket.
    /// Default `nil` = none.
    public var unixSocket: String? = nil
    /// Whether TCP listeners start. Default `true`; `false` only when `--unixsocket` is given
    /// without `--port`, `--address` and `--redirport` (websocketd: "on it alone").
    public var listenOnTCP: Bool = true
    /// `--threads=N`: number of event loops, one per thread. Default `0` = one per core
    /// (resolved by the server at start).
    public var threads: Int = 0
    /// `--busy-poll=MICROSECONDS`: after activity, an event loop polls this long before it
    /// sleeps, while polling keeps paying off. Default `50`; `0` = never poll.
    public var busyPollMicroseconds: Int = 50
    /// `--maxforks=N`: most concurrent connections (and CGI runs); over it HTTP 429.
    /// Default `1024`; `0` = unlimited (negative values, accepted by websocketd, also mean 0).
    public var maxForks: Int = 1024
    /// `--health=PATH`: 200 at this URL path while accepting, 503 once draining.
    /// Default `nil` = off.
    public var healthPath: String? = nil
    /// `--drain-delay=MS`: after SIGTERM, keep accepting (health 503) this long before the
    /// drain. Default `0`.
    public var drainDelayMs: Int = 0
    /// `--drain-timeout=MS`: the drain's deadline, after which every program group left is
    /// killed and the gateway exits. Default `0` = computed from the close and kill timings.
    public var drainTimeoutMs: Int = 0
    /// `--redirport=N`: plain-HTTP listener redirecting to the TLS port, path kept.
    /// Default `0` = off.
    public var redirPort: Int = 0

    // MARK: Backend

    /// The WebSocket backend: COMMAND, `--dir`, `--tcp`, `--unix`, `--echo`, or none.
    /// Default `.none`.
    public var backend: BackendSpec = .none
    /// `--connect-timeout=MS`: socket backends must connect within MS, else HTTP 502.
    /// Default `5000`; `0` = no deadline.
    public var connectTimeoutMs: Int = 5000
    /// `--proxy-protocol`: socket backends first receive a PROXY protocol v1 header.
    /// Default `false`.
    public var proxyProtocol: Bool = false
    /// `--staticdir=DIR`: serve files from DIR to plain-HTTP requests. Default `nil` = off.
    public var staticDir: String? = nil
    /// `--cgidir=DIR`: run CGI scripts from DIR for plain-HTTP requests. Default `nil` = off.
    public var cgiDir: String? = nil
    /// `--cgi-max-body=BYTES`: the largest request body a CGI script is given (413 beyond).
    /// Default 1 MiB, as nginx's `client_max_body_size`.
    public var cgiMaxBodyBytes: Int = 1_048_576
    /// `--devconsole`: serve the developer console to every plain-HTTP request. Default `false`.
    public var devConsole: Bool = false

    // MARK: Rooms

    /// `--broadcast`: clients of one URL path share one backend (a room). Default `false`.
    public var broadcast: Bool = false
    /// `--room-linger=MS`: an empty room keeps its backend this long. Default `0`.
    public var roomLingerMs: Int = 0
    /// `--maxrooms=N`: most rooms (backends) at once, over it HTTP 429. Default `0` = no bound
    /// (`--maxforks` still bounds the clients).
    public var maxRooms: Int = 0
    /// `--room-queue=BYTES`: the bytes one room member's write queue may hold. Default 1 MiB.
    public var roomQueueBytes: Int = 1_048_576
    /// `--slow-client=P`: what a room does with a member whose queue is full. Default
    /// `.disconnect` (close 1008).
    public var slowClient: SlowClient = .disconnect

    /// The `--slow-client` policies (see README, 'Rooms').
    public enum SlowClient: String, Sendable, Equatable, CaseIterable {
        case disconnect, drop, block
    }

    /// `--room-protocol=P`: what a room's backend reads and writes. Default `.plain` (lines).
    public var roomProtocol: RoomProtocol = .plain

    /// The `--room-protocol` values (see docs/room-protocol.md).
    public enum RoomProtocol: String, Sendable, Equatable, CaseIterable {
        case plain, json
    }

    // MARK: Relay

    /// `--binary`: byte mode instead of line mode. Default `false` (line mode).
    public var binary: Bool = false
    /// `--pty`: programs get a pseudo-terminal for stdin and stdout (with `--binary`, stderr
    /// too). Default `false` (pipes).
    public var pty: Bool = false
    /// `--pty-size=COLSxROWS`: the terminal's size until the client resizes it. Default 80×24.
    public var ptyColumns: Int = 80
    public var ptyRows: Int = 24
    /// `--closems=MS`: added to each wait of the kill sequence. Default `0`.
    public var closeMs: Int = 0
    /// `--passenv=A,B`: names of wsgate's environment variables handed to programs; replaces
    /// the default list. Default `["PATH", "LD_LIBRARY_PATH"]`.
    public var passEnv: [String] = ["PATH", "LD_LIBRARY_PATH"]
    /// The `passEnv` variables captured at start as `NAME=value` (websocketd's rules: read once,
    /// CR/LF become spaces, surrounding white space trimmed, empty or unset ones and `HTTPS`
    /// skipped). Default `[]`. Derived, not a flag.
    public var passedEnvironment: [String] = []
    /// `--passstderr`: also send the program's stderr, every line as JSON
    /// `{"stream":"stdout"|"stderr","data":…}`. Default `false`.
    public var passStderr: Bool = false
    /// `--pingms=MS`: ping every MS; no pong within 2×MS closes with 1001. Default `0` = off.
    public var pingMs: Int = 0
    /// `--max-session=DURATION`: a WebSocket session open this long is closed with 1008, then
    /// ends as when the client leaves. Default `0` = no limit.
    public var maxSessionMs: Int = 0
    /// `--idle-timeout=DURATION`: a session in which no data message went either way this long
    /// is closed with 1008 (pings and pongs are not activity). Default `0` = off.
    public var idleTimeoutMs: Int = 0
    /// `--maxframesize=BYTES`: largest message accepted, bigger closes with 1009. Default
    /// `nil` (not set): `defaultMaxFrameSize` for a message assembled whole (`--echo`), no
    /// limit for one relayed in parts to a program or a socket. A set value limits every
    /// backend; `0` (websocketd's "unlimited") is no limit for programs and sockets and
    /// `maxFrameSizeCeiling` for assembled messages.
    public var maxFrameSize: Int? = nil
    /// The limit of an assembled message when `--maxframesize` is not set.
    public static let defaultMaxFrameSize = 1_048_576
    /// The largest `--maxframesize`, and what `0` means for an assembled message: one held
    /// whole must not let one client take all memory (100 MiB, Node `ws`'s default
    /// `maxPayload`).
    public static let maxFrameSizeCeiling = 100 * 1024 * 1024
    /// The limit of a message assembled whole (`--echo`; the size of the pieces a long output
    /// line is cut into, too).
    public var effectiveMaxFrameSize: Int {
        guard let maxFrameSize else { return Self.defaultMaxFrameSize }
        return maxFrameSize > 0 ? maxFrameSize : Self.maxFrameSizeCeiling
    }
    /// The limit of a message relayed in parts to a program or a socket: nil = none (the flag
    /// not set, or `0`).
    public var streamedMaxFrameSize: Int? {
        guard let maxFrameSize, maxFrameSize > 0 else { return nil }
        return maxFrameSize
    }
    /// `--compress`: negotiate permessage-deflate (RFC 7692). Default `false`.
    public var compress: Bool = false
    /// `--compress-window-bits=N`: the largest LZ77 window (2^N bytes) wsgate compresses with,
    /// answered as `server_max_window_bits` below 15. Default `15`.
    public var compressWindowBits: Int = 15
    /// `--compress-min-size=BYTES`: smaller messages go out uncompressed. Default `128`.
    public var compressMinSize: Int = 128
    /// `--compress-level=N`: zlib's compression level, 1 (fastest) to 9 (smallest). Default `1`,
    /// as nginx's `gzip_comp_level`.
    public var compressLevel: Int = 1
    /// `--subprotocol=LIST`: subprotocols wsgate may select, the client's first offer that is in
    /// the list wins; `[]` (from `--subprotocol=`) never selects one. Default `nil` = `binary` if
    /// offered, else the client's first offer.
    public var subprotocols: [String]? = nil
    /// `--header="K: V"` (repeatable): extra headers on every response. Default `[]`.
    public var headers: [ResponseHeader] = []
    /// `--header-ws="K: V"` (repeatable): extra headers on 101 responses only. Default `[]`.
    public var wsHeaders: [ResponseHeader] = []
    /// `--header-http="K: V"` (repeatable): extra headers on plain-HTTP responses only.
    /// Default `[]`.
    public var httpHeaders: [ResponseHeader] = []

    // MARK: Security

    /// `--origin=LIST`: allowed `Origin`s (websocketd's rules), others get 403.
    /// Default `[]` = any origin.
    public var origins: [String] = []
    /// `--sameorigin`: the `Origin` must match the `Host` header, else 403. Default `false`.
    public var sameOrigin: Bool = false
    /// `--ssl`: serve wss:// and https://. Default `false`.
    public var ssl: Bool = false
    /// `--sslcert=FILE`: PEM certificate chain (required with `ssl`). Default `nil`.
    public var sslCert: String? = nil
    /// `--sslkey=FILE`: PEM private key (required with `ssl`). Default `nil`.
    public var sslKey: String? = nil
    /// `--sslca=FILE`: require client certificates signed by this PEM CA. Default `nil` = none.
    public var sslCA: String? = nil
    /// `--reverselookup`: `REMOTE_HOST` from a PTR lookup. Default `false`.
    public var reverseLookup: Bool = false
    /// `--trusted-proxy=CIDR[,CIDR…]` (repeatable): the values as written, each checked by the
    /// command line. Default empty = no proxy is trusted, no forwarding header is read.
    public var trustedProxies: [String] = []
    /// `--accept-proxy-protocol`: connections from trusted proxies begin with a PROXY v1/v2
    /// header naming the client. Default `false`.
    public var acceptProxyProtocol: Bool = false
    /// `--forwarded-header=H`: the header trusted proxies maintain. Default `.xForwardedFor`.
    public var forwardedHeader: ForwardedHeaderChoice = .xForwardedFor
    /// `--auth-token-key=FILE`: requests need a JWT verified with this key (an HS256 secret, or
    /// an ES256/RS256 PEM public key). Default `nil` = no token is asked for.
    public var authTokenKey: String? = nil
    /// `--auth-token-cookie=NAME`: the cookie a token may come in; `nil` = none.
    /// Default `access_token`.
    public var authTokenCookie: String? = "access_token"
    /// `--auth-token-param=NAME`: the query parameter a token may come in (RFC 6750 §2.3),
    /// removed from `QUERY_STRING` and the logs; `nil` = none. Default `access_token`.
    public var authTokenParam: String? = "access_token"
    /// `--auth-audience=AUD`: a token's `aud` must name it. Default `nil` = `aud` not checked.
    public var authAudience: String? = nil
    /// `--auth-basic=FILE`: requests need a user and password from this htpasswd file.
    /// Default `nil`.
    public var authBasic: String? = nil
    /// `--auth-realm=TEXT`: the realm in `WWW-Authenticate`. Default `wsgate`.
    public var authRealm: String = "wsgate"
    /// `--auth-scope`: what the two flags above guard. Default `.websocket`.
    public var authScope: AuthScope = .websocket
    /// `--user=NAME`: programs and CGI scripts run as this user (its groups too). Default `nil` =
    /// as the gateway.
    public var runUser: String? = nil
    /// `--group=NAME`: their group instead of the user's. Default `nil`.
    public var runGroup: String? = nil
    /// `--allow-root`: `--user` may name root. Default `false`.
    public var allowRoot: Bool = false
    /// `--rlimit=NAME=VALUE[,…]` (repeatable, a later value for a resource wins): limits every
    /// program gets. Default empty = the gateway's own.
    public var resourceLimits: [ResourceLimit] = []
    /// `--max-per-ip=N`: most open WebSocket sessions per client (an IPv4 address or an IPv6
    /// /64, the address `--trusted-proxy` yields); over it HTTP 429. Default `nil` = no limit.
    public var maxPerIP: Int? = nil
    /// `--rate=N/s` or `N/m`: WebSocket handshakes per client in the long run (a token
    /// bucket); over it HTTP 429 with `Retry-After`. Default `nil` = no limit.
    public var rate: HandshakeRate? = nil
    /// `--rate-burst=N`: handshakes a client may make at once (the bucket's size). Default
    /// `nil` = the count of `rate`.
    public var rateBurst: Int? = nil

    // MARK: Logging and misc

    /// `--loglevel=L`: minimum level logged. Default `.access`.
    public var logLevel: LogLevel = .access
    /// `--logformat=F`: `text` (websocketd's lines) or `json`. Default `.text`.
    public var logFormat: LogFormat = .text
    /// `--metrics=PATH`: serve Prometheus text metrics at this URL path. Default `nil` = off.
    public var metricsPath: String? = nil
    /// `--config=FILE`: the `name = value` file the flags were also read from.
    /// Default `nil` = none.
    public var configFile: String? = nil

    /// wsgate's defaults (what `wsgate --echo` runs with, apart from the backend).
    public init() {}
}
