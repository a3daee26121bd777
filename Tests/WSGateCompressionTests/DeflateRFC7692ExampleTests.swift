import Testing
import WSGateCompression
import WSGateCore

/// One case for the inflater: messages in order on one connection, and what each inflates to.
struct DecodingExample: Sendable, CustomTestStringConvertible {
    let name: String
    let takeover: Bool
    let messages: [[UInt8]]
    let inflated: [[UInt8]]
    var testDescription: String { name }
}

/// The examples of RFC 7692 §7.2.3, each decoded by the inflater, and the ones zlib's output
/// can match produced by the deflater.
@Suite(.timeLimit(.minutes(10))) struct DeflateRFC7692ExampleTests {
    static let hello = RFCExample.hello

    static let decodingExamples = [
        DecodingExample(name: "§7.2.3.1 Hello", takeover: false, messages: [RFCExample.compressedHello], inflated: [hello]),
        // The second message refers to the first one's window.
        DecodingExample(name: "§7.2.3.2 takeover", takeover: true,
                        messages: [RFCExample.compressedHello, RFCExample.helloAgain], inflated: [hello, hello]),
        DecodingExample(name: "§7.2.3.3 stored block", takeover: false, messages: [RFCExample.storedHello], inflated: [hello]),
        // The next message may still refer to what the final block held.
        DecodingExample(name: "§7.2.3.4 BFINAL", takeover: true,
                        messages: [RFCExample.finalBlockHello, RFCExample.helloAgain], inflated: [hello, hello]),
        // §7.2.1: "The next DEFLATE block follows the padded data", with the final block's
        // data in its window.
        DecodingExample(name: "blocks after BFINAL", takeover: false,
                        messages: [RFCExample.finalBlockHello.dropLast() + RFCExample.helloAgain], inflated: [hello + hello]),
        // Without the empty stored block §7.2.3.4 puts after the final block: accepted.
        DecodingExample(name: "BFINAL ends the message", takeover: true,
                        messages: [Array(RFCExample.finalBlockHello.dropLast()), RFCExample.helloAgain], inflated: [hello, hello]),
        DecodingExample(name: "§7.2.3.5 two blocks", takeover: false, messages: [RFCExample.twoBlockHello], inflated: [hello]),
        DecodingExample(name: "§7.2.3.6 empty", takeover: true, messages: [[0x00], RFCExample.compressedHello, [0x00]],
                        inflated: [[], hello, []]),
    ]

    /// Whole, and one byte a piece.
    @Test(arguments: decodingExamples, [1 << 20, 1])
    func decodes(_ example: DecodingExample, maxBytes: Int) throws {
        let inflater = MessageInflater(windowBits: 15, noContextTakeover: !example.takeover)
        for (message, inflated) in zip(example.messages, example.inflated) {
            #expect(try inflater.inflateMessage(message, maxBytes: maxBytes) == inflated)
        }
    }

    /// Without the first message's window the second one cannot be decoded.
    @Test func theSecondHelloAloneIsCorrupt() {
        let inflater = MessageInflater(windowBits: 15, noContextTakeover: true)
        #expect(throws: InflateError.corruptData) { try inflater.inflateMessage(RFCExample.helloAgain) }
    }

    /// §7.2.3.1 and §7.2.3.2 come out of zlib byte for byte.
    @Test func theDeflaterProducesTheRFCBytes() {
        let deflater = MessageDeflater(windowBits: 15, noContextTakeover: false)
        let hello = ByteBuffer(bytes: Self.hello)
        #expect(deflater.compress(hello)?.readableBytesArray == RFCExample.compressedHello)
        #expect(deflater.compress(hello)?.readableBytesArray == RFCExample.helloAgain)
    }

    /// §7.2.3.6: an empty message is the single octet 0x00 (an empty stored block), with or
    /// without context, and needs no zlib state to produce.
    @Test(arguments: [false, true])
    func anEmptyMessageIsOneZeroOctet(takeover: Bool) throws {
        let deflater = MessageDeflater(windowBits: 15, noContextTakeover: !takeover)
        let inflater = MessageInflater(windowBits: 15, noContextTakeover: !takeover)
        #expect(deflater.compress(ByteBuffer())?.readableBytesArray == [0x00])
        #expect(!deflater.holdsZlibState)
        for message in [Self.hello, [], Self.hello, []] {
            let compressed = try #require(deflater.compress(ByteBuffer(bytes: message)))
            #expect(message.isEmpty == (compressed.readableBytesArray == [0x00]))
            #expect(try inflater.inflateMessage(compressed.readableBytesArray) == message)
        }
    }
}
