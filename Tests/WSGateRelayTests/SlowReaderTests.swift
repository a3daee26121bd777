import Glibc
import Testing
import WSGateCore
import WSGateEventLoop
import WSGatePosix
import WSGateRelay
import WSGateTestSupport
import WSGateWebSocket

/// Sends one binary message when the session opens, then closes with 1000.
final class SendThenCloseBackend: SessionBackend {
    let payload: ByteBuffer
    init(_ payload: ByteBuffer) { self.payload = payload }
    func sessionDidOpen(_ session: WebSocketSession) {
        session.send(.binary, payload)
        session.close(code: .normalClosure, reason: "")
    }
    func session(_ session: WebSocketSession, didReceive opcode: WebSocketOpcode, payload: ByteBuffer) {}
    func sessionDidDrain(_ session: WebSocketSession) {}
    func sessionDidReceiveClose(_ session: WebSocketSession) -> Bool { false }
    func sessionDidClose(_ session: WebSocketSession, closeCode: WebSocketCloseCode?) {}
}

/// A close gives a slow reader everything queued before it: the wait for the peer (the
/// transport's linger, the session's wait for the client's close) starts again as long as the
/// reader keeps taking bytes. Over a socket pair with a small buffer, driven tick by tick with
/// a manual clock (LoopHarness).
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct SlowReaderTests {
    static let payload = (0..<262_144).map { UInt8(truncatingIfNeeded: $0 % 251) }

    /// A loop and a transport on one end of a socket pair whose kernel buffer holds 8 KiB.
    static func transportOnSocketPair() throws -> (LoopHarness, StreamTransport, reader: FileDescriptor) {
        let harness = try LoopHarness()
        let (a, b) = try Socket.pair()
        try Socket.setSendBufferSize(a, 8192)
        let transport = StreamTransport(loop: harness.loop, descriptor: a)
        try transport.start()
        return (harness, transport, b)
    }

    /// Reads like a slow client until EOF: each round takes what the kernel holds, moves the
    /// clock 2 ms (every 1 ms wait of the code under test expires in every tick), then lets the
    /// loop refill the socket. Returns everything read.
    static func readSlowly(_ reader: FileDescriptor, harness: LoopHarness) throws -> ByteBuffer {
        var received = ByteBuffer()
        for _ in 0..<10_000 {
            while true {
                guard case .processed(let count) = try reader.read(into: &received, maxBytes: 4096) else { break }
                if count == 0 { return received }
            }
            try harness.advance(milliseconds: 2)
        }
        throw IOError(errno: ETIMEDOUT, function: "readSlowly")
    }

    @Test func theTransportsLingerWaitsWhileTheReaderTakesBytes() throws {
        let (harness, transport, reader) = try Self.transportOnSocketPair()
        defer { reader.close() }
        transport.write(ByteBuffer(bytes: Self.payload))
        transport.close(lingerMilliseconds: 1)
        let received = try Self.readSlowly(reader, harness: harness)
        #expect(received.readableBytes == Self.payload.count)
        let intact = received.readableBytesArray == Self.payload  // not inside #expect: no 256 KiB diff
        #expect(intact)
        #expect(!transport.isOpen)
    }

    @Test func theSessionsWaitForTheClientsCloseWaitsWhileTheClientReads() throws {
        let (harness, transport, reader) = try Self.transportOnSocketPair()
        defer { reader.close() }
        let session = WebSocketSession(
            transport: transport, settings: .init(maxMessageSize: 1 << 20, closeTimeoutMs: 1, lingerMs: 1),
            backend: SendThenCloseBackend(ByteBuffer(bytes: Self.payload)))
        var none = ByteBuffer()
        session.start(initialBytes: &none)
        var received = try Self.readSlowly(reader, harness: harness)
        var decoder = WebSocketFrameDecoder(role: .client, maxPayloadLength: 1 << 20)
        var message: [UInt8] = []
        var closeCode: WebSocketCloseCode?
        while let event = try decoder.next(&received) {
            switch event {
            case .dataPayload(let chunk): message += chunk.readableBytesArray
            case .control(.close, let body): closeCode = try WebSocketMessageAssembler.parseClosePayload(body).code
            default: break
            }
        }
        #expect(message.count == Self.payload.count)
        let intact = message == Self.payload  // not inside #expect: no 256 KiB diff
        #expect(intact)
        #expect(closeCode == .normalClosure)
    }
}
