import WSGateConfig

/// The checks that look at the whole command line once the flags are read.
///
/// Why it exists: websocketd refuses, with exit 1, a line whose flags are each fine but do not
/// fit together (two backends, `--ssl` without its files, a missing COMMAND or directory) and
/// with exit 4 `--devconsole` beside `--staticdir`/`--cgidir`. Keeping these apart from the Go
/// `flag` pass keeps both readable. The system is only reached through the injected probes.
enum CommandLineValidator {
    /// `--loglevel`, which websocketd checks right after the flags, before `--version`.
    static func logLevel(_ parsed: ParsedArguments) throws(CLIError) -> LogLevel {
        guard let level = LogLevel(name: parsed.logLevelName) else {
            throw .unknownLogLevel(parsed.logLevelName)
        }
        return level
    }

    /// The configuration, or the first problem in websocketd's order: TLS files, `--binary`
    /// with `--passstderr`, backend count, COMMAND lookup, directories, dev console conflict.
    static func validate(
        _ parsed: ParsedArguments, environment: CommandLineEnvironment
    ) throws(CLIError) -> GatewayConfig {
        var config = parsed.config
        try checkTLS(config)
        if config.binary && config.passStderr { throw .binaryWithPassStderr }
        config.backend = try backend(parsed, environment: environment)
        try checkDirectories(config, environment: environment)
        try checkRooms(config)
        try checkCompression(config)
        try checkProxies(config)
        try checkAuth(config)
        try checkTerminal(config)
        if config.rateBurst != nil && config.rate == nil { throw .rateBurstWithoutRate }
        if config.devConsole && (config.staticDir != nil || config.cgiDir != nil) {
            throw .devConsoleConflict
        }
        config.listenOnTCP = config.unixSocket == nil
            || parsed.wasGiven("port") || parsed.wasGiven("address") || config.redirPort != 0
        config.passedEnvironment = passedEnvironment(config.passEnv, from: environment.processEnvironment)
        return config
    }

    /// Refuses the first flag written whose feature is not built yet, then COMMAND.
    static func requireAvailable(_ parsed: ParsedArguments) throws(CLIError) {
        for name in parsed.givenFlags where FlagSpec.named(name)?.availability == .notYetAvailable {
            throw .notYetAvailable("--" + name)
        }
        if !parsed.command.isEmpty && FlagSpec.commandAvailability == .notYetAvailable {
            throw .notYetAvailable("COMMAND")
        }
    }

    /// A room flag set away from its default needs `--broadcast`; a room needs a backend it can
    /// share.
    private static func checkRooms(_ config: GatewayConfig) throws(CLIError) {
        guard config.broadcast else {
            if let flag = roomFlagsChanged(config).first { throw .needsBroadcast(flag: flag) }
            return
        }
        switch config.backend {
        case .command, .directory, .tcp, .unix: break
        case .echo: throw .broadcastConflict("needs COMMAND, --dir, --tcp or --unix, not --echo")
        case .none: throw .broadcastConflict("needs COMMAND, --dir, --tcp or --unix")
        }
        if config.passStderr { throw .broadcastConflict("and --passstderr cannot be used together (stderr goes to the log)") }
        if config.roomProtocol == .json && config.binary {
            throw .broadcastConflict("with --room-protocol=json takes no --binary: binary messages travel as base64 (the \"binary\" key)")
        }
    }

    /// The flags that only mean something with `--broadcast` whose value differs from the
    /// default. A default written out changes nothing, so it is accepted: the Debian config
    /// file's commented defaults must each work uncommented.
    static func roomFlagsChanged(_ config: GatewayConfig) -> [String] {
        let standard = GatewayConfig()
        let flags: [(String, Bool)] = [
            ("room-linger", config.roomLingerMs != standard.roomLingerMs),
            ("maxrooms", config.maxRooms != standard.maxRooms),
            ("room-queue", config.roomQueueBytes != standard.roomQueueBytes),
            ("slow-client", config.slowClient != standard.slowClient),
            ("room-protocol", config.roomProtocol != standard.roomProtocol),
        ]
        return flags.filter(\.1).map(\.0)
    }

    /// A `--compress-*` flag set away from its default needs `--compress` (a default written
    /// out is accepted, as for the room flags).
    private static func checkCompression(_ config: GatewayConfig) throws(CLIError) {
        guard !config.compress else { return }
        let standard = GatewayConfig()
        if config.compressWindowBits != standard.compressWindowBits { throw .needsCompress(flag: "compress-window-bits") }
        if config.compressMinSize != standard.compressMinSize { throw .needsCompress(flag: "compress-min-size") }
        if config.compressLevel != standard.compressLevel { throw .needsCompress(flag: "compress-level") }
    }

