public import WSGateCore
public import WSGateEventLoop
public import WSGatePosix

/// A connected TCP or Unix-socket backend as a relay endpoint (websockify's job).
///
/// Why it exists: a socket ends differently from a program. When the backend closes, its last
/// bytes are relayed and the client gets 1000; when it resets, 1011 with the reason. When the
/// client closes, the backend gets a half-close (`shutdown(SHUT_WR)`), so a request/response
/// service can still send its answer, which is relayed before the client's close is answered
/// (the session gives it `closeReplyDelayMs`, 1 s). `--proxy-protocol` puts a PROXY v1 line
/// before anything else the backend reads.
///
/// - Warning: loop-confined.
public final class SocketEndpoint: RelayEndpoint, StreamTransportDelegate {
    public weak var delegate: (any RelayEndpointDelegate)?
    private let transport: StreamTransport
    private let preamble: ByteBuffer?
    private var outcome: EndpointOutcome?
    private var finished = false

    /// Takes ownership of the connected `socket`; `preamble` (a PROXY header) is sent first.
    public init(socket: FileDescriptor, loop: EventLoop, preamble: ByteBuffer? = nil) {
        transport = StreamTransport(loop: loop, descriptor: socket)
        self.preamble = preamble
    }

    public func start() {
        transport.delegate = self
        do {
            try transport.start()
        } catch {
            transport.abort(error: error)
            return
        }
        if let preamble { transport.write(preamble) }
    }

    public func write(_ bytes: ByteBuffer) { transport.write(bytes) }

    public func write(minimumCapacity: Int, _ body: (inout ByteBuffer) -> Void) {
        transport.write(minimumCapacity: minimumCapacity, body)
    }

    public var isWritable: Bool { transport.isWritable }
    public func pauseOutput() { transport.pauseReading() }
    public func resumeOutput() { transport.resumeReading() }
    /// A socket has no diagnostics stream.
    public var hasDiagnostics: Bool { false }
    public func pauseDiagnostics() {}
    public func resumeDiagnostics() {}

    /// Half-close: what the client sent still goes out, then our FIN; the backend's answer is
    /// still read and relayed until it closes.
    public func clientIsClosing() -> Bool {
        transport.shutdownWriteAfterFlush()
        return true
    }

    public func clientIsGone() {
        transport.close()
    }

    public var endDescription: String? {
        switch outcome {
        case .finished: return "backend closed"
        case .failed(let reason): return reason
        case nil: return finished ? "closed by the gateway" : nil
        }
    }

    private func end(_ outcome: EndpointOutcome) {
        guard self.outcome == nil else { return }
        self.outcome = outcome
        delegate?.endpoint(self, didEnd: outcome)
    }

    // MARK: - StreamTransportDelegate

    public func transport(_ transport: StreamTransport, didRead buffer: inout ByteBuffer) {
        delegate?.endpoint(self, didProduce: &buffer)
    }

    public func transportDidReadEOF(_ transport: StreamTransport) {
        end(.finished)
        transport.close()
    }

    public func transportDidDrain(_ transport: StreamTransport) {
        delegate?.endpointInputDidDrain(self)
    }

    public func transportDidClose(_ transport: StreamTransport, error: IOError?) {
        if let error {
            end(.failed("backend: \(IOError.message(error.errno))"))
        }
        finished = true
        delegate?.endpointDidFinish(self)
    }
}

@available(*, unavailable)
extension SocketEndpoint: Sendable {}
