public import WSGateWebSocket

/// What a client saw on one WebSocket connection: its data messages, then how it ended.
///
/// Why it exists: the comparison suites (against websocketd and against websockify) ask the
/// same question of both servers: "which messages, of which kind, with which bytes, then how
/// did it end". Messages are read whole (fragments joined: websocketd splits long messages,
/// wsgate may not), so framing is never compared; in byte mode message boundaries follow the
/// gateways' reads, so `bytes` joins the payloads.
public struct Transcript: Equatable, CustomStringConvertible {
    /// One message: its opcode (text or binary) and its bytes.
    public struct Message: Equatable, CustomStringConvertible {
        public var opcode: WebSocketOpcode
        public var payload: [UInt8]

        public init(opcode: WebSocketOpcode, payload: [UInt8]) {
            self.opcode = opcode
            self.payload = payload
        }

        public static func text(_ text: String) -> Message { Message(opcode: .text, payload: Array(text.utf8)) }
        public static func binary(_ bytes: [UInt8]) -> Message { Message(opcode: .binary, payload: bytes) }

        public var description: String {
            if let text = String(validating: payload, as: UTF8.self) { return "\(opcode) \(text.debugDescription)" }
            return "\(opcode) bytes \(payload)"
        }
    }

    /// How the connection ended.
    public enum Ending: Equatable, CustomStringConvertible {
        /// A close frame arrived with this code (nil: empty body) and reason.
        case closeFrame(code: UInt16?, reason: String)
        /// The TCP connection ended without a close frame (a browser reports 1006).
        case endOfStream
        /// Nothing more arrived before the deadline and the connection stayed open.
        case timedOut

        /// The close code, if a close frame came.
        public var code: UInt16? {
            if case .closeFrame(let code, _) = self { return code }
            return nil
        }

        public var description: String {
            switch self {
            case .closeFrame(let code, let reason): "close \(code.map(String.init) ?? "(none)") \(reason.debugDescription)"
            case .endOfStream: "TCP end without a close frame"
            case .timedOut: "still open at the deadline"
            }
        }
    }

    public var messages: [Message] = []
    public var ending: Ending = .timedOut

    public init(messages: [Message] = [], ending: Ending = .timedOut) {
        self.messages = messages
        self.ending = ending
    }

    public var description: String { "\(messages) then \(ending)" }

    /// The text of every message (for line-oriented scenarios).
    public var texts: [String] { messages.map { String(decoding: $0.payload, as: UTF8.self) } }
    /// The payloads of every message, joined (for byte-mode scenarios).
    public var bytes: [UInt8] { messages.flatMap(\.payload) }
    /// The opcodes of the messages, in order.
    public var opcodes: [WebSocketOpcode] { messages.map(\.opcode) }
    /// Every message was binary.
    public var allBinary: Bool { opcodes.allSatisfy { $0 == .binary } }
    /// The joined payloads as text.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Reads `client` until a close frame, the end of the connection, or `timeout` seconds
    /// without anything new. A close frame is answered with the same code, as a client would,
    /// unless `answerClose` is false (the client sent its own close first).
    public static func read(from client: TestClient, timeout: Double = 10, answerClose: Bool = true) throws -> Transcript {
        var transcript = Transcript()
        while true {
            let frame: TestClient.Frame
            do {
                frame = try client.readMessage(timeout: timeout)
            } catch let failure as TestFailure where failure.description.hasPrefix("timeout") {
                transcript.ending = .timedOut
                return transcript
            } catch let failure as TestFailure
                where failure.description.hasPrefix("connection closed before a complete frame (0 bytes") {
                transcript.ending = .endOfStream
                return transcript
            }
            switch frame.opcode {
            case .close:
                transcript.ending = .closeFrame(code: frame.closeCode,
                                                reason: String(decoding: frame.payload.dropFirst(2), as: UTF8.self))
                if answerClose { try? client.send(FrameBytes.close(code: frame.closeCode)) }
                return transcript
            case .ping, .pong:
                continue
            default:
                transcript.messages.append(Message(opcode: frame.opcode, payload: frame.payload))
            }
        }
    }
}
