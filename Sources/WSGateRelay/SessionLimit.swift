/// A limit that ended a session: `--max-session` or `--idle-timeout`.
///
/// Why it exists: the session closes itself (1008, with `closeReason`), but the log line that
/// says why belongs to whoever logs the connection; this value carries the why between them.
public enum SessionLimit: Sendable, Equatable {
    /// `--max-session`: the session was open this many milliseconds.
    case sessionTime(milliseconds: Int)
    /// `--idle-timeout`: no data message went either way for this many milliseconds.
    case idle(milliseconds: Int)

    /// The reason in the close frame (and the start of the log line).
    public var closeReason: String {
        switch self {
        case .sessionTime: "session time limit"
        case .idle: "idle timeout"
        }
    }

    /// The limit that was reached.
    public var milliseconds: Int {
        switch self {
        case .sessionTime(let milliseconds), .idle(let milliseconds): milliseconds
        }
    }
}
