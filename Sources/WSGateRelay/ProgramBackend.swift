public import WSGateBackends
public import WSGateCore
public import WSGatePosix
public import WSGateWebSocket

/// Relays one WebSocket session to one program: messages to its stdin, its stdout to
/// messages, in line mode (websocketd's default) or byte mode (`--binary`).
///
/// Why it exists: it is websocketd's whole job, with websocketd's defects fixed: the final
/// unterminated line is sent, invalid UTF-8 goes out as binary instead of as broken text, long
/// lines are split at `--maxframesize`, both directions have backpressure (a slow client stops
/// the reading of stdout; a program that does not read stops the reading of the client), the
/// close code says how the program ended (1000 for exit 0, 1011 with `exit status N` or
/// `signal N`), and when the client goes, the whole process group is torn down.
///
/// - Warning: loop-confined.
public final class ProgramBackend: SessionBackend, ProgramProcessDelegate {
    /// How stdout becomes messages.
    public enum Mode: Sendable {
        /// Each line (without `\n` / `\r\n`) is one message; each message is written with `\n`.
        case lines
        /// Each read from stdout is one binary message; each message is written as is.
        case bytes
    }

    public struct Settings: Sendable {
        public var mode: Mode
        /// `--passstderr`: stdout and stderr lines go to the client as JSON.
        public var passStderr: Bool
        /// `--maxframesize`: the longest message sent (longer lines go in pieces).
        public var maxMessageSize: Int
        public init(mode: Mode, passStderr: Bool, maxMessageSize: Int) {
            self.mode = mode
            self.passStderr = passStderr
            self.maxMessageSize = maxMessageSize
        }
    }

    /// Stderr lines are logged in pieces of at most this many bytes, so a line of any length is
    /// logged and never buffered whole.
    static let maxStderrPiece = 65536

    public let program: ProgramProcess
    private let settings: Settings
    private weak var session: WebSocketSession?
    private var stdoutFramer: LineFramer
    private var stderrFramer = LineFramer(maxMessageSize: ProgramBackend.maxStderrPiece)
    private let onStderrLine: (String) -> Void
    private let onFinish: (ProgramBackend) -> Void
    private var clientGone = false
    private var stdoutEnded = false
    private var closeSent = false

    /// `onStderrLine` receives each stderr line (for the log); `onFinish` is called once the
    /// program and everything it started are gone.
    public init(program: ProgramProcess, settings: Settings,
                onStderrLine: @escaping (String) -> Void, onFinish: @escaping (ProgramBackend) -> Void) {
        self.program = program
        self.settings = settings
        stdoutFramer = LineFramer(maxMessageSize: settings.maxMessageSize)
        self.onStderrLine = onStderrLine
        self.onFinish = onFinish
        program.delegate = self
    }

    /// How the program ended, once it has.
    public var termination: ProcessTermination? { program.termination }

    // MARK: - SessionBackend (client side)

    public func sessionDidOpen(_ session: WebSocketSession) {
        self.session = session
        program.start()
    }

    public func session(_ session: WebSocketSession, didReceive opcode: WebSocketOpcode, payload: ByteBuffer) {
        guard !clientGone else { return }
        let newline: UInt8 = 0x0A
        switch settings.mode {
        case .lines where payload.readableBytes < 4096:
            program.writeStdin(minimumCapacity: payload.readableBytes + 1) { buffer in
                buffer.writeBuffer(payload)
                buffer.writeInteger(newline)
            }
        case .lines:
            program.writeStdin(payload)
            program.writeStdin(minimumCapacity: 1) { $0.writeInteger(newline) }
        case .bytes:
            program.writeStdin(payload)
        }
        if !program.isStdinWritable { session.pauseReading() }
    }

    public func sessionDidDrain(_ session: WebSocketSession) {
        program.resumeStdout()
    }

    public func sessionDidClose(_ session: WebSocketSession, closeCode: WebSocketCloseCode?) {
        guard !clientGone else { return }
        clientGone = true
        if program.termination == nil || !stdoutEnded {
            // The client left first: websocketd's kill sequence, to the whole group.
            program.discardStdout()
            program.terminate()
        }
    }

    // MARK: - ProgramProcessDelegate (program side)

    public func program(_ program: ProgramProcess, didReadStdout buffer: inout ByteBuffer) {
        guard let session, !clientGone else {
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            return
        }
        switch settings.mode {
        case .bytes:
            if let chunk = buffer.readSlice(buffer.readableBytes) { session.send(.binary, chunk) }
        case .lines:
            stdoutFramer.consume(&buffer) { send($0, stream: .stdout) }
        }
        if !session.isWritable { program.pauseStdout() }
    }

    public func programStdoutDidEnd(_ program: ProgramProcess) {
        stdoutEnded = true
        if settings.mode == .lines && !clientGone {
            stdoutFramer.finish { send($0, stream: .stdout) }
        }
        if program.termination == nil {
            // Stdout is closed but the program runs on: the session is over (websocketd ends it
            // at stdout EOF); the kill sequence ends the program and brings its exit status.
            program.terminate()
        }
        closeSessionIfDone()
    }

    public func program(_ program: ProgramProcess, didReadStderr buffer: inout ByteBuffer) {
        stderrFramer.consume(&buffer) { stderrLine($0) }
    }

    public func programStderrDidEnd(_ program: ProgramProcess) {
        stderrFramer.finish { stderrLine($0) }
    }

    private func stderrLine(_ line: LineMessage) {
        switch line {
        case .text(let bytes), .binary(let bytes):
            onStderrLine(String(decoding: bytes.readableBytesArray, as: UTF8.self))
        }
        if settings.passStderr && !clientGone { send(line, stream: .stderr) }
    }

    public func programStdinDidDrain(_ program: ProgramProcess) {
        session?.resumeReading()
    }

    public func program(_ program: ProgramProcess, didExit termination: ProcessTermination) {
        closeSessionIfDone()
    }

    public func programDidFinish(_ program: ProgramProcess) {
        onFinish(self)
    }

    // MARK: - Sending

    private func send(_ line: LineMessage, stream: StreamLineJSON.Stream) {
        guard let session else { return }
        if settings.passStderr {
            switch line {
            case .text(let bytes), .binary(let bytes):
                session.send(.text, StreamLineJSON.encode(stream: stream, line: bytes))
            }
            return
        }
        switch line {
        case .text(let bytes): session.send(.text, bytes)
        case .binary(let bytes): session.send(.binary, bytes)
        }
    }

    /// All output is out and the program has exited: close with a code that says how it ended.
    private func closeSessionIfDone() {
        guard !closeSent, !clientGone, stdoutEnded, let termination = program.termination, let session else { return }
        closeSent = true
        if termination.isSuccess {
            session.close(code: .normalClosure, reason: "")
        } else {
            session.close(code: .internalError, reason: termination.description)
        }
    }
}

@available(*, unavailable)
extension ProgramBackend: Sendable {}
