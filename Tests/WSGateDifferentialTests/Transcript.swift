import WSGateTestSupport
import WSGateWebSocket

/// Everything a client received after the handshake, until the connection ended.
///
/// Why it exists: most scenarios compare "which messages, of which type, with which bytes,
/// then how did it end" between websocketd and wsgate; reading that is the same everywhere.
/// Fragments are joined (websocketd splits long messages, wsgate may not) so only messages
/// are compared, never framing.
struct Transcript: Equatable, CustomStringConvertible {
    /// One message: its opcode (text or binary) and its bytes.
    struct Message: Equatable, CustomStringConvertible {
        var opcode: WebSocketOpcode
        var payload: [UInt8]

        static func text(_ text: String) -> Message { Message(opcode: .text, payload: Array(text.utf8)) }
        static func binary(_ bytes: [UInt8]) -> Message { Message(opcode: .binary, payload: bytes) }

        var description: String {
            if let text = String(validating: payload, as: UTF8.self) { return "\(opcode) \(text.debugDescription)" }
            return "\(opcode) bytes \(payload)"
        }
    }

    /// How the connection ended.
    enum Ending: Equatable, CustomStringConvertible {
        /// A close frame arrived with this code (nil: empty body) and reason.
        case closeFrame(code: UInt16?, reason: String)
        /// The TCP connection ended without a close frame (a browser reports 1006).
        case endOfStream
        /// Nothing more arrived before the deadline and the connection stayed open.
        case timedOut

        var description: String {
            switch self {
            case .closeFrame(let code, let reason): "close \(code.map(String.init) ?? "(none)") \(reason.debugDescription)"
            case .endOfStream: "TCP end without a close frame"
            case .timedOut: "still open at the deadline"
            }
        }
    }

    var messages: [Message] = []
    var ending: Ending = .timedOut

    var description: String { "\(messages) then \(ending)" }

    /// The text of every message (for line-oriented scenarios).
    var texts: [String] { messages.map { String(decoding: $0.payload, as: UTF8.self) } }

    /// Reads `client` until a close frame, the end of the connection, or `timeout` seconds
    /// without anything new. A close frame is answered with the same code, as a client would,
    /// unless `answerClose` is false (the client sent its own close first).
    static func read(from client: TestClient, timeout: Double = 10, answerClose: Bool = true) throws -> Transcript {
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
