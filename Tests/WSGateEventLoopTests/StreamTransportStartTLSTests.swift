import Testing
import WSGateCore
import WSGateEventLoop
import WSGatePosix
import WSGateTLS
import WSGateTestSupport

/// A delegate that reads a plaintext preamble (a PROXY header, say), then puts TLS under the
/// stream with whatever followed it in the same read.
final class PreambleThenTLS: StreamTransportDelegate {
    let engine: TLSEngine
    let preambleLength: Int
    var preamble: [UInt8] = []
    var plaintext: [UInt8] = []
    var closeError: IOError?

    init(engine: TLSEngine, preambleLength: Int) {
        self.engine = engine
        self.preambleLength = preambleLength
    }

    func transport(_ transport: StreamTransport, didRead buffer: inout ByteBuffer) {
        guard preamble.count == preambleLength else {
            guard buffer.readableBytes >= preambleLength else { return }
            preamble = buffer.readBytes(preambleLength) ?? []
            transport.startTLS(engine, initialCiphertext: buffer)
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            return
        }
        plaintext += buffer.readBytes(buffer.readableBytes) ?? []
    }
    func transportDidReadEOF(_ transport: StreamTransport) {}
    func transportDidDrain(_ transport: StreamTransport) {}
    func transportDidClose(_ transport: StreamTransport, error: IOError?) { closeError = error }
}

/// `StreamTransport.startTLS`: a stream that begins in plaintext and continues in TLS, the
/// bytes read after the plaintext part being the start of the handshake.
@Suite(.timeLimit(.minutes(10))) struct StreamTransportStartTLSTests {
    static let preamble = Array("PROXY UNKNOWN\r\n".utf8)

    static func start() throws -> (LoopHarness, StreamTransport, PreambleThenTLS, TLSPeer) {
        let harness = try LoopHarness()
        let (ours, socket) = try PeerSocket.pair()
        let engine = try StreamTransportTLSTests.context().makeEngine()
        let transport = StreamTransport(loop: harness.loop, descriptor: ours)
        let delegate = PreambleThenTLS(engine: engine, preambleLength: preamble.count)
        transport.delegate = delegate
        try transport.start()
        return (harness, transport, delegate, TLSPeer(socket: socket, client: try MemoryTLSClient(), server: engine))
    }

    /// The preamble and the ClientHello in one segment: the leftover is the handshake's start.
    @Test func theBytesAfterThePreambleStartTheHandshake() throws {
        let (harness, transport, delegate, peer) = try Self.start()
        peer.client.handshake()
        try peer.socket.writeAll(Self.preamble + peer.client.takeCiphertext().readableBytesArray)
        try StreamTransportTLSTests.handshake(harness, peer)
        #expect(delegate.preamble == Self.preamble)
        peer.client.send(Array("hello".utf8))
        try peer.run(harness, until: "hello delivered") { delegate.plaintext.count == 5 }
        #expect(delegate.plaintext == Array("hello".utf8))
        transport.write(ByteBuffer(string: "world"))
        try peer.run(harness, until: "world received") { peer.received.count == 5 }
        #expect(peer.received == Array("world".utf8))
        #expect(delegate.closeError == nil)
    }

    /// The preamble alone first: TLS starts with nothing to decrypt yet.
    @Test func thePreambleMayComeAlone() throws {
        let (harness, _, delegate, peer) = try Self.start()
        try peer.socket.writeAll(Self.preamble)
        try harness.tick()
        #expect(delegate.preamble == Self.preamble)
        try StreamTransportTLSTests.handshake(harness, peer)
        peer.client.send(Array("hi".utf8))
        try peer.run(harness, until: "hi delivered") { delegate.plaintext.count == 2 }
        #expect(delegate.plaintext == Array("hi".utf8))
    }

    /// Garbage where the handshake should be ends the transport with OpenSSL's reason.
    @Test func garbageAfterThePreambleFailsTheHandshake() throws {
        let (harness, transport, delegate, peer) = try Self.start()
        try peer.socket.writeAll(Self.preamble + Array("GET / HTTP/1.1\r\n\r\n".utf8))
        for _ in 0..<100 where transport.isOpen { try harness.tick() }
        #expect(!transport.isOpen)
        #expect(delegate.closeError != nil)
    }
}
