import Testing
import WSGateCompression
import WSGateCore
import WSGateTestSupport

/// The inflater's lazy state, its pieces, and what it calls corrupt.
@Suite(.timeLimit(.minutes(10))) struct MessageInflaterTests {
    static let text = Array((0..<200).map { "message \($0 % 23) of the inflater tests, line \($0)\n" }.joined().utf8)

    static func compressed(_ bytes: [UInt8]) -> [UInt8] {
        MessageDeflater(windowBits: 15, noContextTakeover: true).compress(ByteBuffer(bytes: bytes))!.readableBytesArray
    }

    @Test func anIdleInflaterHoldsNothing() throws {
        let inflater = MessageInflater(windowBits: 15, noContextTakeover: false)
        #expect(try inflater.nextPiece(maxBytes: 100) == nil)
        #expect(!inflater.holdsZlibState)
        #expect(!inflater.hasQueuedInput)
    }

    @Test(arguments: [false, true])
    func keepsItsStateOnlyWithContextTakeover(takeover: Bool) throws {
        let inflater = MessageInflater(windowBits: 15, noContextTakeover: !takeover)
        #expect(try inflater.inflateMessage(Self.compressed(Self.text)) == Self.text)
        #expect(inflater.holdsZlibState == takeover)
        #expect(!inflater.hasQueuedInput)
    }

    /// Output may stop in the middle of a message and resume later; the tail is consumed too.
    @Test func piecesAreBoundedAndTheMessageResumes() throws {
        let inflater = MessageInflater(windowBits: 15, noContextTakeover: true)
        inflater.feed(ByteBuffer(bytes: Self.compressed(Self.text)))
        let first = try #require(try inflater.nextPiece(maxBytes: 10))
        #expect(first.readableBytesArray == Array(Self.text.prefix(10)))
        #expect(inflater.hasQueuedInput)
        inflater.finishMessage()
        var output = first.readableBytesArray
        while let piece = try inflater.nextPiece(maxBytes: 1000) {
            #expect(piece.readableBytes <= 1000)
            output += piece.readableBytesArray
        }
        #expect(output == Self.text)
        #expect(!inflater.hasQueuedInput)
        #expect(!inflater.holdsZlibState)
    }

    @Test func noPieceIsLargerThanLargestPiece() throws {
        let zeros = [UInt8](repeating: 0, count: 100_000)
        let inflater = MessageInflater(windowBits: 15, noContextTakeover: true)
        inflater.feed(ByteBuffer(bytes: Self.compressed(zeros)))
        inflater.finishMessage()
        var total = 0
        while let piece = try inflater.nextPiece(maxBytes: Int.max) {
            #expect(piece.readableBytes <= MessageInflater.largestPiece)
            #expect(piece.capacity == piece.readableBytes)
            total += piece.readableBytes
        }
        #expect(total == zeros.count)
    }

    /// §7.2.2: a message whose data stops inside a block is corrupt, even though zlib itself
    /// only waits for more input.
    @Test func aTruncatedMessageIsCorrupt() throws {
        let compressed = Self.compressed(Self.text)
        let inflater = MessageInflater(windowBits: 15, noContextTakeover: true)
        #expect(throws: InflateError.corruptData) { try inflater.inflateMessage(Array(compressed.prefix(compressed.count / 2))) }
        #expect(!inflater.holdsZlibState)
    }

    /// BFINAL 0, BTYPE 11: a reserved block type.
    @Test func aReservedBlockTypeIsCorrupt() {
        let inflater = MessageInflater(windowBits: 15, noContextTakeover: true)
        #expect(throws: InflateError.corruptData) { try inflater.inflateMessage([0x06, 0x00]) }
    }

    @Test(arguments: 1...20)
    func garbageIsCorrupt(seed: Int) {
        var generator = SplitMix64(seed: UInt64(seed))
        let garbage = (0..<1000).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
        let inflater = MessageInflater(windowBits: 15, noContextTakeover: false)
        #expect(throws: InflateError.corruptData) { try inflater.inflateMessage(garbage, maxBytes: 64) }
    }

    /// The error stays until `reset()`, which makes the inflater usable again.
    @Test func anErrorStaysUntilReset() throws {
        let inflater = MessageInflater(windowBits: 15, noContextTakeover: false)
        #expect(throws: InflateError.corruptData) { try inflater.inflateMessage([0x06]) }
        #expect(!inflater.holdsZlibState)
        #expect(throws: InflateError.corruptData) { try inflater.inflateMessage(RFCExample.compressedHello) }
        inflater.reset()
        #expect(try inflater.inflateMessage(RFCExample.compressedHello) == RFCExample.hello)
    }

    /// reset() in the middle of a message drops it; the next message decodes from scratch.
    @Test func resetDropsTheCurrentMessage() throws {
        let inflater = MessageInflater(windowBits: 15, noContextTakeover: false)
        inflater.feed(ByteBuffer(bytes: Self.compressed(Self.text)))
        _ = try inflater.nextPiece(maxBytes: 5)
        inflater.reset()
        #expect(!inflater.hasQueuedInput)
        #expect(!inflater.holdsZlibState)
        #expect(try inflater.inflateMessage(RFCExample.compressedHello) == RFCExample.hello)
    }
}
