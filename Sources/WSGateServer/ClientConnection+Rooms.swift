import WSGateBackends
import WSGateConfig
import WSGateCore
import WSGateEventLoop
import WSGateHTTP
import WSGateRelay
import WSGateWebSocket

/// `--broadcast`: the way from an upgrade request into a room: the room is found or its
/// backend started before the 101 (so `--maxrooms` is a 429 and a backend that cannot start a
/// 500 or 502), then the session's backend is a `RoomMember`.
extension ClientConnection {
    /// Joins the room of the request's URL path (decoded, without the query). Reading pauses
    /// first, so bytes the client sent early wait in the transport for the session, whether
    /// the room is found at once or its backend must connect first (a socket room's first
    /// client, and every client that comes meanwhile, waits for the connect).
    func joinRoom(_ accept: WebSocketHandshakeAccept, head: HTTPRequestHead, target: Target, leftover: inout ByteBuffer) {
        let room = CGIRequest.decodedPath(head.path)
        fields.append(("room", room))
        prepare()
        let request = RoomHost.Request(room: room, rawPath: head.path, target: target)
        context.rooms.admit(request) { [weak self] result in
            guard let self, case .preparing = self.phase, self.transport.isOpen else { return }
            var none = ByteBuffer()
            guard let member = self.enter(result, accept: accept, target: target, leftover: &none) else { return }
            // Unless the room paused it already (the backend's input is full).
            if !member.readingPausedForInput { self.transport.resumeReading() }
        }
    }

    /// Answers the refusal, or switches to a session whose backend is a new member (returned).
    private func enter(_ result: Result<Room, RoomRegistry.Refusal>, accept: WebSocketHandshakeAccept, target: Target,
                       leftover: inout ByteBuffer) -> RoomMember? {
        switch result {
        case .failure(.tooManyRooms):
            giveBackSlot()
            context.logger.log(.error, "room", fields,
                               "Max of rooms (\(context.settings.maxRooms)) already open, upgrade rejected")
            answer(.tooManyRequests)
            return nil
        case .failure(.backendFailed):
            // The room host logged why.
            giveBackSlot()
            if case .socket = target {
                answer(.badGateway)
            } else {
                answer(.internalServerError)
            }
            return nil
        case .success(let room):
            let member = room.makeMember(remote: remote)
            let metrics = context.metrics
            member.onEvent = { [weak self] event in
                switch event {
                case .disconnectedAsSlow: metrics.roomSlowClientDisconnected()
                case .dropped(let count): metrics.roomMessagesDropped(count)
                case .droppingStarted: break
                }
                self?.logRoomMemberEvent(event)
            }
            switchToWebSocket(accept, backend: member, leftover: &leftover)
            return member
        }
    }

    private func logRoomMemberEvent(_ event: RoomMemberEvent) {
        let limit = context.settings.rooms?.queueLimit ?? 0
        let message = switch event {
        case .disconnectedAsSlow(let queued):
            "Slow client: \(queued) bytes queued, over --room-queue=\(limit); closed with 1008"
        case .droppingStarted(let queued):
            "Slow client: \(queued) bytes queued, over --room-queue=\(limit); dropping its messages"
        case .dropped(let count):
            "Slow client: \(count) messages dropped"
        }
        context.logger.log(.info, "room", fields, message)
    }
}
