/// What a room's backend reads and writes (`--room-protocol`).
///
/// Why it exists: a plain backend (`cat`, a line-based service) needs no knowledge of the
/// room's clients; a game or chat server written for rooms needs to know who joined, who said
/// what and who left, and to answer one client. The second is opt-in, so any line program
/// stays a working room.
public enum RoomBackendProtocol: String, Sendable, CaseIterable {
    /// Client messages are lines to the backend; each output line goes to every client.
    case plain
    /// JSON events to the backend, JSON commands from it, one object a line
    /// (docs/room-protocol.md).
    case json
}
