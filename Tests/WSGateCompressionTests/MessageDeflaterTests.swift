import Testing
import WSGateCompression
import WSGateCore
import WSGateTestSupport

/// The deflater's lazy zlib state and its 8-bit window.
@Suite(.timeLimit(.minutes(10))) struct MessageDeflaterTests {
    static let text = (0..<120).map { "line \($0 % 37): the quick brown fox jumps over the lazy dog \($0 % 11)\n" }.joined()

    @Test func holdsNoStateBeforeTheFirstMessage() {
        #expect(!MessageDeflater(windowBits: 15, noContextTakeover: false).holdsZlibState)
        #expect(!MessageDeflater(windowBits: 15, noContextTakeover: true).holdsZlibState)
    }

    @Test func keepsItsStateOnlyWithContextTakeover() {
        let keeping = MessageDeflater(windowBits: 15, noContextTakeover: false)
        _ = keeping.compress(ByteBuffer(string: Self.text))
        #expect(keeping.holdsZlibState)
        let releasing = MessageDeflater(windowBits: 15, noContextTakeover: true)
        _ = releasing.compress(ByteBuffer(string: Self.text))
        #expect(!releasing.holdsZlibState)
    }

    /// Without takeover every message compresses alike; with it, a repeat is much smaller.
    @Test func contextTakeoverShrinksARepeatedMessage() throws {
        let message = ByteBuffer(string: Self.text)
        let fresh = MessageDeflater(windowBits: 15, noContextTakeover: true)
        #expect(fresh.compress(message) == fresh.compress(message))
        let keeping = MessageDeflater(windowBits: 15, noContextTakeover: false)
        let first = try #require(keeping.compress(message))
        let second = try #require(keeping.compress(message))
        #expect(second.readableBytes * 4 < first.readableBytes)
    }

    /// zlib has no 8-bit raw deflate window and uses 9 bits, whose matches reach back at most
    /// 250 octets: an 8-bit inflater (256 octets) decodes every message. Pieces of one byte make
    /// zlib check each distance against its window alone, not against the output at hand.
    @Test func eightWindowBitsSuitAnEightBitInflater() throws {
        let deflater = MessageDeflater(windowBits: 8, noContextTakeover: false)
        let inflater = MessageInflater(windowBits: 8, noContextTakeover: false)
        for _ in 0..<3 {
            let compressed = try #require(deflater.compress(ByteBuffer(string: Self.text)))
            #expect(compressed.readableBytes * 2 < Self.text.utf8.count)
            #expect(try inflater.inflateMessage(compressed.readableBytesArray, maxBytes: 1) == Array(Self.text.utf8))
        }
    }

    /// The check above is real: a 15-bit deflater refers back 300 octets, which an 8-bit
    /// inflater refuses.
    @Test func anEightBitInflaterRefusesLongerDistances() throws {
        var generator = SplitMix64(seed: 8)
        let block = (0..<300).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let message = ByteBuffer(bytes: Array([[UInt8]](repeating: block, count: 4).joined()))
        let compressed = try #require(MessageDeflater(windowBits: 15, noContextTakeover: true).compress(message))
        let inflater = MessageInflater(windowBits: 8, noContextTakeover: true)
        #expect(throws: InflateError.corruptData) { try inflater.inflateMessage(compressed.readableBytesArray, maxBytes: 1) }
        let roundTrip = try #require(MessageDeflater(windowBits: 8, noContextTakeover: true).compress(message))
        let fresh = MessageInflater(windowBits: 8, noContextTakeover: true)
        #expect(try fresh.inflateMessage(roundTrip.readableBytesArray, maxBytes: 1) == message.readableBytesArray)
    }
}