    /// A PROXY header is only read from peers the operator named.
    private static func checkProxies(_ config: GatewayConfig) throws(CLIError) {
        if config.acceptProxyProtocol && config.trustedProxies.isEmpty {
            throw .proxyProtocolConflict("needs --trusted-proxy (the peers allowed to send the header)")
        }
    }

    /// A terminal is for a program of its own: COMMAND or `--dir`, not a socket, the echo or a
    /// room (whose one program many clients share).
    private static func checkTerminal(_ config: GatewayConfig) throws(CLIError) {
        let standard = GatewayConfig()
        if !config.pty && (config.ptyColumns, config.ptyRows) != (standard.ptyColumns, standard.ptyRows) {
            throw .ptyConflict("--pty-size only applies to --pty.")
        }
        guard config.pty else { return }
        switch config.backend {
        case .command, .directory: break
        default: throw .ptyConflict("--pty needs COMMAND or --dir: a terminal is for a program.")
        }
        if config.broadcast { throw .ptyConflict("--pty and --broadcast cannot be used together (a room's program is shared).") }
    }

    /// The token flags need a key, and a guarded scope needs a way in.
    private static func checkAuth(_ config: GatewayConfig) throws(CLIError) {
        if config.authAudience != nil && config.authTokenKey == nil {
            throw .authConflict("--auth-audience needs --auth-token-key.")
        }
        if config.authScope == .all && config.authTokenKey == nil && config.authBasic == nil {
            throw .authConflict("--auth-scope=all needs --auth-token-key or --auth-basic.")
        }
    }

    private static func checkTLS(_ config: GatewayConfig) throws(CLIError) {
        if config.ssl {
            guard config.sslCert != nil, config.sslKey != nil else { throw .sslNeedsCertificateAndKey }
        } else if config.sslCert != nil || config.sslKey != nil || config.sslCA != nil {
            throw .sslFilesWithoutSSL
        }
    }

    /// Exactly one of COMMAND, `--dir`, `--tcp`, `--unix`, `--echo`; or none when a plain-HTTP
    /// service runs.
    private static func backend(
        _ parsed: ParsedArguments, environment: CommandLineEnvironment
    ) throws(CLIError) -> BackendSpec {
        let config = parsed.config
        let names = (parsed.command.isEmpty ? [] : ["COMMAND"]) + parsed.backendFlags.map { "--" + $0.flag }
        guard names.count <= 1 else { throw .ambiguousBackends(names) }
        if let name = parsed.command.first {
            switch environment.lookUpExecutable(name) {
            case .found(let path): return .command(path: path, arguments: Array(parsed.command.dropFirst()))
            case .notExecutable(let path): throw .commandNotExecutable(name: name, path: path)
            case .notFound: throw .commandNotFound(name)
            }
        }
        if let only = parsed.backendFlags.first { return only.backend }
        guard config.staticDir != nil || config.cgiDir != nil || config.devConsole else {
            throw .noBackend
        }
        return .none
    }

    /// `--dir`, `--cgidir`, `--staticdir` must name existing directories (websocketd's order).
    private static func checkDirectories(
        _ config: GatewayConfig, environment: CommandLineEnvironment
    ) throws(CLIError) {
        var directories: [(flag: String, path: String)] = []
        if case .directory(let path) = config.backend { directories.append(("dir", path)) }
        if let path = config.cgiDir { directories.append(("cgidir", path)) }
        if let path = config.staticDir { directories.append(("staticdir", path)) }
        for (flag, path) in directories where !environment.isDirectory(path) {
            throw .notADirectory(flag: flag, path: path)
        }
    }

    /// websocketd's capture of `--passenv` at start: CR and LF become spaces, surrounding white
    /// space is trimmed, unset or empty values and `HTTPS` are skipped (a repeated name once).
    static func passedEnvironment(_ names: [String], from environment: [String: String]) -> [String] {
        var seen: [String] = []
        var result: [String] = []
        for name in names where name != "HTTPS" && !seen.contains(name) {
            seen.append(name)
            guard let raw = environment[name] else { continue }
            var flattened = String.UnicodeScalarView()
            for scalar in raw.unicodeScalars {
                flattened.append(scalar == "\n" || scalar == "\r" ? " " : scalar)
            }
            let value = String(flattened).trimmingWhitespace()
            if !value.isEmpty { result.append(name + "=" + value) }
        }
        return result
    }
}
