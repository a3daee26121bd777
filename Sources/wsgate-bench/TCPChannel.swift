import WSGateBackends
import WSGateCore
import WSGateEventLoop
import WSGatePosix

/// A plain TCP connection to an echo server, for the ceiling measurement.
///
/// Why it exists: "how fast can this machine echo bytes over loopback at all" bounds what any
/// gateway can reach; this runs the same workload as the WebSocket scenarios with no protocol
/// in between. A clean close is: our FIN after everything sent, then the server's EOF.
///
/// - Warning: loop-confined.
final class TCPChannel: MessageChannel, StreamTransportDelegate {
    weak var delegate: (any MessageChannelDelegate)?
    private let loop: EventLoop
    private let address: SocketAddress
    private let timeoutMilliseconds: Int
    private var transport: StreamTransport?
    private var connector: SocketConnector?
    private var closing = false
    private var closed = false
    private var timer: TimerID?

    init(loop: EventLoop, address: SocketAddress, timeoutMilliseconds: Int) {
        self.loop = loop
        self.address = address
        self.timeoutMilliseconds = timeoutMilliseconds
    }

    func start() {
        // The completion may run before the assignment (an immediate connect): `connected`
        // clears `connector` then, and keeping the finished connector afterwards is harmless.
        connector = SocketConnector(addresses: [address], timeoutMilliseconds: timeoutMilliseconds, loop: loop) {
            [weak self] result in
            self?.connected(result.map(\.0).mapError { .setup("\($0)") })
        }
    }

    private func connected(_ result: Result<FileDescriptor, BenchError>) {
        connector = nil
        guard !closed else {
            if case .success(let socket) = result { socket.close() }
            return
        }
        switch result {
        case .failure(let error):
            fail("\(error)")
        case .success(let socket):
            do {
                transport = try .startedClient(on: socket, loop: loop, delegate: self)
            } catch {
                fail("register: \(error)")
                return
            }
            delegate?.channelDidOpen(self)
        }
    }

    func send(_ payload: UnsafeRawBufferPointer) {
        guard !closing, !closed, let transport else { return }
        var buffer = ByteBuffer(capacity: payload.count)
        buffer.writeBytes(payload)
        transport.write(buffer)
    }

    func close() {
        guard !closing, !closed, let transport else { return }
        closing = true
        transport.shutdownWriteAfterFlush()
        timer = loop.scheduleTimer(afterMilliseconds: timeoutMilliseconds) { [weak self] in
            self?.fail("no EOF within \(self?.timeoutMilliseconds ?? 0) ms of our FIN")
        }
    }

    func abort(_ reason: String) {
        fail(reason)
    }

    func transport(_ transport: StreamTransport, didRead buffer: inout ByteBuffer) {
        buffer.withUnsafeReadableBytes { bytes in
            delegate?.channel(self, didReceive: bytes)
        }
        if !closed { buffer.moveReaderIndex(forwardBy: buffer.readableBytes) }
    }

    func transportDidReadEOF(_ transport: StreamTransport) {
        guard closing else {
            fail("the server ended the connection early (EOF)")
            return
        }
        closed = true
        if let timer { loop.cancelTimer(timer) }
        transport.abort()
        delegate?.channelDidClose(self, failure: nil)
    }

    func transportDidDrain(_ transport: StreamTransport) {}

    func transportDidClose(_ transport: StreamTransport, error: IOError?) {
        fail("connection lost: \(error.map { "\($0)" } ?? "closed")")
    }

    private func fail(_ reason: String) {
        guard !closed else { return }
        closed = true
        if let timer { loop.cancelTimer(timer) }
        timer = nil
        transport?.abort()
        delegate?.channelDidClose(self, failure: reason)
    }
}
