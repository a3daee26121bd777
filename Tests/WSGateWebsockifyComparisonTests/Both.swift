import WSGateTestSupport

/// What the same scenario gave through each gateway.
///
/// Why it exists: a comparison test states its expectations about the pair (equal, or
/// differing as docs/behaviour.md says); `onBoth` runs the scenario once per gateway and
/// builds it.
struct Both<Result> {
    var websockify: Result
    var wsgate: Result
}

/// Runs `scenario` once per gateway (websockify first, then wsgate) and returns both results.
func onBoth<Result>(_ scenario: (Gateway) throws -> Result) throws -> Both<Result> {
    Both(websockify: try scenario(.websockify), wsgate: try scenario(.wsgate))
}

/// Runs `scenario` through websockify and through `wsgate --binary` (plus `flags`), each in
/// front of its own fresh backend in `mode` (a Unix-socket one when `unix`); the gateway and
/// the backend are stopped when the run ends.
func onBoth<Result>(
    _ mode: TCPTestBackend.Mode, unix: Bool = false, flags: [String] = [],
    _ scenario: (GatewayServer, TCPTestBackend) throws -> Result
) throws -> Both<Result> {
    try onBoth { gateway in
        let backend = unix ? try TCPTestBackend(mode, unixPath: TCPTestBackend.temporaryUnixPath())
            : try TCPTestBackend(mode)
        defer { backend.stop() }
        let server = try GatewayServer(gateway, backend: backend, flags: flags)
        return try scenario(server, backend)
    }
}
