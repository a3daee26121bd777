import WSGateConfig
import WSGateHTTP

/// One command-line flag: its name, how it takes a value, its help, and where its value goes.
///
/// Why it exists: `FlagSpec.all` is THE single source of wsgate's flags. The parser and the
/// help text are generated from it, and the man page and the packaged config from the help
/// (`packaging/helpgen.py`), so a flag cannot be parsed but undocumented, or documented but
/// unknown. Flipping a feature on is changing `.notYetAvailable` to `.available` in its row.
/// A row must not validate anything that depends on other flags: that is `CommandLineValidator`.
public struct FlagSpec: Sendable {
    /// The name, written `-name` or `--name`.
    public let name: String
    /// Other names accepted for the same flag (`h` for `help`).
    public let aliases: [String]
    /// How the value is taken.
    public let kind: FlagKind
    /// The value's placeholder in the help (`N`, `DIR`); empty for booleans.
    public let placeholder: String
    /// One short line of help.
    public let help: String
    /// The default as shown in the help, or nil when there is nothing to show.
    public let defaultText: String?
    /// The help section.
    public let group: FlagGroup
    /// Whether the feature is built yet.
    public let availability: FlagAvailability
    /// Converts and stores one occurrence's value.
    let store: @Sendable (inout ParsedArguments, FlagArgument) throws(CLIError) -> Void

    /// The flag called `name` (or one of its aliases).
    public static func named(_ name: String) -> FlagSpec? {
        all.first { $0.name == name || $0.aliases.contains(name) }
    }

    /// Whether running a COMMAND per connection (the program backend) is built yet; the
    /// counterpart of a row's `availability` for the one backend that is not a flag.
    public static let commandAvailability = FlagAvailability.available

    /// Longest `--pingms`, `--closems`, `--connect-timeout`, `--max-session`, `--idle-timeout`:
    /// 2^31-1 ms (24.8 days), so that doubling it (the pong deadline) or adding it to a
    /// kill-sequence wait cannot overflow.
    public static let maximumMilliseconds = Int(Int32.max)
    /// Longest `--drain-delay`, `--drain-timeout`: one hour.
    public static let maximumDrainMilliseconds = 3_600_000
    /// Most event loops `--threads` may ask for.
    public static let maximumThreads = 1024
    /// Longest `--busy-poll` window: 10 ms; longer only burns CPU.
    public static let maximumBusyPoll = 10_000
    /// Smallest `--room-queue`: one 4 KiB page (a queue always takes one batch when empty).
    public static let minimumRoomQueue = 4096
    /// TCP ports.
    public static let portRange = 0...65535

