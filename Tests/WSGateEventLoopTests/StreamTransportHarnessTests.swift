import Testing
import WSGateCore
import WSGateEventLoop
import WSGatePosix
import WSGateTestSupport

/// Records what a transport tells its delegate, in order.
final class TransportRecorder: StreamTransportDelegate {
    var events: [String] = []
    var bytes: [UInt8] = []
    /// The error the transport closed with, if any.
    var closeError: IOError?
    /// Bytes to leave unconsumed in each delivery (a parser waiting for more).
    var keepLast = 0

    func transport(_ transport: StreamTransport, didRead buffer: inout ByteBuffer) {
        let take = max(0, buffer.readableBytes - keepLast)
        bytes += buffer.readBytes(take) ?? []
        events.append("read \(take)")
    }
    func transportDidReadEOF(_ transport: StreamTransport) { events.append("eof") }
    func transportDidDrain(_ transport: StreamTransport) { events.append("drain") }
    func transportDidClose(_ transport: StreamTransport, error: IOError?) {
        closeError = error
        events.append(error == nil ? "closed" : "closed with error")
    }
}

/// `StreamTransport` on a socket pair, driven tick by tick with a manual clock (LoopHarness):
/// exact event orders for half-close, EAGAIN, the linger timer and a hang-up while paused.
@Suite(.timeLimit(.minutes(10))) struct StreamTransportHarnessTests {
    static func start(sendBuffer: Int? = nil) throws -> (LoopHarness, StreamTransport, TransportRecorder, PeerSocket) {
        let harness = try LoopHarness()
        let (ours, peer) = try PeerSocket.pair(sendBuffer: sendBuffer)
        let transport = StreamTransport(loop: harness.loop, descriptor: ours, highWatermark: 32768, lowWatermark: 8192)
        let recorder = TransportRecorder()
        transport.delegate = recorder
        try transport.start()
        return (harness, transport, recorder, peer)
    }

    @Test func halfCloseDeliversEverythingThenEOFAndWritingGoesOn() throws {
        let (harness, transport, recorder, peer) = try Self.start()
        try peer.writeAll([1, 2, 3])
        try peer.shutdownWrite()
        try harness.tick(until: "EOF delivered") { recorder.events.contains("eof") }
        #expect(recorder.events == ["read 3", "eof"])
        #expect(recorder.bytes == [1, 2, 3])
        transport.write(ByteBuffer(bytes: [9, 8]))
        try harness.tick()
        #expect(try peer.read() == [9, 8], "the reply still reaches a peer that half-closed")
        transport.close()
        try harness.tick(until: "closed") { !transport.isOpen }
        _ = try peer.read()
        #expect(peer.sawEOF)
        #expect(recorder.events == ["read 3", "eof", "closed"])
    }

    @Test func leftoversAreOfferedAgainInFrontOfTheNextBytes() throws {
        let (harness, _, recorder, peer) = try Self.start()
        recorder.keepLast = 2
        try peer.writeAll([1, 2, 3, 4])
        try harness.tick(until: "first read") { !recorder.events.isEmpty }
        #expect(recorder.bytes == [1, 2])
        recorder.keepLast = 0
        try peer.writeAll([5])
        try harness.tick(until: "second read") { recorder.bytes.count == 5 }
        #expect(recorder.bytes == [1, 2, 3, 4, 5])
    }

    /// The kernel takes a few KiB at a time (EAGAIN after each): the watermarks report once
    /// each way, and every byte arrives in order.
    @Test func partialWritesKeepOrderAndReportDrainOnce() throws {
        let (harness, transport, recorder, peer) = try Self.start(sendBuffer: 4096)
        let payload = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 * 13) }
        for start in stride(from: 0, to: payload.count, by: 10_000) {
            transport.write(ByteBuffer(bytes: payload[start..<(start + 10_000)]))
        }
        #expect(!transport.isWritable)
        try harness.tick()
        var rounds = 0
        while peer.received.count < payload.count && rounds < 10_000 {
            try peer.read()
            try harness.tick()
            rounds += 1
        }
        #expect(rounds > 2, "a 4 KiB send buffer must have made the writes partial")
        let intact = peer.received == payload
        #expect(intact)
        #expect(recorder.events == ["drain"])
        #expect(transport.isWritable)
    }

    /// A peer that takes nothing: the linger timer ends the close exactly when it is due.
    @Test func lingerTimerClosesAPeerThatStoppedReading() throws {
        let (harness, transport, recorder, peer) = try Self.start(sendBuffer: 4096)
        transport.write(ByteBuffer(bytes: [UInt8](repeating: 7, count: 200_000)))
        transport.close(lingerMilliseconds: 2000)
        try harness.tick(3)
        try harness.advance(milliseconds: 1999)
        #expect(transport.isOpen, "closed before the linger time")
        try harness.advance(milliseconds: 1)
        #expect(!transport.isOpen)
        #expect(recorder.events == ["closed"])
        _ = peer
    }

    /// A peer that reads slowly: each linger period in which it took bytes starts another one,
    /// so it gets everything (no real time passes; the clock moves 1.5 s per round).
    @Test func lingerWaitsWhileThePeerTakesBytes() throws {
        let (harness, transport, _, peer) = try Self.start(sendBuffer: 4096)
        let payload = (0..<200_000).map { UInt8(truncatingIfNeeded: $0 % 251) }
        transport.write(ByteBuffer(bytes: payload))
        transport.close(lingerMilliseconds: 2000)
        var rounds = 0
        while !peer.sawEOF && rounds < 10_000 {
            try harness.advance(milliseconds: 1500)
            try peer.read()
            rounds += 1
        }
        #expect(peer.sawEOF)
        let intact = peer.received == payload
        #expect(intact)
    }

    /// The peer writes and hangs up while reading is paused: nothing is lost, the bytes and
    /// then the EOF come once reading resumes.
    @Test func hangUpWhilePausedKeepsTheBytesForLater() throws {
        let (harness, transport, recorder, peer) = try Self.start()
        transport.pauseReading()
        try peer.writeAll([4, 5, 6])
        peer.close()
        try harness.tick(5)
        #expect(recorder.events.isEmpty)
        #expect(transport.isOpen)
        transport.resumeReading()
        try harness.tick(until: "EOF after resume") { recorder.events.contains("eof") }
        #expect(recorder.bytes == [4, 5, 6])
        #expect(recorder.events == ["read 3", "eof"])
    }
}
