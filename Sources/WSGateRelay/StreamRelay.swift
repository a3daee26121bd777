public import WSGateBackends
public import WSGateCore
public import WSGateWebSocket

/// Relays one WebSocket session to one endpoint (a program or a socket): messages to its
/// input, its output to messages, in line mode (websocketd's default) or byte mode
/// (`--binary`).
///
/// Why it exists: it is websocketd's and websockify's whole job, in one place for every
/// backend, with their defects fixed: the final unterminated line is sent, invalid UTF-8 goes
/// out as binary instead of as broken text, long lines are split at `--maxframesize`, client
/// messages are relayed as their bytes arrive (never held whole, so they need no size limit),
/// both directions have backpressure (a slow client stops the reading of the endpoint's
/// output; an endpoint that does not read stops the reading of the client, after any part of
/// a message), and the close code says how the endpoint ended (1000, or 1011 with
/// `exit status N`, `signal N` or the socket error).
///
/// - Warning: loop-confined.
public final class StreamRelay: StreamingSessionBackend, RelayEndpointDelegate {
    /// How output becomes messages.
    public enum Mode: Sendable {
        /// Each line (without `\n` / `\r\n`) is one message; each message is written with `\n`
        /// after it (a `\n` inside it is written as is).
        case lines
        /// Each read of output is one binary message; each message is written as is.
        case bytes
    }

    public struct Settings: Sendable {
        public var mode: Mode
        /// `--passstderr`: output and diagnostic lines go to the client as JSON.
        public var passStderr: Bool
        /// `--maxframesize`: the longest message sent (longer lines go in pieces).
        public var maxMessageSize: Int
        /// `--binary --pty`: a text message from the client is a `TerminalCommand` (a resize),
        /// not input; input comes in binary messages.
        public var textIsTerminalCommand = false
        public init(mode: Mode, passStderr: Bool, maxMessageSize: Int) {
            self.mode = mode
            self.passStderr = passStderr
            self.maxMessageSize = maxMessageSize
        }
    }

    /// Diagnostic lines are logged in pieces of at most this many bytes, so a line of any
    /// length is logged and never buffered whole.
    static let maxDiagnosticPiece = 65536
    /// Parts of client messages shorter than this are copied into the endpoint's queue (with
    /// a short message's `\n`, into one write) rather than queued as slices.
    static let inlineWriteLimit = 4096
    /// What ends each client message in line mode.
    static let newline: UInt8 = 0x0A

    public let endpoint: any RelayEndpoint
    private let settings: Settings
    private weak var session: WebSocketSession?
    private var outputFramer: LineFramer
    private var diagnosticsFramer = LineFramer(maxMessageSize: StreamRelay.maxDiagnosticPiece)
    private let onDiagnosticLine: (String) -> Void
    private let onFinish: (StreamRelay) -> Void
    private var clientGone = false
    /// The text message being collected as a terminal command (`textIsTerminalCommand`).
    private var command: [UInt8]?
    /// The text message being collected went over `TerminalCommand.maxBytes`: no command.
    private var commandTooLong = false
    /// Set once the endpoint's output is complete.
    private var outcome: EndpointOutcome?
    /// Set once the endpoint's diagnostics stream ended.
    private var diagnosticsEnded = false
    /// Set once nothing of the endpoint is left.
    public private(set) var isFinished = false

    /// `onDiagnosticLine` receives each stderr line (for the log); `onFinish` is called once
    /// the endpoint and everything it started are gone.
    public init(endpoint: any RelayEndpoint, settings: Settings,
                onDiagnosticLine: @escaping (String) -> Void, onFinish: @escaping (StreamRelay) -> Void) {
        self.endpoint = endpoint
        self.settings = settings
        outputFramer = LineFramer(maxMessageSize: settings.maxMessageSize)
        self.onDiagnosticLine = onDiagnosticLine
        self.onFinish = onFinish
        endpoint.delegate = self
    }

    // MARK: - SessionBackend (client side)

    public func sessionDidOpen(_ session: WebSocketSession) {
        self.session = session
        endpoint.start()
    }

    /// A whole message: written as its parts would be (the session sends parts to a
    /// `StreamingSessionBackend`; this is for completeness of `SessionBackend`).
    public func session(_ session: WebSocketSession, didReceive opcode: WebSocketOpcode, payload: ByteBuffer) {
        self.session(session, didReceivePart: .start(opcode))
        if payload.readableBytes > 0 { self.session(session, didReceivePart: .bytes(payload)) }
        self.session(session, didReceivePart: .end)
    }

    /// Each part goes to the endpoint as it comes: the bytes unchanged, and in line mode a
    /// `\n` after the message. A full endpoint input pauses the client after any part.
    public func session(_ session: WebSocketSession, didReceivePart part: WebSocketMessagePart) {
        guard !clientGone else { return }
        if settings.textIsTerminalCommand, collectCommand(part) { return }
        switch part {
        case .start:
            return
        case .bytes(let bytes) where bytes.readableBytes < Self.inlineWriteLimit:
            // Copied into the queue's scratch chunk, where the `\n` of a short message joins it.
            endpoint.write(minimumCapacity: bytes.readableBytes) { $0.writeBuffer(bytes) }
        case .bytes(let bytes):
            endpoint.write(bytes)
        case .end:
            guard settings.mode == .lines else { return }
            endpoint.write(minimumCapacity: 1) { $0.writeInteger(Self.newline) }
        }
        if !endpoint.isWritable { session.pauseReading() }
    }

