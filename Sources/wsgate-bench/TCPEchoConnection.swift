import WSGateCore
import WSGateEventLoop
import WSGatePosix

/// One connection of the `tcp-echo` server: every byte read is queued back, unchanged.
///
/// Why it exists: see `TCPEchoServer`. Reading pauses while the echo queue is above its high
/// watermark and resumes when it drains, so a client that does not read cannot make the
/// server buffer without bound.
///
/// - Warning: loop-confined. Kept alive by its transport (which holds its delegate until it
///   closes).
final class TCPEchoConnection: StreamTransportDelegate {
    private let transport: StreamTransport

    init(transport: StreamTransport) {
        self.transport = transport
    }

    func start() {
        transport.delegate = self
        do {
            try transport.start()
        } catch {
            transport.abort()
        }
    }

    func transport(_ transport: StreamTransport, didRead buffer: inout ByteBuffer) {
        transport.write(buffer)
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
        if !transport.isWritable { transport.pauseReading() }
    }

    func transportDidReadEOF(_ transport: StreamTransport) {
        transport.close(lingerMilliseconds: 5000)
    }

    func transportDidDrain(_ transport: StreamTransport) {
        transport.resumeReading()
    }

    func transportDidClose(_ transport: StreamTransport, error: IOError?) {}
}