    /// Every flag, in help order within each group.
    public static let all: [FlagSpec] = [
        // MARK: Listening
        .int("port", .listening, .available, placeholder: "N", range: portRange, default: "8080",
             help: "TCP port for every address; 0 picks a free one") { draft, port in
            draft.config.port = port
        },
        .repeatable("address", .listening, .available, placeholder: "A", default: "all interfaces",
                    help: "listen address, repeatable; IPv6 as [::1]") { draft, argument throws(CLIError) in
            draft.config.addresses.append(try listenAddress(argument))
        },
        .string("unixsocket", .listening, .available, placeholder: "PATH", default: nil,
                help: "listen on a Unix socket; on it alone without --port/--address") { draft, argument throws(CLIError) in
            draft.config.unixSocket = try argument.unixSocketPath()
        },
        .int("redirport", .listening, .available, placeholder: "N", range: portRange, default: "off",
             help: "plain-HTTP listener redirecting to the TLS port, path kept") { draft, port in
            draft.config.redirPort = port
        },
        .int("threads", .listening, .available, placeholder: "N", range: 0...maximumThreads,
             default: "number of cores", help: "event loops, one per thread") { draft, threads in
            draft.config.threads = threads
        },
        .int("busy-poll", .listening, .available, placeholder: "US", range: 0...maximumBusyPoll, default: "50",
             help: "after activity, poll US microseconds before sleeping; 0 = off") { draft, microseconds in
            draft.config.busyPollMicroseconds = microseconds
        },
        .int("maxforks", .listening, .available, placeholder: "N", range: Int.min...Int.max, default: "1024",
             help: "most concurrent connections, over it HTTP 429; 0 = unlimited") { draft, limit in
            draft.config.maxForks = max(limit, 0)
        },
        .string("health", .listening, .available, placeholder: "PATH", default: "off",
                help: "200 at this URL path while accepting, 503 once draining (for load balancers)") {
            draft, argument throws(CLIError) in
            guard let path = argument.nonEmpty else {
                draft.config.healthPath = nil
                return
            }
            guard path.hasPrefix("/") else { throw argument.rejected("a URL path must start with '/'") }
            draft.config.healthPath = path
        },
        .int("drain-delay", .listening, .available, placeholder: "MS", range: 0...maximumDrainMilliseconds, default: "0",
             help: "on SIGTERM, keep accepting MS with --health at 503, then drain") { draft, ms in
            draft.config.drainDelayMs = ms
        },
        .int("drain-timeout", .listening, .available, placeholder: "MS", range: 0...maximumDrainMilliseconds,
             default: "0",
             help: "the drain's deadline, then programs left are killed; 0 = from the kill sequence") { draft, ms in
            draft.config.drainTimeoutMs = ms
        },

        // MARK: Backends and plain-HTTP services
        .string("dir", .backends, .available, placeholder: "DIR", default: nil,
                help: "DIR/a/b.sh serves /a/b.sh (PATH_INFO after it)") { draft, argument throws(CLIError) in
            draft.setBackend(flag: argument.flag, argument.nonEmpty.map { .directory($0) })
        },
        .string("tcp", .backends, .available, placeholder: "HOST:PORT", default: nil,
                help: "connect to a TCP backend per connection") { draft, argument throws(CLIError) in
            draft.setBackend(flag: argument.flag, try .tcp(commandLine: argument))
        },
        .string("unix", .backends, .available, placeholder: "PATH", default: nil,
                help: "connect to a Unix-socket backend per connection") { draft, argument throws(CLIError) in
            draft.setBackend(flag: argument.flag, try argument.unixSocketPath().map { .unix($0) })
        },
        .bool("echo", .backends, .available,
              help: "built-in exact echo (probes, conformance)") { draft, on in
            draft.setBackend(flag: "echo", on ? .echo : nil)
        },
        .int("connect-timeout", .backends, .available, placeholder: "MS", range: 0...maximumMilliseconds,
             default: "5000", help: "socket backends: connect deadline, then HTTP 502; 0 = none") { draft, ms in
            draft.config.connectTimeoutMs = ms
        },
        .bool("proxy-protocol", .backends, .available,
              help: "socket backends: send a PROXY protocol v1 header first") { draft, on in
            draft.config.proxyProtocol = on
        },
        .string("staticdir", .backends, .available, placeholder: "DIR", default: nil,
                help: "serve static files from DIR to plain-HTTP requests") { draft, argument throws(CLIError) in
            draft.config.staticDir = argument.nonEmpty
        },
        .string("cgidir", .backends, .available, placeholder: "DIR", default: nil,
                help: "run CGI scripts from DIR for plain-HTTP requests") { draft, argument throws(CLIError) in
            draft.config.cgiDir = argument.nonEmpty
        },
        .int("cgi-max-body", .backends, .available, placeholder: "BYTES", range: 0...Int(Int32.max), default: "1048576",
             help: "largest request body given to a --cgidir script; bigger: HTTP 413") { draft, bytes in
            draft.config.cgiMaxBodyBytes = bytes
        },
        .bool("devconsole", .backends, .available,
              help: "serve the developer console to plain-HTTP requests") { draft, on in
            draft.config.devConsole = on
        },

        // MARK: Rooms
        .bool("broadcast", .rooms, .available,
              help: "clients of one URL path share one backend (a room)") { draft, on in
            draft.config.broadcast = on
        },
        .int("room-linger", .rooms, .available, placeholder: "MS", range: 0...maximumMilliseconds, default: "0",
             help: "--broadcast: an empty room keeps its backend MS") { draft, ms in
            draft.config.roomLingerMs = ms
        },
        .int("maxrooms", .rooms, .available, placeholder: "N", range: 0...Int(Int32.max), default: "0 = no bound",
             help: "--broadcast: most rooms at once, over it HTTP 429") { draft, rooms in
            draft.config.maxRooms = rooms
        },
        .int("room-queue", .rooms, .available, placeholder: "BYTES", range: minimumRoomQueue...Int(Int32.max),
             default: "1048576", help: "--broadcast: bytes one client's queue may hold") { draft, bytes in
            draft.config.roomQueueBytes = bytes
        },
        .string("slow-client", .rooms, .available, placeholder: "P", default: "disconnect",
                help: "--broadcast: a full queue: disconnect (1008), drop or block") { draft, argument throws(CLIError) in
            guard let policy = GatewayConfig.SlowClient(rawValue: argument.text) else {
                throw argument.rejected("must be disconnect, drop or block")
            }
            draft.config.slowClient = policy
        },
        .string("room-protocol", .rooms, .available, placeholder: "P", default: "plain",
                help: "--broadcast: plain lines, or json events and commands") { draft, argument throws(CLIError) in
            guard let kind = GatewayConfig.RoomProtocol(rawValue: argument.text) else {
                throw argument.rejected("must be plain or json")
            }
            draft.config.roomProtocol = kind
        },

        // MARK: Relay
        .bool("binary", .relay, .available,
              help: "byte mode instead of line mode") { draft, on in
            draft.config.binary = on
        },
        .bool("pty", .relay, .available,
              help: "programs on a pseudo-terminal: unbuffered output; with --binary a terminal for a shell") { draft, on in
            draft.config.pty = on
        },
        .string("pty-size", .relay, .available, placeholder: "CxR", default: "80x24",
                help: "--pty: the terminal's columns and rows until the client resizes it") { draft, argument throws(CLIError) in
            let parts = argument.text.split(separator: "x", omittingEmptySubsequences: false)
            guard parts.count == 2, let columns = Int(parts[0]), let rows = Int(parts[1]),
                  (1...9999).contains(columns), (1...9999).contains(rows), parts.allSatisfy({ $0.allSatisfy(\.isNumber) }) else {
                throw argument.rejected("expected COLUMNSxROWS, each 1 to 9999, e.g. 120x40")
            }
            draft.config.ptyColumns = columns
            draft.config.ptyRows = rows
        },
        .string("passenv", .relay, .available, placeholder: "A,B", default: "PATH,LD_LIBRARY_PATH",
                help: "variables passed to programs (replaces the default)") { draft, argument throws(CLIError) in
            draft.config.passEnv = argument.text.split(separator: ",").map(String.init)
        },
        .bool("passstderr", .relay, .available,
              help: "also send stderr, every line as JSON {\"stream\":...,\"data\":...}") { draft, on in
            draft.config.passStderr = on
        },
        .int("closems", .relay, .available, placeholder: "MS", range: 0...maximumMilliseconds,
             default: "0", help: "added to each wait of the kill sequence") { draft, ms in
            draft.config.closeMs = ms
        },
        .int("pingms", .relay, .available, placeholder: "MS", range: 0...maximumMilliseconds, default: "off",
             help: "ping every MS; no pong within twice MS: close 1001") { draft, ms in
            draft.config.pingMs = ms
        },
        .duration("max-session", .relay, .available, default: "0",
                  help: "close a session open for DURATION with 1008 (e.g. 90s, 10m, 1h30m; a bare number is "
                      + "seconds); 0 = no limit") { draft, ms in
            draft.config.maxSessionMs = ms
        },
        .duration("idle-timeout", .relay, .available, default: "0",
                  help: "close a session with 1008 after DURATION without a message either way "
                      + "(pings and pongs do not count); 0 = off") { draft, ms in
            draft.config.idleTimeoutMs = ms
        },
        .int("maxframesize", .relay, .available, placeholder: "BYTES", range: 0...GatewayConfig.maxFrameSizeCeiling,
             default: "1048576 for --echo, no limit for programs and sockets",
             help: "largest message accepted, bigger: close 1009; when set, for every backend; "
                 + "0: no limit (--echo: 104857600, the most)") {
            draft, bytes in
            draft.config.maxFrameSize = bytes
        },
        .bool("compress", .relay, .available,
              help: "negotiate permessage-deflate (RFC 7692) with clients that offer it") { draft, on in
            draft.config.compress = on
        },
        .int("compress-window-bits", .relay, .available, placeholder: "N", range: 9...15, default: "15",
             help: "--compress: compress with a window of 2^N bytes (less memory, less compression)") { draft, bits in
            draft.config.compressWindowBits = bits
        },
        .int("compress-min-size", .relay, .available, placeholder: "BYTES", range: 0...Int(Int32.max), default: "128",
             help: "--compress: smaller messages go out uncompressed") { draft, bytes in
            draft.config.compressMinSize = bytes
        },
        .int("compress-level", .relay, .available, placeholder: "N", range: 1...9, default: "1",
             help: "--compress: 1 fastest ... 9 smallest (zlib's levels)") { draft, level in
            draft.config.compressLevel = level
        },
        .string("subprotocol", .relay, .available, placeholder: "LIST",
                default: "binary if offered, else the client's first offer",
                help: "select the client's first offer that is in LIST") { draft, argument throws(CLIError) in
            draft.config.subprotocols = try subprotocols(argument)
        },
        .repeatable("header", .relay, .available, placeholder: "\"K: V\"", default: nil,
                    help: "extra header on every response, repeatable") { draft, argument throws(CLIError) in
            draft.config.headers.append(try ResponseHeader(commandLine: argument))
        },
        .repeatable("header-ws", .relay, .available, placeholder: "\"K: V\"", default: nil,
                    help: "extra header on 101 (upgrade) responses only") { draft, argument throws(CLIError) in
            draft.config.wsHeaders.append(try ResponseHeader(commandLine: argument))
        },
        .repeatable("header-http", .relay, .available, placeholder: "\"K: V\"", default: nil,
                    help: "extra header on plain-HTTP responses only") { draft, argument throws(CLIError) in
            draft.config.httpHeaders.append(try ResponseHeader(commandLine: argument))
        },

        // MARK: Security
        .string("origin", .security, .available, placeholder: "LIST", default: "any",
                help: "allowed Origins: host, host:port, scheme://host[:port]; others 403") { draft, argument throws(CLIError) in
            draft.config.origins = argument.commaList
        },
        .bool("sameorigin", .security, .available,
              help: "the Origin must match the Host header; others 403") { draft, on in
            draft.config.sameOrigin = on
        },
        .bool("ssl", .security, .available,
              help: "TLS: wss:// and https:// (needs --sslcert and --sslkey)") { draft, on in
            draft.config.ssl = on
        },
        .string("sslcert", .security, .available, placeholder: "FILE", default: nil,
                help: "PEM certificate chain for --ssl") { draft, argument throws(CLIError) in
            draft.config.sslCert = argument.nonEmpty
        },
        .string("sslkey", .security, .available, placeholder: "FILE", default: nil,
                help: "PEM private key for --ssl") { draft, argument throws(CLIError) in
            draft.config.sslKey = argument.nonEmpty
        },
        .string("sslca", .security, .available, placeholder: "FILE", default: nil,
                help: "require client certificates signed by this PEM CA") { draft, argument throws(CLIError) in
            draft.config.sslCA = argument.nonEmpty
        },
        .bool("reverselookup", .security, .available,
              help: "REMOTE_HOST from a PTR lookup of the client") { draft, on in
            draft.config.reverseLookup = on
        },
        .repeatable("trusted-proxy", .security, .available, placeholder: "LIST", default: nil,
                    help: "believe these proxies (CIDR networks) about the client's address; repeatable") { draft, argument throws(CLIError) in
            do throws(IPNetworkError) {
                _ = try TrustedProxies(parsing: argument.text)
            } catch {
                throw argument.rejected(error.description)
            }
            draft.config.trustedProxies.append(argument.text)
        },
        .bool("accept-proxy-protocol", .security, .available,
              help: "--trusted-proxy peers must begin with a PROXY v1/v2 header naming the client") { draft, on in
            draft.config.acceptProxyProtocol = on
        },
        .string("forwarded-header", .security, .available, placeholder: "H", default: "x-forwarded-for",
                help: "header --trusted-proxy peers maintain: x-forwarded-for, forwarded or none") {
            draft, argument throws(CLIError) in
            guard let choice = ForwardedHeaderChoice(rawValue: argument.text) else {
                throw argument.rejected("must be x-forwarded-for, forwarded or none")
            }
            draft.config.forwardedHeader = choice
        },
        .string("auth-token-key", .security, .available, placeholder: "FILE", default: "off",
                help: "require a JWT signed with this key: HS256 secret, or ES256/RS256 PEM public key") {
            draft, argument throws(CLIError) in
            draft.config.authTokenKey = argument.nonEmpty
        },
        .string("auth-token-cookie", .security, .available, placeholder: "NAME", default: "access_token",
                help: "--auth-token-key: the cookie a token may come in (empty: none)") { draft, argument throws(CLIError) in
            draft.config.authTokenCookie = try httpToken(argument)
        },
        .string("auth-token-param", .security, .available, placeholder: "NAME", default: "access_token",
                help: "--auth-token-key: the query parameter a token may come in, hidden from programs and logs (empty: none)") {
            draft, argument throws(CLIError) in
            draft.config.authTokenParam = try queryName(argument)
        },
        .string("auth-audience", .security, .available, placeholder: "AUD", default: "not checked",
                help: "--auth-token-key: the token's aud must name AUD") { draft, argument throws(CLIError) in
            draft.config.authAudience = argument.nonEmpty
        },
        .string("auth-basic", .security, .available, placeholder: "FILE", default: "off",
                help: "require a user and password from this htpasswd file (bcrypt, SHA-256/512-crypt), reloaded when it changes") {
            draft, argument throws(CLIError) in
            draft.config.authBasic = argument.nonEmpty
        },
        .string("auth-realm", .security, .available, placeholder: "TEXT", default: "wsgate",
                help: "the realm named in WWW-Authenticate") { draft, argument throws(CLIError) in
            guard let realm = argument.nonEmpty, !realm.contains(where: { $0 == "\"" || $0 == "\\" || $0.asciiValue.map { $0 < 0x20 || $0 == 0x7F } ?? false }) else {
                throw argument.rejected("must be non-empty printable text without quotes or backslashes")
            }
            draft.config.authRealm = realm
        },
        .string("auth-scope", .security, .available, placeholder: "S", default: "websocket",
                help: "what the --auth-* flags guard: websocket (upgrades) or all (every request but --health)") {
            draft, argument throws(CLIError) in
            guard let scope = AuthScope(rawValue: argument.text) else { throw argument.rejected("must be websocket or all") }
            draft.config.authScope = scope
        },
        .string("user", .security, .available, placeholder: "NAME", default: "the gateway's",
                help: "run programs and CGI scripts as this user and its groups (needs root or CAP_SETUID/CAP_SETGID)") {
            draft, argument throws(CLIError) in
            draft.config.runUser = argument.nonEmpty
        },
        .string("group", .security, .available, placeholder: "NAME", default: "the user's",
                help: "run programs and CGI scripts with this group") { draft, argument throws(CLIError) in
            draft.config.runGroup = argument.nonEmpty
        },
        .bool("allow-root", .security, .available,
              help: "let --user name root (uid 0)") { draft, on in
            draft.config.allowRoot = on
        },
        .repeatable("rlimit", .security, .available, placeholder: "LIST", default: nil,
                    help: "limits for every program: as, cpu, nofile, nproc, fsize, core, data, stack, e.g. as=512M,nproc=64,cpu=60") {
            draft, argument throws(CLIError) in
            switch ResourceLimitSyntax.parse(argument.text) {
            case .failure(let refusal):
                throw argument.rejected(refusal.reason)
            case .success(let limits):
                for limit in limits {
                    draft.config.resourceLimits.removeAll { $0.resource == limit.resource }
                    draft.config.resourceLimits.append(limit)
                }
            }
        },
        .string("max-per-ip", .security, .available, placeholder: "N", default: "off",
                help: "most open WebSocket sessions per client IP (IPv6: per /64), over it HTTP 429") {
            draft, argument throws(CLIError) in
            draft.config.maxPerIP = try ClientLimitSyntax.count(argument)
        },
        .string("rate", .security, .available, placeholder: "N/s", default: "off",
                help: "WebSocket handshakes per client IP, N/s or N/m, over it HTTP 429 with Retry-After") {
            draft, argument throws(CLIError) in
            draft.config.rate = try ClientLimitSyntax.rate(argument)
        },
        .string("rate-burst", .security, .available, placeholder: "N", default: "N of --rate",
                help: "handshakes a client may make at once under --rate") { draft, argument throws(CLIError) in
            draft.config.rateBurst = try ClientLimitSyntax.count(argument)
        },

        // MARK: Logging
        .string("loglevel", .logging, .available, placeholder: "L", default: "access",
                help: "debug, trace, access, info, error, fatal or none") { draft, argument throws(CLIError) in
            draft.logLevelName = argument.text
        },
        .string("logformat", .logging, .available, placeholder: "F", default: "text",
                help: "text (websocketd's lines) or json") { draft, argument throws(CLIError) in
            guard let format = LogFormat(rawValue: argument.text) else {
                throw argument.rejected("must be text or json")
            }
            draft.config.logFormat = format
        },
        .string("metrics", .logging, .available, placeholder: "PATH", default: "off",
                help: "Prometheus text metrics at this URL path") { draft, argument throws(CLIError) in
            guard let path = argument.nonEmpty else {
                draft.config.metricsPath = nil
                return
            }
            guard path.hasPrefix("/") else { throw argument.rejected("a URL path must start with '/'") }
            draft.config.metricsPath = path
        },

        // MARK: Miscellaneous
        .string("config", .misc, .available, placeholder: "FILE", default: nil,
                help: "read flags from FILE: name = value lines, # comments") { draft, argument throws(CLIError) in
            draft.config.configFile = argument.nonEmpty
        },
        .bool("help", aliases: ["h"], .misc, .available,
              help: "print this help and exit") { draft, _ in
            draft.helpRequested = true
        },
        .bool("version", .misc, .available,
              help: "print the version and exit") { draft, on in
            draft.showVersion = on
        },
        .bool("license", .misc, .available,
              help: "print the license and exit") { draft, on in
            draft.showLicense = on
        },
    ]

