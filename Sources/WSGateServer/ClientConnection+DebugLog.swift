import WSGateBackends
import WSGateConfig
import WSGatePosix
import WSGateRelay
import WSGateTLS
import WSGateWebSocket

/// The `--loglevel=debug` and `trace` lines of one WebSocket connection, in websocketd's
/// categories and words: the program's environment (`env`), its pipes and its end (`process`),
/// the end of the WebSocket (`websocket`); and wsgate's own for TLS and socket backends.
///
/// Why it exists: people debug a script with websocketd's lines and compare them between
/// servers. Each function checks the level before it builds anything, so a connection costs
/// nothing extra when those levels are off.
extension ClientConnection {
    /// One line per environment variable, as websocketd words them: `Std. variable: NAME=…`,
    /// `Parent envvar: NAME=…` (a `--passenv` variable), `Header variable HTTP_…=…`. Like
    /// websocketd's, these lines come before the origin is known, so they carry no origin.
    func logEnvironment(_ environment: EnvironmentBlock) {
        let logger = context.logger
        guard logger.isEnabled(.debug) else { return }
        let passed = context.settings.passedEnvironment.map(\.name)
        let lineFields = fields.filter { $0.key != "origin" }
        for entry in environment.entries {
            let name = String(entry.prefix { $0 != "=" })
            let label = passed.contains(name) ? "Parent envvar: "
                : name.hasPrefix("HTTP_") ? "Header variable " : "Std. variable: "
            logger.log(.debug, "env", lineFields, label + entry)
        }
    }

    /// What reports the program's events to the log, or nil when debug lines are off.
    func programEventLog(pid: Int32, fields: [(key: String, value: String)]) -> ((ProgramEvent) -> Void)? {
        let logger = context.logger
        guard logger.isEnabled(.debug) else { return nil }
        return { event in logger.log(.debug, "process", fields, Self.message(for: event, pid: pid)) }
    }

    /// websocketd's words for a program event.
    static func message(for event: ProgramEvent, pid: Int32) -> String {
        switch event {
        case .stdoutClosed: "Process STDOUT closed"
        case .stderrClosed: "Process STDERR closed"
        case .exited(after: .signal(let number)?): "Process \(pid) terminated after \(Signal(rawValue: number))"
        case .exited(after: .closeStdin?), .exited(after: nil): "Process \(pid) terminated after stdin was closed"
        }
    }

    /// The session is over: why reading the client stopped (debug), then websocketd's trace line.
    func logSessionEnd(_ session: WebSocketSession, error: String?) {
        let logger = context.logger
        if logger.isEnabled(.debug) {
            logger.log(.debug, "websocket", fields,
                       "Cannot receive: " + Self.receiveEnd(closeCode: session.receivedCloseCode, error: error))
        }
        logger.log(.trace, "websocket", fields, "Terminated websocket connection")
    }

    /// Why the client's side ended, in the words of websocketd's WebSocket library (gorilla's
    /// `websocket: close 1000 (normal)`), or wsgate's error.
    static func receiveEnd(closeCode: WebSocketCloseCode?, error: String?) -> String {
        guard let closeCode else { return error ?? "websocket: close 1006 (abnormal closure): unexpected EOF" }
        let name: String? = switch closeCode.rawValue {
        case 1000: "normal"
        case 1001: "going away"
        case 1002: "protocol error"
        case 1003: "unsupported data"
        case 1005: "no status"
        case 1006: "abnormal closure"
        case 1007: "invalid payload data"
        case 1008: "policy violation"
        case 1009: "message too big"
        case 1010: "mandatory extension missing"
        case 1011: "internal server error"
        case 1015: "TLS handshake error"
        default: nil
        }
        return "websocket: close \(closeCode.rawValue)" + (name.map { " (\($0))" } ?? "")
    }

    /// wsgate's: the TLS session an upgrade came over (`--ssl`).
    func logTLSSession() {
        let logger = context.logger
        guard logger.isEnabled(.debug), let tlsEngine else { return }
        var message = "TLS session: " + tlsEngine.protocolVersion
        if let alpn = tlsEngine.applicationProtocol { message += ", ALPN " + alpn }
        if let subject = tlsEngine.verifiedPeerSubject { message += ", client certificate " + subject }
        logger.log(.debug, "session", fields, message)
    }
}
