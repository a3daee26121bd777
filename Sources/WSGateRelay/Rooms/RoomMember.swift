public import WSGateCore
public import WSGateRoomProtocol
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
    /// The client's address as the access log writes it (`--room-protocol=json`'s join event).
    public let remote: String
    /// Its number in the room, given when it joins (`--room-protocol=json`).
    public internal(set) var id = RoomClientID(0)
    /// Told when the policy acts on this member (logs, metrics).
    public var onEvent: (RoomMemberEvent) -> Void = { _ in }
    /// Messages dropped since its queue was last below the limit (`drop`).
    var droppedInEpisode = 0
    /// Messages ever dropped for it: such a member is never closed with 1000.
    public internal(set) var droppedTotal = 0
    /// The room paused its reading because the backend's input is full.
    public internal(set) var readingPausedForInput = false

    init(room: Room, remote: String) {
        self.room = room
        self.remote = remote
    }

    /// Whether messages may still be sent to it.
    var isReceiving: Bool { session?.isOpen ?? false }

    public func sessionDidOpen(_ session: WebSocketSession) {
        self.session = session
        room?.add(self)
    }

    public func session(_ session: WebSocketSession, didReceive opcode: WebSocketOpcode, payload: ByteBuffer) {
        room?.member(self, didSend: opcode, payload: payload)
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
        // Whoever closed first; RFC 6455 §7.1.5: 1005 for a close frame without a code, 1006
        // for no close frame at all.
        let code = if session.receivedClose {
            closeCode?.rawValue ?? 1005
        } else {
            session.sentCloseCode?.rawValue ?? 1006
        }
        room.remove(self, closeCode: code)
    }
}

@available(*, unavailable)
extension RoomMember: Sendable {}
