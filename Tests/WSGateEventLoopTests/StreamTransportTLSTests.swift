import Testing
import WSGateCore
import WSGateEventLoop
import WSGatePosix
import WSGateTLS
import WSGateTestSupport

/// The client end of a TLS `StreamTransport` under test: an OpenSSL client on memory BIOs
/// whose ciphertext travels over the socket pair.
final class TLSPeer {
    let socket: PeerSocket
    let client: MemoryTLSClient
    /// The transport's engine (to see where the handshake is).
    let server: TLSEngine
    /// Plaintext the client decrypted so far.
    var received: [UInt8] = []
    var sawCloseNotify = false
    /// Ciphertext the kernel has not taken yet.
    private var outbox: [UInt8] = []

    init(socket: PeerSocket, client: MemoryTLSClient, server: TLSEngine) {
        self.socket = socket
        self.client = client
        self.server = server
    }

    /// Sends what the client has to say, reads what came back, and decrypts it.
    func exchange() throws {
        client.handshake()
        outbox += client.takeCiphertext().readableBytesArray
        if !outbox.isEmpty {
            let written = try socket.write(outbox)
            outbox.removeFirst(written)
        }
        let fresh = try socket.read()
        if !fresh.isEmpty { client.receive(ByteBuffer(bytes: fresh)) }
        if client.isHandshakeComplete {
            let (bytes, closed) = client.readAvailable()
            received += bytes
            if closed { sawCloseNotify = true }
        }
    }

    /// Exchanges and ticks until `condition` holds (a bounded number of rounds).
    func run(_ harness: LoopHarness, until what: String, _ condition: () -> Bool) throws {
        for _ in 0..<100_000 {
            if condition() { return }
            try exchange()
            try harness.tick()
        }
        throw TestFailure("\(what): not reached")
    }
}

