public import WSGateCore

/// The far side of a relay: a program's pipes, or a TCP / Unix socket.
///
/// Why it exists: one relay serves every backend, so line or byte framing, backpressure and
/// close codes are written once and a new backend is a new endpoint, not a copy of the relay.
/// The relay talks to this protocol only; each endpoint keeps what is really its own: how it
/// starts, how its output ends and what that means, and how it is wound down when the client
/// goes.
///
/// - Warning: loop-confined.
public protocol RelayEndpoint: AnyObject {
    var delegate: (any RelayEndpointDelegate)? { get set }
    /// Starts reading the endpoint's output.
    func start()
    /// Queues bytes for the endpoint's input (dropped once the input is closed).
    func write(_ bytes: ByteBuffer)
    /// Queues small bytes straight into the input's scratch space.
    func write(minimumCapacity: Int, _ body: (inout ByteBuffer) -> Void)
    /// `false` while the input's queue is above its high watermark (wait for
    /// `endpointInputDidDrain`).
    var isWritable: Bool { get }
    /// Stops / resumes reading the endpoint's output (backpressure from a slow client).
    func pauseOutput()
    func resumeOutput()
    /// Whether there is a diagnostics stream (a program's stderr) that will end with
    /// `endpointDiagnosticsDidEnd`.
    var hasDiagnostics: Bool { get }
    /// `--binary --pty`: the client resized its terminal (other endpoints ignore it).
    func resizeTerminal(columns: UInt16, rows: UInt16)
    /// Stops / resumes reading the diagnostics stream (`--passstderr` sends it to the client).
    func pauseDiagnostics()
    func resumeDiagnostics()
    /// The client sent a close frame. Returns `true` if the endpoint still relays what it has
    /// to say (a socket: half-close, then its last answer) and will report `didEnd`; `false`
    /// if its output is cut here (a program: websocketd's kill sequence).
    func clientIsClosing() -> Bool
    /// The client is gone: no more output is wanted; wind everything down.
    func clientIsGone()
    /// How it ended, for the DISCONNECT log line (`exit status 0`, `closed`…), once known.
    var endDescription: String? { get }
}

/// What an endpoint tells its relay.
///
/// - Warning: loop-confined; calls may come re-entrantly from calls the relay makes.
public protocol RelayEndpointDelegate: AnyObject {
    /// Output bytes; consume what you can (the rest is offered again with the next bytes).
    func endpoint(_ endpoint: any RelayEndpoint, didProduce buffer: inout ByteBuffer)
    /// Diagnostic bytes (a program's stderr), for the log.
    func endpoint(_ endpoint: any RelayEndpoint, didProduceDiagnostics buffer: inout ByteBuffer)
    /// The diagnostics stream ended (a last unterminated line may be pending).
    func endpointDiagnosticsDidEnd(_ endpoint: any RelayEndpoint)
    /// The input fell to its low watermark after being full.
    func endpointInputDidDrain(_ endpoint: any RelayEndpoint)
    /// All output has been delivered; `outcome` says how it ended. Comes once.
    func endpoint(_ endpoint: any RelayEndpoint, didEnd outcome: EndpointOutcome)
    /// Nothing of the endpoint is left (program and its group gone, socket closed). The last
    /// call.
    func endpointDidFinish(_ endpoint: any RelayEndpoint)
}

/// How an endpoint's output ended; the relay turns it into a close code.
public enum EndpointOutcome: Equatable, Sendable {
    /// Exit status 0, or the backend closed its connection: close 1000.
    case finished
    /// A failure worth telling the client (close 1011 with this reason): `exit status 3`,
    /// `signal 9`, `backend reset the connection`.
    case failed(String)
}

extension RelayEndpoint {
    public func resizeTerminal(columns: UInt16, rows: UInt16) {}
}
