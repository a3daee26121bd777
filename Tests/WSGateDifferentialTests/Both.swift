/// What the same scenario gave on each server.
///
/// Why it exists: a differential test states its expectations about the pair (equal, or
/// differing as docs/behaviour.md says); `onBoth` runs the scenario once per server and
/// builds it.
struct Both<Result> {
    var websocketd: Result
    var wsgate: Result
}

/// Runs `scenario` once per peer (websocketd first, then wsgate) and returns both results.
func onBoth<Result>(_ scenario: (Peer) throws -> Result) throws -> Both<Result> {
    Both(websocketd: try scenario(.websocketd), wsgate: try scenario(.wsgate))
}

/// Runs `scenario` on a websocketd and on a wsgate started with the same `flags`, `command`
/// and `environment` (and `ignoring` signals ignored at start), one after the other; each
/// server is stopped when its run ends.
func onBoth<Result>(
    flags: [String] = [], command: [String], environment: [String] = Peer.environment, ignoring: [String] = [],
    _ scenario: (PeerServer) throws -> Result
) throws -> Both<Result> {
    try onBoth { peer in
        try scenario(PeerServer(peer, flags: flags, command: command, environment: environment, ignoring: ignoring))
    }
}
