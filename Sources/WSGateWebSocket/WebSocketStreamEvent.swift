/// What the message streamer produces: parts of data messages and whole control frames.
///
/// Why it exists: the streamer's output is the assembler's input and a streaming session's
/// input alike; control frames (already validated, §5.5) travel beside the parts so a ping in
/// the middle of a fragmented message is answered at once.
public enum WebSocketStreamEvent: Equatable, Sendable {
    /// A part of the data message in progress.
    case part(WebSocketMessagePart)
    /// A ping, pong or close (never `.message`).
    case control(WebSocketMessageEvent)
}
