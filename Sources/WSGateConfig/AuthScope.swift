/// `--auth-scope`: which requests `--auth-token-key` and `--auth-basic` guard.
///
/// Why it exists: the WebSocket endpoint starts programs and must be guarded; whether the
/// plain-HTTP services (static files, CGI, dev console, metrics) are public is the operator's
/// choice. `--health` is never guarded: a load balancer's check carries no credentials.
public enum AuthScope: String, Sendable, Equatable, CaseIterable {
    /// WebSocket upgrades only (the default).
    case websocket
    /// Every request but `--health`'s.
    case all
}
