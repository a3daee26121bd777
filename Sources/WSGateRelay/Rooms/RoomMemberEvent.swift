/// What happened to one member of a room, for its connection's log lines and the metrics.
public enum RoomMemberEvent: Equatable, Sendable {
    /// `--slow-client=disconnect`: closed with 1008; `queuedBytes` were waiting for it.
    case disconnectedAsSlow(queuedBytes: Int)
    /// `--slow-client=drop`: its queue is full, messages for it start being dropped.
    case droppingStarted(queuedBytes: Int)
    /// `--slow-client=drop`: `messages` were dropped for it (said when its queue has room
    /// again, or when it leaves).
    case dropped(messages: Int)
}