    /// Takes the parts of a text message under `textIsTerminalCommand` (at most
    /// `TerminalCommand.maxBytes` are kept: a longer one is no command) and carries the command
    /// out at its end; false for every part of other messages.
    private func collectCommand(_ part: WebSocketMessagePart) -> Bool {
        switch part {
        case .start(let opcode):
            guard opcode == .text else { return false }
            command = []
        case .bytes(let bytes):
            guard command != nil else { return false }
            if (command?.count ?? 0) + bytes.readableBytes <= TerminalCommand.maxBytes {
                bytes.withUnsafeReadableBytes { command?.append(contentsOf: $0) }
            } else {
                commandTooLong = true
            }
        case .end:
            guard let text = command else { return false }
            command = nil
            defer { commandTooLong = false }
            if !commandTooLong, case .resize(let columns, let rows)? = TerminalCommand(text) {
                endpoint.resizeTerminal(columns: columns, rows: rows)
            }
        }
        return true
    }

    public func sessionDidDrain(_ session: WebSocketSession) {
        endpoint.resumeOutput()
        if settings.passStderr { endpoint.resumeDiagnostics() }
    }

    public func sessionDidReceiveClose(_ session: WebSocketSession) -> Bool {
        guard outcome == nil else { return false }
        return endpoint.clientIsClosing()
    }

    public func sessionDidClose(_ session: WebSocketSession, closeCode: WebSocketCloseCode?) {
        guard !clientGone else { return }
        clientGone = true
        if outcome == nil { endpoint.clientIsGone() }
        // Diagnostics paused for the client go on to the log.
        endpoint.resumeDiagnostics()
    }

    // MARK: - RelayEndpointDelegate (endpoint side)

    public func endpoint(_ endpoint: any RelayEndpoint, didProduce buffer: inout ByteBuffer) {
        guard let session, !clientGone else {
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            return
        }
        switch settings.mode {
        case .bytes:
            if let chunk = buffer.readSlice(buffer.readableBytes) { session.send(.binary, chunk) }
        case .lines:
            outputFramer.consume(&buffer) { send($0, stream: .stdout) }
        }
        pauseIfClientIsFull(session)
    }

    public func endpoint(_ endpoint: any RelayEndpoint, didProduceDiagnostics buffer: inout ByteBuffer) {
        diagnosticsFramer.consume(&buffer) { diagnosticLine($0) }
        if settings.passStderr, !clientGone, let session { pauseIfClientIsFull(session) }
    }

    /// A slow client stops the reading of everything that goes to it (stdout, and stderr with
    /// `--passstderr`) until its queue drains.
    private func pauseIfClientIsFull(_ session: WebSocketSession) {
        guard !session.isWritable else { return }
        endpoint.pauseOutput()
        if settings.passStderr { endpoint.pauseDiagnostics() }
    }

    public func endpointDiagnosticsDidEnd(_ endpoint: any RelayEndpoint) {
        diagnosticsFramer.finish { diagnosticLine($0) }
        diagnosticsEnded = true
        // The output ended first and its close waited for the last diagnostic line.
        if settings.passStderr, let outcome { closeSession(outcome) }
    }

    public func endpointInputDidDrain(_ endpoint: any RelayEndpoint) {
        session?.resumeReading()
    }

    /// All output is out: flush the last line and close with a code that says how it ended
    /// (with `--passstderr`, once the diagnostics ended too: they are output for the client).
    public func endpoint(_ endpoint: any RelayEndpoint, didEnd outcome: EndpointOutcome) {
        guard self.outcome == nil else { return }
        self.outcome = outcome
        if settings.passStderr && endpoint.hasDiagnostics && !diagnosticsEnded { return }
        closeSession(outcome)
    }

    private func closeSession(_ outcome: EndpointOutcome) {
        guard !clientGone, let session else { return }
        if settings.mode == .lines {
            outputFramer.finish { send($0, stream: .stdout) }
        }
        switch outcome {
        case .finished: session.close(code: .normalClosure, reason: "")
        case .failed(let reason): session.close(code: .internalError, reason: reason)
        }
    }

    public func endpointDidFinish(_ endpoint: any RelayEndpoint) {
        isFinished = true
        onFinish(self)
    }

    // MARK: - Sending

    private func diagnosticLine(_ line: LineMessage) {
        onDiagnosticLine(String(decoding: line.payload.readableBytesArray, as: UTF8.self))
        if settings.passStderr && !clientGone { send(line, stream: .stderr) }
    }

    private func send(_ line: LineMessage, stream: StreamLineJSON.Stream) {
        guard let session else { return }
        if settings.passStderr {
            session.send(.text, StreamLineJSON.encode(stream: stream, line: line.payload))
            return
        }
        switch line {
        case .text(let bytes): session.send(.text, bytes)
        case .binary(let bytes): session.send(.binary, bytes)
        }
    }
}

@available(*, unavailable)
extension StreamRelay: Sendable {}
