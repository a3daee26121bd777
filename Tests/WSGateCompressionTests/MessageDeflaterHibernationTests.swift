import Testing
import WSGateCompression
import WSGateCore
import WSGateTestSupport

/// `hibernate()`: an idle connection frees zlib's state and keeps only the window's bytes, and
/// the peer, which never knew, still decodes what follows with its own context; and the kept
/// state of a busy deflater without context takeover.
@Suite(.timeLimit(.minutes(10))) struct MessageDeflaterHibernationTests {
    static let text = MessageDeflaterTests.text

    @Test(arguments: [9, 12, 15])
    func aHibernatedDeflaterStillTakesOverItsContext(windowBits: Int) throws {
        let deflater = MessageDeflater(windowBits: windowBits, noContextTakeover: false)
        let awake = MessageDeflater(windowBits: windowBits, noContextTakeover: false)
        let inflater = MessageInflater(windowBits: windowBits, noContextTakeover: false)
        var generator = SplitMix64(seed: UInt64(windowBits))
        for round in 0..<6 {
            let message = round % 2 == 0
                ? ByteBuffer(string: Self.text)
                : ByteBuffer(bytes: sampleMessage(count: 20_000, using: &generator))
            let compressed = try #require(deflater.compress(message))
            // Byte for byte what a deflater that never slept makes: the same context.
            #expect(compressed == awake.compress(message), "round \(round)")
            #expect(try inflater.inflateMessage(compressed.readableBytesArray) == message.readableBytesArray)
            deflater.hibernate()
            #expect(!deflater.holdsZlibState)
            #expect(deflater.hibernatedBytes > 0 && deflater.hibernatedBytes <= 1 << windowBits)
        }
    }

    @Test func hibernatingWithoutStateOrContextDoesNothing() {
        let fresh = MessageDeflater(windowBits: 15, noContextTakeover: false)
        fresh.hibernate()
        #expect(fresh.hibernatedBytes == 0)
        let noContext = MessageDeflater(windowBits: 15, noContextTakeover: true, keepsStateWithoutContext: true)
        _ = noContext.compress(ByteBuffer(string: Self.text))
        noContext.hibernate()
        #expect(noContext.holdsZlibState && noContext.hibernatedBytes == 0)
    }

    /// A room's deflater: reset, not freed, between messages; each message still stands alone.
    @Test func aDeflaterThatKeepsItsStateCompressesEachMessageOnItsOwn() throws {
        let kept = MessageDeflater(windowBits: 15, noContextTakeover: true, keepsStateWithoutContext: true)
        let fresh = MessageDeflater(windowBits: 15, noContextTakeover: true)
        let message = ByteBuffer(string: Self.text)
        for _ in 0..<3 {
            #expect(kept.compress(message) == fresh.compress(message))
            #expect(kept.holdsZlibState && !fresh.holdsZlibState)
        }
        let inflater = MessageInflater(windowBits: 15, noContextTakeover: true)
        #expect(try inflater.inflateMessage(try #require(kept.compress(message)).readableBytesArray) == message.readableBytesArray)
    }
}
