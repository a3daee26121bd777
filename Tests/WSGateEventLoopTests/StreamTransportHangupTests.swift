import Glibc
import Testing
import WSGateCore
import WSGateEventLoop
import WSGatePosix

/// Records what a transport delivered and stops the loop when the stream is over.
final class RecordingTransportDelegate: StreamTransportDelegate {
    var received: [UInt8] = []
    var sawEOF = false
    var closed = false
    var onEnd: (() -> Void)?

    func transport(_ transport: StreamTransport, didRead buffer: inout ByteBuffer) {
        received += buffer.readableBytesArray
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
    }

    func transportDidReadEOF(_ transport: StreamTransport) {
        sawEOF = true
        transport.abort()
    }

    func transportDidDrain(_ transport: StreamTransport) {}

    func transportDidClose(_ transport: StreamTransport, error: IOError?) {
        closed = true
        onEnd?()
    }
}

/// A pipe whose writer is gone while reading is paused (a slow client holds the program's
/// output back): what is in the pipe is still read once reading resumes, never dropped.
@Suite(.timeLimit(.minutes(10))) struct StreamTransportHangupTests {
    /// A non-blocking pipe: (read end, write end).
    static func pipe() throws -> (FileDescriptor, FileDescriptor) {
        var ends: [Int32] = [-1, -1]
        guard Glibc.pipe(&ends) == 0 else { throw IOError(errno: errno, function: "pipe") }
        for end in ends { _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK) }
        return (FileDescriptor(taking: ends[0]), FileDescriptor(taking: ends[1]))
    }

    @Test func bytesLeftInAPipeWhoseWriterLeftWhilePausedAreReadAfterResuming() throws {
        let loop = try EventLoop()
        let (readEnd, writeEnd) = try Self.pipe()
        let transport = StreamTransport(loop: loop, descriptor: readEnd, isSocket: false)
        let delegate = RecordingTransportDelegate()
        delegate.onEnd = { loop.stop() }
        transport.delegate = delegate
        try transport.start()
        transport.pauseReading()
        let text = Array("the last lines\n".utf8)
        _ = try text.withUnsafeBytes { try writeEnd.write($0) }
        writeEnd.close()
        #expect(transport.peerHasHungUp)
        // The hang-up is reported in the first tick (before any timer); reading resumes later.
        loop.scheduleTimer(afterMilliseconds: 1) { transport.resumeReading() }
        try loop.run()
        #expect(delegate.received == text)
        #expect(delegate.sawEOF)
        #expect(loop.registrationCount == 0)
    }

    @Test func aPipeWithAWriterLeftHasNotHungUp() throws {
        let loop = try EventLoop()
        let (readEnd, writeEnd) = try Self.pipe()
        defer { writeEnd.close() }
        let transport = StreamTransport(loop: loop, descriptor: readEnd, isSocket: false)
        let delegate = RecordingTransportDelegate()
        transport.delegate = delegate
        try transport.start()
        #expect(!transport.peerHasHungUp)
        transport.abort()
        #expect(!transport.peerHasHungUp)
    }
}