    /// `--address=A`: anything websocketd accepts, but an IPv6 address without brackets (it
    /// would be joined with the port as `::1:8080`) is refused.
    private static func listenAddress(_ argument: FlagArgument) throws(CLIError) -> String {
        let text = argument.text
        if text.hasPrefix("[") {
            guard text.hasSuffix("]"), text.count > 2 else {
                throw argument.rejected("expected an IPv6 address in brackets, e.g. [::1]")
            }
        } else if text.contains(":") {
            throw argument.rejected("an IPv6 address needs brackets, e.g. [::1]")
        }
        return text
    }

    /// `--subprotocol=LIST`: comma-separated tokens; `--subprotocol=` selects none.
    private static func subprotocols(_ argument: FlagArgument) throws(CLIError) -> [String] {
        let names = argument.commaList
        // RFC 6455 §4.1: the elements "MUST be non-empty strings with characters in the range
        // U+0021 to U+007E not including separator characters as defined in [RFC2616]".
        guard names.allSatisfy(HTTPTokenSyntax.isToken) else {
            throw argument.rejected("each subprotocol must be an HTTP token (RFC 6455 §4.1)")
        }
        return names
    }

    /// A query-parameter name: URI unreserved characters (RFC 3986 §2.3), which need no
    /// percent-encoding and cannot split a query; or empty for none.
    private static func queryName(_ argument: FlagArgument) throws(CLIError) -> String? {
        guard let name = argument.nonEmpty else { return nil }
        let unreserved = { (byte: UInt8) in
            (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
                || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~")
        }
        guard name.utf8.allSatisfy(unreserved) else { throw argument.rejected("must be letters, digits, -, ., _ or ~") }
        return name
    }

    /// A cookie name: an HTTP token (RFC 6265 §4.1.1), or empty for none.
    private static func httpToken(_ argument: FlagArgument) throws(CLIError) -> String? {
        guard let name = argument.nonEmpty else { return nil }
        guard HTTPTokenSyntax.isToken(name) else { throw argument.rejected("must be an HTTP token (letters, digits, !#$%&'*+-.^_`|~)") }
        return name
    }
}
