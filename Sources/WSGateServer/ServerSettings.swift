import WSGateBackends
import WSGateConfig
import WSGateHTTP
import WSGatePosix
import WSGateRelay
import WSGateTLS
import WSGateWebSocket

/// The gateway's configuration, turned into the values connections use on every request.
///
/// Why it exists: `GatewayConfig` mirrors the command line; connections need derived values
/// (limits with "0 = unlimited" resolved, header lists per response kind, the subprotocol
/// policy, timeouts) computed once instead of per request.
struct ServerSettings: Sendable {
    /// `--maxforks`: concurrent WebSocket sessions; nil = unlimited.
    let maxSessions: Int?
    /// `--header`: on every response.
    let headersForAll: [(name: String, value: String)]
    /// `--header-ws`: on 101 only.
    let headersForUpgrade: [(name: String, value: String)]
    /// `--header-http`: on plain-HTTP answers only.
    let headersForPlainHTTP: [(name: String, value: String)]
    /// `--header` then `--header-http`: what every plain-HTTP service's answer carries.
    let headersForPlainAnswers: [(name: String, value: String)]
    let subprotocolPolicy: WebSocketHandshake.SubprotocolPolicy
    /// `--compress`: what permessage-deflate offers are accepted with; nil = never.
    let deflate: PerMessageDeflateSettings?
    let session: WebSocketSession.Settings
    /// `--broadcast`: the rooms' settings; nil = a backend per connection.
    let rooms: Room.Settings?
    /// `--maxrooms`: 0 = no bound.
    let maxRooms: Int
    let backend: BackendKind
    /// False when only plain-HTTP services run (`--staticdir` without a COMMAND): upgrades then
    /// go to them like any request.
    let hasWebSocketBackend: Bool
    /// How long SIGTERM's drain may take: `--drain-timeout`, else the close handshake, the
    /// linger, and the whole kill sequence of the programs.
    var drainDeadlineMs: Int {
        if drainTimeoutMs > 0 { return drainTimeoutMs }
        return closeTimeoutMs + lingerMs + teardown.steps.reduce(0) { $0 + $1.afterMilliseconds } + 1500
    }
    /// `--drain-timeout`: 0 = computed (`drainDeadlineMs`).
    let drainTimeoutMs: Int
    /// `--drain-delay`: how long SIGTERM keeps the listeners open before the drain.
    let drainDelayMs: Int
    /// Set on the first SIGTERM or SIGINT; shared by every loop (and the redirect listeners'
    /// copy of these settings).
    let drain = DrainState()
    /// `--health=PATH`: the answers made once.
    let health: HealthService?
    /// A client has this long to send a complete request head, counted from the connection or,
    /// on a kept-alive plain-HTTP connection, from the previous answer.
    let handshakeTimeoutMs = 10_000
    /// After our FIN, how long to wait for the peer's before closing anyway.
    var lingerMs: Int { session.lingerMs }
    var closeTimeoutMs: Int { session.closeTimeoutMs }

