import Testing
import WSGateCore
import WSGateWebSocket

@Suite(.timeLimit(.minutes(10))) struct WebSocketFrameEncoderTests {
    static let key = WebSocketMaskingKey(0x37, 0xFA, 0x21, 0x3D)

    static func frame(fin: Bool = true, _ opcode: WebSocketOpcode, _ payload: [UInt8],
                      key: WebSocketMaskingKey? = nil) -> [UInt8] {
        var out = ByteBuffer()
        WebSocketFrameEncoder.writeFrame(fin: fin, opcode: opcode, payload: buf(payload), maskingKey: key, into: &out)
        return out.readableBytesArray
    }

    static func header(_ opcode: WebSocketOpcode, length: Int, key: WebSocketMaskingKey? = nil) -> [UInt8] {
        var out = ByteBuffer()
        WebSocketFrameEncoder.writeHeader(fin: true, opcode: opcode, payloadLength: length, maskingKey: key, into: &out)
        return out.readableBytesArray
    }

    // RFC 6455 §5.7 examples.

    @Test func unmaskedText() {
        #expect(Self.frame(.text, Array("Hello".utf8)) == [0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
    }

    @Test func maskedText() {
        #expect(Self.frame(.text, Array("Hello".utf8), key: Self.key)
            == [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58])
    }

    @Test func fragmentedUnmaskedText() {
        #expect(Self.frame(fin: false, .text, Array("Hel".utf8)) == [0x01, 0x03, 0x48, 0x65, 0x6C])
        #expect(Self.frame(.continuation, Array("lo".utf8)) == [0x80, 0x02, 0x6C, 0x6F])
    }

    @Test func pingAndMaskedPong() {
        #expect(Self.frame(.ping, Array("Hello".utf8)) == [0x89, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
        #expect(Self.frame(.pong, Array("Hello".utf8), key: Self.key)
            == [0x8A, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58])
    }

    @Test func binary256BytesUses16BitLength() {
        let payload = [UInt8](repeating: 0xAB, count: 256)
        #expect(Self.frame(.binary, payload) == [0x82, 0x7E, 0x01, 0x00] + payload)
    }

    @Test func binary64KiBUses64BitLength() {
        let payload = [UInt8](repeating: 0x5A, count: 65536)
        #expect(Self.frame(.binary, payload) == [0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0] + payload)
    }

    @Test func lengthEncodingBoundaries() {
        #expect(Self.header(.binary, length: 0) == [0x82, 0x00])
        #expect(Self.header(.binary, length: 125) == [0x82, 0x7D])
        #expect(Self.header(.binary, length: 126) == [0x82, 0x7E, 0x00, 0x7E])
        #expect(Self.header(.binary, length: 65535) == [0x82, 0x7E, 0xFF, 0xFF])
        #expect(Self.header(.binary, length: 65536) == [0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0])
        #expect(Self.header(.binary, length: 0x1_0203_0405) == [0x82, 0x7F, 0, 0, 0, 1, 2, 3, 4, 5])
    }

    @Test func maskedHeadersOfEachLengthEncoding() {
        let keyBytes: [UInt8] = [0x37, 0xFA, 0x21, 0x3D]
        #expect(Self.header(.text, length: 5, key: Self.key) == [0x81, 0x85] + keyBytes)
        #expect(Self.header(.text, length: 300, key: Self.key) == [0x81, 0xFE, 0x01, 0x2C] + keyBytes)
        #expect(Self.header(.text, length: 70000, key: Self.key) == [0x81, 0xFF, 0, 0, 0, 0, 0, 0x01, 0x11, 0x70] + keyBytes)
    }

    @Test func maskedLongPayloadIsMaskedFromOffsetZero() {
        let payload = (0 ..< 300).map { UInt8(truncatingIfNeeded: $0) }
        let bytes = Self.frame(.binary, payload, key: Self.key)
        #expect(Array(bytes[..<8]) == [0x82, 0xFE, 0x01, 0x2C, 0x37, 0xFA, 0x21, 0x3D])
        let expected = payload.enumerated().map { $0.element ^ Self.key[$0.offset % 4] }
        #expect(Array(bytes[8...]) == expected)
    }

    @Test func headerLengthMatchesWrittenHeaders() {
        for length in [0, 125, 126, 65535, 65536] {
            for key in [nil, Self.key] {
                #expect(WebSocketFrameEncoder.headerLength(payloadLength: length, masked: key != nil)
                    == Self.header(.binary, length: length, key: key).count)
            }
        }
    }

    @Test func maskingDoesNotChangeTheCallersPayload() {
        let payload = buf("Hello")
        var out = ByteBuffer()
        WebSocketFrameEncoder.writeFrame(opcode: .text, payload: payload, maskingKey: Self.key, into: &out)
        #expect(payload == buf("Hello"))
        #expect(out.readableBytes == 11)
    }

    @Test func rawPointerVariantWritesTheSameBytes() {
        var out = ByteBuffer()
        Array("Hello".utf8).withUnsafeBytes {
            WebSocketFrameEncoder.writeFrame(opcode: .text, payload: $0, maskingKey: Self.key, into: &out)
        }
        #expect(out.readableBytesArray == [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58])
    }

    @Test func appendsAfterExistingBytes() {
        var out = buf([0xEE])
        WebSocketFrameEncoder.writeFrame(opcode: .ping, payload: buf([]), into: &out)
        #expect(out.readableBytesArray == [0xEE, 0x89, 0x00])
    }

    // Close payloads (§5.5.1).

    @Test func closePayloadWithCodeAndReason() {
        #expect(WebSocketFrameEncoder.closePayload(code: .normalClosure, reason: "bye").readableBytesArray
            == [0x03, 0xE8, 0x62, 0x79, 0x65])
        #expect(WebSocketFrameEncoder.closePayload(code: .goingAway, reason: "").readableBytesArray == [0x03, 0xE9])
        #expect(WebSocketFrameEncoder.closePayload(code: WebSocketCloseCode(rawValue: 4999), reason: "").readableBytesArray
            == [0x13, 0x87])
    }

    @Test func closePayloadWithoutCodeIsEmpty() {
        #expect(WebSocketFrameEncoder.closePayload(code: nil, reason: "ignored").readableBytes == 0)
    }

    @Test func longReasonIsCutTo125Bytes() {
        let payload = WebSocketFrameEncoder.closePayload(code: .internalError, reason: String(repeating: "x", count: 200))
        #expect(payload.readableBytesArray == [0x03, 0xF3] + [UInt8](repeating: 0x78, count: 123))
    }

    @Test func reasonIsCutAtACharacterBoundary() {
        // 122 ASCII + "é" (2 bytes) = 124 > 123: the "é" must go entirely.
        let twoByte = WebSocketFrameEncoder.closePayload(code: .normalClosure, reason: String(repeating: "a", count: 122) + "é")
        #expect(twoByte.readableBytes == 2 + 122)
        // 121 ASCII + "€" (3 bytes) = 124: the "€" goes.
        let threeByte = WebSocketFrameEncoder.closePayload(code: .normalClosure, reason: String(repeating: "a", count: 121) + "€x")
        #expect(threeByte.readableBytes == 2 + 121)
        // 120 ASCII + "€" = 123: fits exactly.
        let exact = WebSocketFrameEncoder.closePayload(code: .normalClosure, reason: String(repeating: "a", count: 120) + "€")
        #expect(exact.readableBytes == 125)
        for payload in [twoByte, threeByte, exact] {
            var reason = payload
            reason.moveReaderIndex(forwardBy: 2)
            #expect(UTF8Validator.isValid(reason))
        }
        // Four-byte characters cut at every phase.
        for prefix in 119 ... 123 {
            let payload = WebSocketFrameEncoder.closePayload(code: .normalClosure, reason: String(repeating: "a", count: prefix) + "😀😀")
            var reason = payload
            reason.moveReaderIndex(forwardBy: 2)
            #expect(payload.readableBytes <= 125)
            #expect(UTF8Validator.isValid(reason), "prefix \(prefix)")
            #expect(reason.readableBytes == prefix + (123 - prefix) / 4 * 4)
        }
    }
}
