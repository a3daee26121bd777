import WSGateTestSupport
import WSGateWebSocket

/// Everything a client received after the handshake, until the connection ended.
///
/// Why it exists: most scenarios compare "which bytes came, in which kind of message, then
/// how did it end" between websockify and wsgate. In byte mode message boundaries follow the
/// gateways' reads and differ, so the payloads are compared joined.
struct Transcript: Equatable, CustomStringConvertible {
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

        /// The close code, if a close frame came.
        var code: UInt16? {
            if case .closeFrame(let code, _) = self { return code }
            return nil
        }
    }

    /// The payloads of every data message, joined.
    var bytes: [UInt8] = []
    /// The opcodes of the data messages, in order.
    var opcodes: [WebSocketOpcode] = []
    var ending: Ending = .timedOut

    /// Every data message was binary.
    var allBinary: Bool { opcodes.allSatisfy { $0 == .binary } }
    var text: String { String(decoding: bytes, as: UTF8.self) }

    var description: String { "\(opcodes.count) messages \(text.debugDescription) then \(ending)" }

    /// Reads `client` until a close frame, the end of the connection, or `timeout` seconds
    /// without anything new. A close frame is answered with the same code, as a client
    /// would, unless `answerClose` is false (the client sent its own close first).
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
                transcript.opcodes.append(frame.opcode)
                transcript.bytes += frame.payload
            }
        }
    }
}
