public import WSGateCore
public import WSGateWebSocket

/// One client of a room: the `SessionBackend` its WebSocket session talks to.
///
/// Why it exists: the session knows one backend; a room has many sessions. The member ties
/// one session to the room and keeps what is per client: its share of the slow-client policy
/// (messages dropped for it) and whether the room paused its reading. It takes whole messages
/// (not a `StreamingSessionBackend`): the session assembles each one, up to `--maxframesize`,
/// so a message reaches the backend in one piece and never interleaves with another client's.
///
/// - Warning: loop-confined (the room's loop).
public final class RoomMember: SessionBackend {
    /// The room; released when the member leaves.
    public private(set) var room: Room?
    public private(set) weak var session: WebSocketSession?
    /// Told when the policy acts on this member (logs, metrics).
    public var onEvent: (RoomMemberEvent) -> Void = { _ in }
    /// Messages dropped since its queue was last below the limit (`drop`).
    var droppedInEpisode = 0
    /// Messages ever dropped for it: such a member is never closed with 1000.
    public internal(set) var droppedTotal = 0
    /// The room paused its reading because the backend's input is full.
    public internal(set) var readingPausedForInput = false

    init(room: Room) {
        self.room = room
    }

    /// Whether messages may still be sent to it.
    var isReceiving: Bool { session?.isOpen ?? false }

    public func sessionDidOpen(_ session: WebSocketSession) {
        self.session = session
        room?.add(self)
    }

    public func session(_ session: WebSocketSession, didReceive opcode: WebSocketOpcode, payload: ByteBuffer) {
        room?.member(self, didSend: payload)
    }

    public func sessionDidDrain(_ session: WebSocketSession) {
        room?.memberDidDrain(self)
    }

    public func sessionDidReceiveClose(_ session: WebSocketSession) -> Bool { false }

    public func sessionDidClose(_ session: WebSocketSession, closeCode: WebSocketCloseCode?) {
        guard let room else { return }
        self.room = nil
        if droppedInEpisode > 0 {
            onEvent(.dropped(messages: droppedInEpisode))
            droppedInEpisode = 0
        }
        room.remove(self)
    }
}

@available(*, unavailable)
extension RoomMember: Sendable {}
