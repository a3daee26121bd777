public import WSGateBackends

/// What happened to a room as a whole, for the gateway's log lines.
public enum RoomLifecycleEvent: Equatable, Sendable {
    /// The backend ended while `members` clients were in the room: each gets 1000 or 1011.
    case backendEnded(EndpointOutcome, members: Int)
    /// The last member left: the backend is wound down after `lingerMs`.
    case emptied(lingerMs: Int)
    /// `--slow-client=block`: the backend is not read until `members` members drained.
    case backendPaused(members: Int)
    /// A member joined before the linger ran out: the backend keeps running.
    case lingerCancelled
    /// `--room-protocol=json`: an output line that is not a command was skipped; `reason` is
    /// why (one log line).
    case commandSkipped(reason: String)
}