    /// What answers a WebSocket once it is open.
    enum BackendKind: Sendable {
        case echo
        /// websocketd's COMMAND: the resolved path and its arguments.
        case program(path: String, arguments: [String])
        /// `--dir`: a script per URL path.
        case directory(ScriptResolver)
        /// `--tcp` / `--unix`: a socket per connection (addresses resolved at start).
        case socket(SocketBackendTarget.Kind, addresses: [SocketAddress])
    }
    /// `--connect-timeout`: socket backends only; 0 = none.
    let connectTimeoutMs: Int
    /// `--proxy-protocol`: send a PROXY v1 line to socket backends first.
    let proxyProtocol: Bool
    /// `--origin` / `--sameorigin`.
    let originPolicy: OriginPolicy
    /// `--reverselookup`: REMOTE_HOST from a PTR lookup.
    let reverseLookup: Bool
    /// `--trusted-proxy` and its companions; nil = the socket peer is always the client.
    let proxyTrust: ProxyTrust?
    /// `--auth-token-key` / `--auth-basic`: set by `Gateway` once the files are read; nil =
    /// no credentials asked for.
    var access: AccessControl?
    /// `--rlimit`, `--user`, `--group`: what every program is bounded by and runs as; set by
    /// `Gateway` once the names are looked up.
    var childLimits = ChildLimits()
    /// `--pty`: the terminal each program gets; nil = pipes.
    let terminal: TerminalSettings?
    /// TERM for `--pty` programs (unless `--passenv` passes one): what xterm.js emulates.
    static let terminalType = "xterm-256color"
    /// `--max-per-ip` and `--rate`, shared by every loop; nil = neither is set.
    let clientLimiter: ClientLimiter?
    /// Line or byte mode, `--passstderr`, message size: how program output becomes messages.
    let relay: StreamRelay.Settings
    /// The kill sequence (`--closems` added to each wait).
    let teardown: TeardownPlan
    /// `--passenv` variables as `NAME=value`, read once at start.
    let passedEnvironment: [(name: String, value: String)]
    /// `SERVER_SOFTWARE` for programs.
    let serverSoftware = "\(Version.programName)/\(Version.version)"
    /// Which service answers each request.
    let router: RequestRouter
    /// `--staticdir`, once its directory is open (`Gateway.run`).
    var staticFiles: StaticFileService?
    /// `--cgidir`, once its directory is open (`Gateway.run`).
    var cgi: CGIService?
    /// `--devconsole`, dated at the start (`Gateway.run`).
    var devConsole: DevConsoleService?
    /// `--metrics=PATH`, once the loops' counters exist (`Gateway.run`).
    var metrics: MetricsService?
    /// `--ssl`: the certificate, key and policy every accepted connection's TLS comes from,
    /// loaded at start (`Gateway.run`) and again when the certificate is renewed.
    var tls: RenewableTLSContext?
    /// `--redirport`: set only in the settings of the redirect listeners' connections, which
    /// answer every request with its 301.
    var redirect: RedirectService?
    /// `http` or `https`: for URLs in log lines.
    var httpScheme: String { tls == nil ? "http" : "https" }
    /// Plain-HTTP keep-alive: requests per connection (the idle limit is the head timeout).
    let keepAlive = KeepAlivePolicy(maxRequests: 1000)

