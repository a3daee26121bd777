/// What a room does with a member whose write queue is over `--room-queue`.
///
/// Why it exists: one client that does not read must not cost unbounded memory, and the room
/// owner chooses what gives: that client's connection, its messages, or everyone's pace.
public enum SlowClientPolicy: String, Sendable, CaseIterable {
    /// Close it with 1008 (policy violation): the others never wait for it.
    case disconnect
    /// Drop what does not fit its queue (counted, logged, in the metrics); keep it connected.
    case drop
    /// Stop reading the backend until every member's queue is back at its low watermark:
    /// nothing is lost, the slowest member sets the pace.
    case block
}
