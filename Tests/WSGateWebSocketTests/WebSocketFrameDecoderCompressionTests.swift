import Testing
import WSGateCore
import WSGateTestSupport
import WSGateWebSocket

/// RSV1 with permessage-deflate negotiated (RFC 7692 §6, §6.1): the decoder accepts it on a
/// data message's first frame only and reports it in the header; every other RSV bit and
/// place is still a protocol error.
@Suite(.timeLimit(.minutes(10))) struct WebSocketFrameDecoderCompressionTests {
    private static func firstEvent(_ bytes: [UInt8], compression: Bool) throws(WebSocketError) -> WebSocketFrameEvent? {
        var decoder = WebSocketFrameDecoder(role: .server, maxPayloadLength: 1 << 20, allowsCompressedMessages: compression)
        var input = ByteBuffer(bytes: bytes)
        return try decoder.next(&input)
    }

    @Test(arguments: [WebSocketOpcode.text, .binary])
    func rsv1OnAFirstFrameMarksItCompressed(_ opcode: WebSocketOpcode) throws {
        for fin in [true, false] {
            let event = try Self.firstEvent(FrameBytes.frame(fin: fin, rsv: 4, opcode: opcode.rawValue, payload: [1, 2]),
                                            compression: true)
            guard case .dataHeader(let header) = event else {
                Issue.record("expected a data header, got \(String(describing: event))")
                return
            }
            #expect(header.rsv1 && header.fin == fin && header.opcode == opcode)
        }
    }

    @Test func aFrameWithoutRSV1IsNotCompressed() throws {
        let event = try Self.firstEvent(FrameBytes.text("plain"), compression: true)
        guard case .dataHeader(let header) = event else {
            Issue.record("expected a data header")
            return
        }
        #expect(!header.rsv1)
    }

    @Test func rsv1WithoutNegotiationFails() {
        #expect(throws: WebSocketError.reservedBitsSet(4)) {
            try Self.firstEvent(FrameBytes.frame(rsv: 4, opcode: 1, payload: [1]), compression: false)
        }
    }

    /// §6.1: "An endpoint MUST NOT set the "Per-Message Compressed" bit of control frames and
    /// non-first fragments of a data message."
    @Test(arguments: [WebSocketOpcode.continuation, .ping, .pong, .close])
    func rsv1OnAContinuationOrControlFrameFails(_ opcode: WebSocketOpcode) {
        #expect(throws: WebSocketError.reservedBitsSet(4)) {
            try Self.firstEvent(FrameBytes.frame(rsv: 4, opcode: opcode.rawValue, payload: [0x03, 0xE8]), compression: true)
        }
    }

    @Test(arguments: [UInt8(1), 2, 3, 5, 6, 7])
    func otherReservedBitsStillFail(_ rsv: UInt8) {
        #expect(throws: WebSocketError.reservedBitsSet(rsv)) {
            try Self.firstEvent(FrameBytes.frame(rsv: rsv, opcode: 1, payload: [1]), compression: true)
        }
    }

    @Test func theEncoderSetsRSV1OnACompressedFrameAndTheDecoderReadsItBack() throws {
        var frame = ByteBuffer()
        WebSocketFrameEncoder.writeFrame(compressed: true, opcode: .binary, payload: ByteBuffer(bytes: [9, 9]), into: &frame)
        #expect(frame.readableBytesArray == [0xC2, 0x02, 9, 9])
        var decoder = WebSocketFrameDecoder(role: .client, maxPayloadLength: 100, allowsCompressedMessages: true)
        guard case .dataHeader(let header) = try decoder.next(&frame) else {
            Issue.record("expected a data header")
            return
        }
        #expect(header.rsv1 && header.payloadLength == 2)
    }
}