    init(config: GatewayConfig) {
        maxSessions = config.maxForks > 0 ? config.maxForks : nil
        headersForAll = config.headers.map { ($0.name, $0.value) }
        headersForUpgrade = config.wsHeaders.map { ($0.name, $0.value) }
        headersForPlainHTTP = config.httpHeaders.map { ($0.name, $0.value) }
        headersForPlainAnswers = headersForAll + headersForPlainHTTP
        subprotocolPolicy = config.subprotocols.map { .preferred($0) } ?? .default
        var session = WebSocketSession.Settings(
            maxMessageSize: config.effectiveMaxFrameSize,
            maxStreamedMessageSize: config.streamedMaxFrameSize,
            pingIntervalMs: config.pingMs > 0 ? config.pingMs : nil)
        session.compressionMinimumSize = config.compressMinSize
        session.compressionLevel = config.compressLevel
        session.maxSessionMs = config.maxSessionMs > 0 ? config.maxSessionMs : nil
        session.idleTimeoutMs = config.idleTimeoutMs > 0 ? config.idleTimeoutMs : nil
        self.session = session
        deflate = config.compress ? Self.deflateSettings(config) : nil
        switch config.backend {
        case .command(let path, let arguments):
            backend = .program(path: path, arguments: arguments)
        case .directory(let root):
            // websocketd makes --dir absolute at start; scripts are looked up per request.
            var absolute = root.hasPrefix("/") ? root : FileSystem.currentDirectory + "/" + root
            while absolute.count > 1 && absolute.hasSuffix("/") { absolute.removeLast() }
            backend = .directory(ScriptResolver(root: absolute, fileSystem: PosixFileSystem()))
        case .tcp(let host, let port):
            let kind = SocketBackendTarget.Kind.tcp(host: host, port: port)
            // A name that does not resolve now is tried again per connection.
            let addresses = (try? SocketBackendTarget.resolve(kind).get()) ?? []
            backend = .socket(kind, addresses: addresses)
        case .unix(let path):
            let kind = SocketBackendTarget.Kind.unix(path: path)
            backend = .socket(kind, addresses: (try? SocketBackendTarget.resolve(kind).get()) ?? [])
        case .echo, .none:
            backend = .echo
        }
        connectTimeoutMs = config.connectTimeoutMs
        drainTimeoutMs = config.drainTimeoutMs
        drainDelayMs = config.drainDelayMs
        if let path = config.healthPath {
            health = HealthService(path: path, drain: drain, extraHeaders: headersForPlainAnswers)
        } else {
            health = nil
        }
        proxyProtocol = config.proxyProtocol
        originPolicy = OriginPolicy(allowed: config.origins, sameOrigin: config.sameOrigin)
        reverseLookup = config.reverseLookup
        proxyTrust = ProxyTrust(config: config)
        clientLimiter = ClientLimiter(config: config)
        var relay = StreamRelay.Settings(mode: config.binary ? .bytes : .lines, passStderr: config.passStderr,
                                         maxMessageSize: session.maxMessageSize)
        relay.textIsTerminalCommand = config.pty && config.binary
        self.relay = relay
        // Line mode streams a program: a raw terminal, stderr apart as without --pty. Byte mode
        // is an interactive terminal: cooked, echoing, with stderr (a shell's prompt) on it.
        terminal = config.pty ? TerminalSettings(columns: UInt16(config.ptyColumns), rows: UInt16(config.ptyRows),
                                                 raw: !config.binary, stderrOnTerminal: config.binary) : nil
        rooms = config.broadcast ? Room.Settings(
            mode: relay.mode, maxMessageSize: session.maxMessageSize, queueLimit: config.roomQueueBytes,
            slowClient: SlowClientPolicy(rawValue: config.slowClient.rawValue) ?? .disconnect,
            lingerMs: config.roomLingerMs,
            backendProtocol: RoomBackendProtocol(rawValue: config.roomProtocol.rawValue) ?? .plain,
            compression: config.compress
                ? Room.Settings.SharedCompression(windowBits: config.compressWindowBits, minimumSize: config.compressMinSize,
                                                  level: config.compressLevel)
                : nil) : nil
        maxRooms = config.maxRooms
        teardown = .websocketd(closeMs: config.closeMs, interrupt: Signal.interrupt.rawValue,
                               terminate: Signal.terminate.rawValue, kill: Signal.kill.rawValue)
        hasWebSocketBackend = config.backend != .none
        router = RequestRouter(hasWebSocketBackend: hasWebSocketBackend, servesDevConsole: config.devConsole,
                               servesCGI: config.cgiDir != nil,
                               servesStaticFiles: config.staticDir != nil, metricsPath: config.metricsPath,
                               healthPath: config.healthPath)
        passedEnvironment = config.passedEnvironment.map { entry in
            let equals = entry.firstIndex(of: "=") ?? entry.endIndex
            return (String(entry[..<equals]), String(entry[entry.index(after: equals)...]))
        }
    }

    /// For the start-up log line.
    var backendDescription: String {
        switch backend {
        case .echo: return "built-in echo"
        case .program(let path, let arguments): return "application : " + ([path] + arguments).joined(separator: " ")
        case .directory(let resolver): return "directory : " + resolver.root
        case .socket(let kind, _): return "backend : " + SocketBackendTarget(kind: kind, addresses: []).description
        }
    }
}

extension ServerSettings {
    /// `--compress`'s negotiation. Memory first: the client is asked to compress each message
    /// on its own (`client_no_context_takeover`), so a connection's inflater holds nothing
    /// between messages; wsgate keeps its own compression context, which makes repeated
    /// text (logs, JSON) small, except in rooms, where one compressed frame goes to every
    /// member and so cannot depend on what one member received before.
    static func deflateSettings(_ config: GatewayConfig) -> PerMessageDeflateSettings {
        PerMessageDeflateSettings(serverMaxWindowBits: config.compressWindowBits,
                                  requestClientNoContextTakeover: true,
                                  serverNoContextTakeover: config.broadcast,
                                  clientMaxWindowBits: 15)
    }
}
