import Testing
import WSGateTestSupport
import WSGateWebSocket

@Suite(.timeLimit(.minutes(10))) struct WebSocketMaskingTests {
    static let keys = [
        WebSocketMaskingKey(0x37, 0xFA, 0x21, 0x3D),
        WebSocketMaskingKey(0x01, 0x02, 0x04, 0x80),
        WebSocketMaskingKey(networkOrder: 0xFFFF_FFFF),
    ]

    @Test(arguments: 0 ..< 16)
    func matchesTheBytewiseReferenceAtEveryOffsetAndLength(_ offset: Int) {
        for key in Self.keys {
            for length in 0 ... 40 {
                let original = (0 ..< length).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ offset) }
                var masked = original
                masked.withUnsafeMutableBytes { WebSocketMasking.apply(key: key, to: $0, startingAt: offset) }
                #expect(masked == FrameBytes.mask(original, with: key, startingAt: offset),
                        "key \(key.networkOrder), offset \(offset), length \(length)")
                masked.withUnsafeMutableBytes { WebSocketMasking.apply(key: key, to: $0, startingAt: offset) }
                #expect(masked == original, "masking twice restores the data")
            }
        }
    }

    /// Unmasking a payload in chunks, each with its payload offset, equals unmasking it whole.
    @Test func chunkedUnmaskingEqualsWhole() {
        let key = Self.keys[0]
        let payload = (0 ..< 100).map { UInt8($0) }
        for cut in 0 ... payload.count {
            var first = Array(payload[..<cut])
            var second = Array(payload[cut...])
            first.withUnsafeMutableBytes { WebSocketMasking.apply(key: key, to: $0, startingAt: 0) }
            second.withUnsafeMutableBytes { WebSocketMasking.apply(key: key, to: $0, startingAt: cut) }
            #expect(first + second == FrameBytes.mask(payload, with: key), "cut at \(cut)")
        }
    }

    /// RFC 6455 §5.7: "Hello" masked with 37 fa 21 3d.
    @Test func rfcExample() {
        var bytes = Array("Hello".utf8)
        bytes.withUnsafeMutableBytes { WebSocketMasking.apply(key: Self.keys[0], to: $0, startingAt: 0) }
        #expect(bytes == [0x7F, 0x9F, 0x4D, 0x51, 0x58])
    }

    @Test func keyOctetsAreInWireOrder() {
        let key = WebSocketMaskingKey(0x37, 0xFA, 0x21, 0x3D)
        #expect(key.networkOrder == 0x37FA_213D)
        #expect(key.bytes == [0x37, 0xFA, 0x21, 0x3D])
        #expect(key[0] == 0x37 && key[3] == 0x3D)
    }
}
