import Testing
import WSGateCompression
import WSGateCore
import WSGateEventLoop
import WSGatePosix
import WSGateRelay
import WSGateTestSupport
import WSGateWebSocket

/// Takes a message in parts and pauses the session after each one until told to go on.
final class PausingPartRecorder: StreamingSessionBackend {
    var bytes = 0
    var parts = 0
    var ended = false
    var pauses = true

    func sessionDidOpen(_ session: WebSocketSession) {}
    func session(_ session: WebSocketSession, didReceive opcode: WebSocketOpcode, payload: ByteBuffer) {}
    func session(_ session: WebSocketSession, didReceivePart part: WebSocketMessagePart) {
        switch part {
        case .start: break
        case .bytes(let chunk):
            bytes += chunk.readableBytes
            parts += 1
            if pauses { session.pauseReading() }
        case .end: ended = true
        }
    }
    func sessionDidDrain(_ session: WebSocketSession) {}
    func sessionDidReceiveClose(_ session: WebSocketSession) -> Bool { false }
    func sessionDidClose(_ session: WebSocketSession, closeCode: WebSocketCloseCode?) {}
}

/// A compressed session on a socket pair, tick by tick: inflation stops while the backend is
/// full and goes on when it resumes, with no new input; the deflater hibernates exactly when
/// the clock says and the client still decodes the next message with its context.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct WebSocketSessionCompressionHarnessTests {
    static let agreement = PerMessageDeflateAgreement(
        serverNoContextTakeover: false, clientNoContextTakeover: true, serverMaxWindowBits: 15, clientMaxWindowBits: 15,
        responseValue: "permessage-deflate; client_no_context_takeover")

    static func start(_ backend: any SessionBackend) throws -> (LoopHarness, WebSocketSession, PeerSocket) {
        let harness = try LoopHarness()
        let (ours, peer) = try PeerSocket.pair()
        let transport = StreamTransport(loop: harness.loop, descriptor: ours)
        try transport.start()
        let settings = WebSocketSession.Settings(maxMessageSize: 1 << 20, closeTimeoutMs: 5000, lingerMs: 2000)
        let session = WebSocketSession(transport: transport, settings: settings, backend: backend, deflate: agreement)
        var none = ByteBuffer()
        session.start(initialBytes: &none)
        return (harness, session, peer)
    }

    /// 4 MiB of zeros in a frame of a few KiB: one piece per resume, never more.
    @Test func inflationWaitsForTheBackendAndGoesOnWithoutNewInput() throws {
        let backend = PausingPartRecorder()
        let (harness, session, peer) = try Self.start(backend)
        let message = [UInt8](repeating: 0, count: 4 << 20)
        let deflated = MessageDeflater(windowBits: 15, noContextTakeover: true).compress(ByteBuffer(bytes: message))!
        try peer.writeAll(FrameBytes.frame(rsv: 4, opcode: 2, payload: deflated.readableBytesArray))
        try harness.tick(until: "a first part") { backend.parts == 1 }
        try harness.tick(5)
        #expect(backend.parts == 1, "nothing is inflated while the backend is full")
        session.resumeReading()
        try harness.tick(until: "a second part") { backend.parts == 2 }
        try harness.tick(5)
        #expect(backend.parts == 2)
        backend.pauses = false
        session.resumeReading()
        try harness.tick(until: "the whole message") { backend.ended }
        #expect(backend.bytes == message.count)
        #expect(backend.parts > 2)
    }

    @Test func theDeflaterHibernatesAfterAnIdleSecondAndContextStillHolds() throws {
        let (harness, session, peer) = try Self.start(PausingPartRecorder())
        let text = ByteBuffer(string: String(repeating: "{\"sensor\":7,\"value\":42.5,\"unit\":\"C\"}\n", count: 20))
        let inflater = MessageInflater(windowBits: 15, noContextTakeover: false)
        var frames: [[UInt8]] = []
        func receiveOne() throws {
            let before = frames.count
            try harness.tick(until: "a message") {
                try peer.read()
                frames = ServerFrames.decode(peer.received).map(\.payload)
                return frames.count > before
            }
            #expect(try inflater.inflateMessage(frames[before]) == text.readableBytesArray)
        }
        session.send(.text, text)
        try receiveOne()
        #expect(session.deflaterHoldsZlibState)
        try harness.advance(milliseconds: 999)
        #expect(session.deflaterHoldsZlibState)
        try harness.advance(milliseconds: 1)
        #expect(!session.deflaterHoldsZlibState)
        session.send(.text, text)
        try receiveOne()
        #expect(frames[1].count * 4 < frames[0].count, "the second message refers back to the first")
    }
}

extension MessageInflater {
    /// One whole message's inflated bytes.
    func inflateMessage(_ compressed: [UInt8]) throws -> [UInt8] {
        feed(ByteBuffer(bytes: compressed))
        finishMessage()
        var bytes: [UInt8] = []
        while let piece = try nextPiece(maxBytes: 1 << 16) { bytes += piece.readableBytesArray }
        return bytes
    }
}
