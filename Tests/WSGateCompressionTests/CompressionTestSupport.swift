import Testing
import WSGateCompression
import WSGateCore
import WSGateTestSupport

/// `count` bytes that are partly compressible: literal runs (from a small alphabet, or any
/// byte) and copies of earlier runs at distances up to 40,000, so every window size matters.
func sampleMessage(count: Int, using generator: inout SplitMix64) -> [UInt8] {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count)
    let alphabet: UInt64 = Bool.random(using: &generator) ? 16 : 256
    while bytes.count < count {
        if bytes.count > 3 && generator.next() % 2 == 0 {
            let distance = Int.random(in: 1...min(bytes.count, 40_000), using: &generator)
            for _ in 0..<min(Int.random(in: 3...300, using: &generator), count - bytes.count) {
                bytes.append(bytes[bytes.count - distance])
            }
        } else {
            for _ in 0..<min(Int.random(in: 1...64, using: &generator), count - bytes.count) {
                bytes.append(UInt8(truncatingIfNeeded: 0x41 &+ generator.next() % alphabet))
            }
        }
    }
    return bytes
}

/// The RFC 7692 §7.2.3 examples, as bytes.
enum RFCExample {
    static let hello = Array("Hello".utf8)
    /// §7.2.3.1.
    static let compressedHello: [UInt8] = [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00]
    /// §7.2.3.2: the second "Hello" refers to the first one.
    static let helloAgain: [UInt8] = [0xF2, 0x00, 0x11, 0x00, 0x00]
    /// §7.2.3.3.
    static let storedHello: [UInt8] = [0x00, 0x05, 0x00, 0xFA, 0xFF, 0x48, 0x65, 0x6C, 0x6C, 0x6F, 0x00]
    /// §7.2.3.4.
    static let finalBlockHello: [UInt8] = [0xF3, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00, 0x00]
    /// §7.2.3.5.
    static let twoBlockHello: [UInt8] = [0xF2, 0x48, 0x05, 0x00, 0x00, 0x00, 0xFF, 0xFF, 0xCA, 0xC9, 0xC9, 0x07, 0x00]
}

extension MessageInflater {
    /// Feeds `compressed` as one message and returns all its pieces joined, checking that each
    /// is non-empty and at most `maxBytes`.
    func inflateMessage(_ compressed: [UInt8], maxBytes: Int = 1 << 20) throws(InflateError) -> [UInt8] {
        feed(ByteBuffer(bytes: compressed))
        finishMessage()
        var output: [UInt8] = []
        while let piece = try nextPiece(maxBytes: maxBytes) {
            #expect(piece.readableBytes > 0 && piece.readableBytes <= min(maxBytes, MessageInflater.largestPiece))
            output += piece.readableBytesArray
        }
        #expect(!hasQueuedInput)
        return output
    }
}
