import Testing
import WSGateCompression
import WSGateCore
import WSGateTestSupport
import WSGateWebSocket

/// `PerMessageDeflateReader` on bytes: compressed messages come out inflated, plain ones and
/// control frames unchanged, and the outcome (messages and error) is the same however the
/// input is cut.
@Suite(.timeLimit(.minutes(10))) struct PerMessageDeflateReaderTests {
    struct Outcome: Equatable {
        var messages: [WebSocketMessageEvent] = []
        var error: WebSocketError?
    }

    /// Feeds `input` in pieces of `stride` bytes through decoder → reader → assembler.
    static func read(_ input: [UInt8], stride: Int, limit: Int = 1 << 16) -> Outcome {
        var decoder = WebSocketFrameDecoder(role: .server, maxPayloadLength: UInt64(limit), allowsCompressedMessages: true)
        var reader = PerMessageDeflateReader(windowBits: 15, noContextTakeover: false)
        var assembler = WebSocketMessageAssembler(maxMessageLength: limit)
        var outcome = Outcome()
        var buffer = ByteBuffer()
        for start in Swift.stride(from: 0, to: input.count, by: stride) {
            buffer.writeBytes(input[start..<min(start + stride, input.count)])
            do {
                while let event = try reader.next(from: &decoder, &buffer, produceOutput: true) {
                    if let message = try assembler.receive(event) { outcome.messages.append(message) }
                }
            } catch {
                outcome.error = error
                return outcome
            }
        }
        return outcome
    }

    static func deflated(_ text: String, _ deflater: MessageDeflater) -> [UInt8] {
        deflater.compress(ByteBuffer(string: text))!.readableBytesArray
    }

    @Test func compressedPlainAndControlFramesInOrder() throws {
        let deflater = MessageDeflater(windowBits: 15, noContextTakeover: false)
        let json = String(repeating: "{\"k\":\"value\"}", count: 30)
        let input = FrameBytes.frame(rsv: 4, opcode: 1, payload: Self.deflated(json, deflater))
            + FrameBytes.text("plain")
            + FrameBytes.frame(.ping, [7])
            + FrameBytes.frame(rsv: 4, opcode: 1, payload: Self.deflated(json, deflater))
        let expected = [WebSocketMessageEvent.message(opcode: .text, payload: ByteBuffer(string: json)),
                        .message(opcode: .text, payload: ByteBuffer(string: "plain")),
                        .ping(ByteBuffer(bytes: [7])),
                        .message(opcode: .text, payload: ByteBuffer(string: json))]
        for stride in [1, 3, 64, input.count] {
            #expect(Self.read(input, stride: stride) == Outcome(messages: expected), "stride \(stride)")
        }
    }

    /// RFC 7692 §7.2.3.6: an empty message compresses to 0x00; an empty compressed payload is
    /// taken as an empty message too.
    @Test func emptyCompressedMessages() {
        let input = FrameBytes.frame(rsv: 4, opcode: 1, payload: [0x00]) + FrameBytes.frame(rsv: 4, opcode: 2, payload: [])
        #expect(Self.read(input, stride: 1) == Outcome(messages: [.message(opcode: .text, payload: ByteBuffer()),
                                                                  .message(opcode: .binary, payload: ByteBuffer())]))
    }

    /// Found by the deflate-frames fuzzer: a plain text, then compressed text whose inflated
    /// bytes are not UTF-8 before its deflate data turns corrupt. Cut one way, the corrupt data
    /// was reported first; cut another, the UTF-8. The bytes before a corrupt spot now always
    /// come out first.
    @Test func theErrorDoesNotDependOnHowTheInputIsCut() {
        let input: [UInt8] = [
            0x81, 0x85, 0x01, 0x02, 0x03, 0x04, 0x71, 0x6E, 0x62, 0x6D, 0x6F, 0xC1,
            0x8D, 0x01, 0x02, 0x03, 0x04, 0xAB, 0xC8, 0x2F, 0x2C, 0x49, 0x4F, 0x79,
            0x52, 0x2C, 0x48, 0xAF, 0x2B, 0xF5, 0x01, 0x88, 0x82, 0x01, 0x02, 0x03,
            0x04, 0x02, 0xEA,
        ]
        let whole = Self.read(input, stride: input.count)
        #expect(whole.messages == [.message(opcode: .text, payload: ByteBuffer(string: "plain"))])
        #expect(whole.error == .invalidUTF8)
        for stride in 1...8 { #expect(Self.read(input, stride: stride) == whole, "stride \(stride)") }
    }

    /// A piece that crosses the limit: the text within it is checked first.
    @Test func invalidTextWithinTheLimitIs1007AndValidTextOverItIs1009() {
        let deflater = MessageDeflater(windowBits: 15, noContextTakeover: true)
        let bad = [UInt8](repeating: 0x61, count: 100) + [0xC0] + [UInt8](repeating: 0x61, count: 4000)
        let badFrame = FrameBytes.frame(rsv: 4, opcode: 1, payload: deflater.compress(ByteBuffer(bytes: bad))!.readableBytesArray)
        #expect(Self.read(badFrame, stride: 1, limit: 1000).error == .invalidUTF8)
        let good = [UInt8](repeating: 0x61, count: 4000)
        let goodFrame = FrameBytes.frame(rsv: 4, opcode: 1, payload: deflater.compress(ByteBuffer(bytes: good))!.readableBytesArray)
        #expect(Self.read(goodFrame, stride: 1, limit: 1000).error == .messageTooBig(limit: 1000))
    }
}