/// `StreamTransport` with a `TLSEngine`, on a socket pair driven tick by tick, against an
/// OpenSSL client: the delegate sees plaintext only, the queue holds ciphertext, closes send
/// close_notify, and a peer that does not speak TLS ends the transport with OpenSSL's reason.
@Suite(.timeLimit(.minutes(10))) struct StreamTransportTLSTests {
    static func context() throws -> TLSServerContext {
        try TLSServerContext(certificateChainPath: TLSFixtures.serverCertificate, privateKeyPath: TLSFixtures.serverKey)
    }

    static func start(sendBuffer: Int? = nil, client: MemoryTLSClient? = nil) throws
        -> (LoopHarness, StreamTransport, TransportRecorder, TLSPeer)
    {
        let harness = try LoopHarness()
        let (ours, socket) = try PeerSocket.pair(sendBuffer: sendBuffer)
        let engine = try context().makeEngine()
        let transport = StreamTransport(loop: harness.loop, descriptor: ours, highWatermark: 32768, lowWatermark: 8192,
                                        tls: engine)
        let recorder = TransportRecorder()
        transport.delegate = recorder
        try transport.start()
        let peer = TLSPeer(socket: socket, client: try client ?? MemoryTLSClient(), server: engine)
        return (harness, transport, recorder, peer)
    }

    /// Until both ends finished the handshake (the server's end last: it needs the client's
    /// Finished).
    static func handshake(_ harness: LoopHarness, _ peer: TLSPeer) throws {
        try peer.run(harness, until: "handshake") {
            (peer.client.isHandshakeComplete && peer.server.isHandshakeComplete) || peer.client.failure != nil
        }
        try #require(peer.client.failure == nil)
    }

    @Test func theDelegateSeesPlaintextBothWays() throws {
        let (harness, transport, recorder, peer) = try Self.start()
        try Self.handshake(harness, peer)
        peer.client.send(Array("hello".utf8))
        try peer.run(harness, until: "hello delivered") { recorder.bytes.count == 5 }
        #expect(recorder.bytes == Array("hello".utf8))
        transport.write(ByteBuffer(string: "wor"))
        transport.write(minimumCapacity: 2) { $0.writeString("ld") }
        try peer.run(harness, until: "world received") { peer.received.count == 5 }
        #expect(peer.received == Array("world".utf8))
        #expect(recorder.events == ["read 5"])
    }

    /// Small writes of one tick are encrypted together: one record on the wire.
    @Test func theWritesOfOneTickShareOneRecord() throws {
        let (harness, transport, _, peer) = try Self.start()
        try Self.handshake(harness, peer)
        try peer.exchange()  // the session tickets, sent with the end of the handshake
        for index in 0..<100 { transport.write(ByteBuffer(string: Self.format(index))) }
        try harness.tick()
        let wire = try peer.socket.read()
        // TLS 1.3 record: 5 bytes of header, 1 of content type, 16 of tag (RFC 8446 §5.2).
        #expect(wire.count == 1000 + 22)
        peer.client.receive(ByteBuffer(bytes: wire))
        let plaintext = peer.client.readAvailable().bytes
        #expect(plaintext == (0..<100).flatMap { Array(Self.format($0).utf8) })
    }

    private static func format(_ index: Int) -> String {
        let digits = String(index)
        return String(repeating: "x", count: 10 - digits.count) + digits
    }

    @Test func aLargeWriteCountsCiphertextAndDrainsOnce() throws {
        let (harness, transport, recorder, peer) = try Self.start(sendBuffer: 4096)
        try Self.handshake(harness, peer)
        let payload = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 13 &+ $0 >> 11) }
        transport.write(ByteBuffer(bytes: payload))
        #expect(!transport.isWritable)
        #expect(transport.bufferedBytes > payload.count, "the queue holds ciphertext, larger than the plaintext")
        try peer.run(harness, until: "1 MiB received") { peer.received.count == payload.count }
        #expect(peer.received == payload)
        #expect(transport.isWritable)
        #expect(recorder.events == ["drain"])
    }

    @Test func manyWritesFromThePeerArriveInOrder() throws {
        let (harness, _, recorder, peer) = try Self.start()
        try Self.handshake(harness, peer)
        var expected: [UInt8] = []
        for index in 0..<500 {
            let piece = Array("m\(index);".utf8)
            peer.client.send(piece)
            expected += piece
            if index % 50 == 0 { try peer.exchange() }
        }
        try peer.run(harness, until: "all delivered") { recorder.bytes.count == expected.count }
        #expect(recorder.bytes == expected)
    }

    @Test func thePeersCloseNotifyIsEndOfFile() throws {
        let (harness, _, recorder, peer) = try Self.start()
        try Self.handshake(harness, peer)
        peer.client.send(Array("last".utf8))
        peer.client.sendCloseNotify()
        try peer.run(harness, until: "EOF") { recorder.events.contains("eof") }
        #expect(recorder.events == ["read 4", "eof"])
        #expect(recorder.bytes == Array("last".utf8))
    }

    @Test func closeSendsTheQueuedBytesThenCloseNotifyThenFIN() throws {
        let (harness, transport, recorder, peer) = try Self.start()
        try Self.handshake(harness, peer)
        transport.write(ByteBuffer(string: "bye"))
        transport.close()
        try peer.run(harness, until: "FIN") { peer.socket.sawEOF }
        #expect(peer.received == Array("bye".utf8))
        #expect(peer.sawCloseNotify)
        peer.socket.close()
        try harness.tick(until: "closed") { !transport.isOpen }
        #expect(recorder.events == ["closed"])
    }

    @Test func aHalfCloseSendsCloseNotifyAndKeepsReading() throws {
        let (harness, transport, recorder, peer) = try Self.start()
        try Self.handshake(harness, peer)
        transport.write(ByteBuffer(string: "done"))
        transport.shutdownWriteAfterFlush()
        try peer.run(harness, until: "FIN") { peer.socket.sawEOF }
        #expect(peer.received == Array("done".utf8))
        #expect(peer.sawCloseNotify)
        peer.client.send(Array("still here".utf8))
        try peer.run(harness, until: "read after half-close") { recorder.bytes.count == 10 }
        #expect(recorder.bytes == Array("still here".utf8))
    }

    @Test func aPlainHTTPRequestEndsTheTransportWithOpenSSLsReason() throws {
        let (harness, transport, recorder, peer) = try Self.start()
        try peer.socket.writeAll(Array("GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".utf8))
        try harness.tick(until: "closed") { !transport.isOpen }
        #expect(recorder.events == ["closed with error"])
        let text = recorder.closeError?.description ?? ""
        #expect(text.hasPrefix("TLS: ") && text.count > 5, "\(text)")
        #expect(recorder.bytes.isEmpty)
    }

    /// What the server writes before its end of the handshake is complete (a refusal sent
    /// at once) goes out right after it.
    @Test func bytesWrittenDuringTheHandshakeFollowIt() throws {
        let (harness, transport, _, peer) = try Self.start()
        transport.write(ByteBuffer(string: "early"))
        #expect(transport.bufferedBytes == 5)
        try Self.handshake(harness, peer)
        try peer.run(harness, until: "early bytes") { peer.received.count == 5 }
        #expect(peer.received == Array("early".utf8))
    }

    @Test func aTruncatedClientHelloWaitsWithoutDeliveringAnything() throws {
        let (harness, transport, recorder, peer) = try Self.start()
        peer.client.handshake()
        let hello = peer.client.takeCiphertext().readableBytesArray
        try peer.socket.writeAll(Array(hello.dropLast()))
        try harness.tick(3)
        #expect(transport.isOpen)
        #expect(recorder.events.isEmpty)
        #expect(try peer.socket.read().isEmpty, "no ServerHello before the whole ClientHello")
        try peer.socket.writeAll([hello.last!])
        try Self.handshake(harness, peer)
        #expect(recorder.events.isEmpty)
    }

    @Test func aFileBodyIsEncryptedInPiecesAfterTheQueuedBytes() throws {
        let (harness, transport, recorder, peer) = try Self.start(sendBuffer: 4096)
        try Self.handshake(harness, peer)
        let content = StreamTransportFileBodyTests.content
        let file = try StreamTransportFileBodyTests.openFile(content)
        var completions = 0
        transport.write(ByteBuffer(string: "HEAD"))
        transport.sendFile(file, offset: 1000, count: 200_000) { completions += 1 }
        try peer.run(harness, until: "file received") { peer.received.count == 4 + 200_000 }
        #expect(peer.received.prefix(4).elementsEqual("HEAD".utf8))
        #expect(peer.received.dropFirst(4).elementsEqual(content[1000..<201_000]))
        #expect(completions == 1)
        #expect(!file.isOpen)
        transport.close()
        try peer.run(harness, until: "close_notify") { peer.sawCloseNotify }
        #expect(recorder.events.allSatisfy { $0 == "drain" })
    }
}
