import Testing
import WSGateCompression
import WSGateCore
import WSGateTestSupport

/// Messages of 0...300 KiB through the deflater and back through the inflater, for every
/// window size, with and without context takeover, fed in random chunks and taken in pieces
/// of random sizes (as a session reading frames and pausing for its backend would).
@Suite(.timeLimit(.minutes(10))) struct DeflateRoundTripTests {
    @Test(arguments: 8...15, [false, true])
    func messagesComeBackUnchanged(windowBits: Int, takeover: Bool) throws {
        var generator = SplitMix64(seed: UInt64(windowBits * 2 + (takeover ? 1 : 0)))
        let deflater = MessageDeflater(windowBits: windowBits, noContextTakeover: !takeover)
        let inflater = MessageInflater(windowBits: windowBits, noContextTakeover: !takeover)
        var sizes = [0, 1, 5, 300, 4096, 65_536, 300 * 1024]
        sizes += (0..<5).map { _ in Int.random(in: 0...300 * 1024, using: &generator) }
        for size in sizes.shuffled(using: &generator) {
            let message = sampleMessage(count: size, using: &generator)
            let compressed = try #require(deflater.compress(ByteBuffer(bytes: message)))
            let inflated = try inflateInRandomPieces(compressed, with: inflater, using: &generator)
            #expect(inflated == message, "\(size) bytes")
            #expect(!inflater.hasQueuedInput)
            if !takeover {
                #expect(!deflater.holdsZlibState)
                #expect(!inflater.holdsZlibState)
            }
        }
    }

    /// Feeds `compressed` in random chunks, taking a few pieces after each, then finishes the
    /// message and takes the rest.
    private func inflateInRandomPieces(_ compressed: ByteBuffer, with inflater: MessageInflater,
                                       using generator: inout SplitMix64) throws -> [UInt8] {
        var rest = compressed
        var output: [UInt8] = []
        func take(_ limit: Int, _ generator: inout SplitMix64) throws {
            for _ in 0..<limit {
                let maxBytes = switch generator.next() % 3 {
                case 0: Int.random(in: 1...16, using: &generator)
                case 1: Int.random(in: 17...4096, using: &generator)
                default: Int.random(in: 4097...100_000, using: &generator)
                }
                guard let piece = try inflater.nextPiece(maxBytes: maxBytes) else { return }
                #expect(piece.readableBytes > 0 && piece.readableBytes <= maxBytes)
                output += piece.readableBytesArray
            }
        }
        while !rest.isEmpty {
            let count = min(rest.readableBytes, Int.random(in: 1...max(1, compressed.readableBytes / 3), using: &generator))
            inflater.feed(rest.readSlice(count)!)
            try take(Int.random(in: 0...3, using: &generator), &generator)
        }
        inflater.finishMessage()
        try take(Int.max, &generator)
        return output
    }
}
