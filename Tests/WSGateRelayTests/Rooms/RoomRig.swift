import WSGateBackends
import WSGateCore
import WSGateEventLoop
import WSGatePosix
import WSGateRelay
import WSGateTestSupport
import WSGateWebSocket

/// A room on one harness loop: its backend a `SocketEndpoint` whose far end the test plays,
/// and members whose clients are socket pairs the test reads and writes.
final class RoomRig {
    let harness: LoopHarness
    let room: Room
    let backend: PeerSocket
    var clients: [RoomClient] = []
    var events: [RoomLifecycleEvent] = []
    var finished = false
    /// False once the test hung up the backend's far end.
    private(set) var backendOpen = true

    init(queueLimit: Int = 1 << 20, policy: SlowClientPolicy = .disconnect, lingerMs: Int = 0,
         mode: StreamRelay.Mode = .lines, backendProtocol: RoomBackendProtocol = .plain) throws {
        harness = try LoopHarness()
        let (backendEnd, backend) = try PeerSocket.pair()
        self.backend = backend
        let endpoint = SocketEndpoint(socket: backendEnd, loop: harness.loop)
        room = Room(path: "/chat", endpoint: endpoint, loop: harness.loop,
                    settings: Room.Settings(mode: mode, maxMessageSize: 1 << 20, queueLimit: queueLimit,
                                            slowClient: policy, lingerMs: lingerMs,
                                            backendProtocol: backendProtocol))
        room.onEvent = { [unowned self] in self.events.append($0) }
        room.onFinish = { [unowned self] _ in self.finished = true }
    }

    /// What the backend received, as lines.
    var backendLines: [String] {
        String(decoding: backend.received, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// The backend's far end hangs up (the backend ends).
    func closeBackend() {
        backendOpen = false
        backend.close()
    }

    /// A new client joined to the room; `sendBuffer` shrinks the gateway's kernel buffer to it.
    @discardableResult
    func join(sendBuffer: Int? = nil) throws -> RoomClient {
        let client = try RoomClient(room: room, loop: harness.loop, sendBuffer: sendBuffer, remote: "192.0.2.\(clients.count + 1)")
        clients.append(client)
        return client
    }

    /// Ticks until `condition` holds, every client in `reading` reading before each tick.
    func tick(until what: String, reading: [RoomClient], _ condition: () throws -> Bool) throws {
        try harness.tick(until: what, maxTicks: 5000) {
            for client in reading { try client.peer.read() }
            if backendOpen { try backend.read() }
            return try condition()
        }
    }
}

/// One member: its session and the test's end of its socket.
final class RoomClient {
    let peer: PeerSocket
    let session: WebSocketSession
    let member: RoomMember
    var events: [RoomMemberEvent] = []

    init(room: Room, loop: EventLoop, sendBuffer: Int?, remote: String) throws {
        let (ours, peer) = try PeerSocket.pair(sendBuffer: sendBuffer)
        self.peer = peer
        let transport = StreamTransport(loop: loop, descriptor: ours)
        try transport.start()
        member = room.makeMember(remote: remote)
        session = WebSocketSession(transport: transport, settings: WebSocketSession.Settings(maxMessageSize: 1 << 20),
                                   backend: member)
        member.onEvent = { [unowned self] in self.events.append($0) }
        var none = ByteBuffer()
        session.start(initialBytes: &none)
    }

    /// The server frames received so far, decoded (a partial last frame is left out).
    var frames: [(opcode: UInt8, payload: [UInt8])] { ServerFrames.decode(peer.received) }

    /// The text of the text frames received.
    var texts: [String] {
        frames.filter { $0.opcode == WebSocketOpcode.text.rawValue }.map { String(decoding: $0.payload, as: UTF8.self) }
    }

    /// The close code received, if a close frame came.
    var closeCode: UInt16? {
        guard let close = frames.first(where: { $0.opcode == WebSocketOpcode.close.rawValue }),
              close.payload.count >= 2 else { return nil }
        return UInt16(close.payload[0]) << 8 | UInt16(close.payload[1])
    }
}
