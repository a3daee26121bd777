import Testing
import WSGateTestSupport
import WSGateWebSocket

/// Messages for a program or a socket are relayed as their bytes arrive, so their size is
/// limited neither by memory nor, unless `--maxframesize` is set, by a limit: as with
/// websocketd, `wsgate cat` echoes a message of any size. Where a message is held whole
/// (`--echo`) the limit stays.
@Suite(.serialized, .timeLimit(.minutes(10))) struct LargeMessageTests {
    static let mebibyte = 1 << 20

    /// Sends `message` through `client` and reads the echo (text pieces of at most 1 MiB, as
    /// the line framer cuts a long line) until as many bytes came back; returns their hash.
    static func echo(_ message: inout LargeTextMessage, through client: TestClient) throws -> PayloadHash {
        var echoed = PayloadHash()
        let expected = message.length
        try client.exchange(nextChunk: { message.nextChunk() }) { frame in
            guard frame.opcode == .text else { throw TestFailure("expected text, got \(frame)") }
            echoed.add(frame.payload)
            return echoed.count < expected
        }
        return echoed
    }

    /// Regression: with defaults, a 2 MiB text message to `cat` closed with 1009 (the 1 MiB
    /// default limit of a message held whole); websocketd echoes it.
    @Test func a2MiBMessageThroughCatIsEchoedWithDefaults() throws {
        let gateway = try GatewayProcess(["/bin/cat"])
        let client = try gateway.openWebSocket()
        var message = LargeTextMessage(length: 2 * Self.mebibyte)
        let echoed = try Self.echo(&message, through: client)
        #expect(echoed == message.hash)
        try client.send(FrameBytes.close(code: 1000))
        #expect(try client.readFrame().closeCode == 1000)
        #expect(try client.waitForEOF())
    }

    /// 64 MiB through `cat` and back, whole and correct, while wsgate's memory stays bounded
    /// by its watermarks: its peak resident memory grows by far less than the message. Under a
    /// sanitizer, where memory is not asserted, 8 MiB make the same path at an eighth the time.
    @Test func a64MiBMessageThroughCatIsEchoedInBoundedMemory() throws {
        let gateway = try GatewayProcess(["/bin/cat"])
        let client = try gateway.openWebSocket()
        let before = try #require(gateway.process.peakResidentKilobytes)
        let length = (Sanitizers.areActive ? 8 : 64) * Self.mebibyte
        var message = LargeTextMessage(length: length)
        let echoed = try Self.echo(&message, through: client)
        #expect(echoed.count == length)
        #expect(echoed == message.hash)
        let peak = try #require(gateway.process.peakResidentKilobytes)
        expectRSSGrowth(from: before, to: peak, below: 16 * 1024, "peak, for a 64 MiB message")
        try client.send(FrameBytes.close(code: 1000))
        #expect(try client.readFrame().closeCode == 1000)
    }

    /// Invalid UTF-8 2 MiB into a 4 MiB text message: 1007, though `cat` has had the valid
    /// prefix (README: "Behaviour where websocketd and the RFC leave a choice").
    @Test func invalidUTF8InTheMiddleOfABigMessageGets1007() throws {
        let gateway = try GatewayProcess(["/bin/cat"])
        let client = try gateway.openWebSocket()
        let invalidAt = 2 * Self.mebibyte + 5
        var message = LargeTextMessage(length: 4 * Self.mebibyte, invalidByteAt: invalidAt, sentPayloadLength: invalidAt + 3)
        var closeCode: UInt16?
        try client.exchange(nextChunk: { message.nextChunk() }) { frame in
            guard frame.opcode == .close else { return true }
            closeCode = frame.closeCode
            return false
        }
        #expect(closeCode == 1007)
        #expect(try client.waitForEOF())
    }

    /// `--echo` holds a message whole: over its 1 MiB default, 1009.
    @Test func echoStillCloses1009OverItsDefaultLimit() throws {
        let gateway = try GatewayProcess(["--echo"])
        let client = try gateway.openWebSocket()
        try client.send(FrameBytes.binary([UInt8](repeating: 1, count: Self.mebibyte)))
        #expect(try client.readMessage(timeout: 60).payload.count == Self.mebibyte)
        try client.send(FrameBytes.header(opcode: WebSocketOpcode.binary.rawValue, declaredLength: UInt64(Self.mebibyte + 1)))
        #expect(try client.readFrame().closeCode == 1009)
    }

    /// A `--maxframesize` that is set limits a program's messages too, across fragments.
    @Test func anExplicitMaxframesizeCloses1009ForAProgram() throws {
        let gateway = try GatewayProcess(["--maxframesize=1000", "/bin/cat"])
        let client = try gateway.openWebSocket()
        try client.send(FrameBytes.text(String(repeating: "a", count: 1000)))
        #expect(try client.readMessage().text == String(repeating: "a", count: 1000))
        try client.send(FrameBytes.text(String(repeating: "b", count: 600), fin: false)
            + FrameBytes.continuation([UInt8](repeating: 0x62, count: 401)))
        var closeCode: UInt16?
        while closeCode == nil {
            let frame = try client.readFrame()
            if frame.opcode == .close { closeCode = frame.closeCode }
        }
        #expect(closeCode == 1009)
    }

    /// Without a limit, a frame may declare 2^63−1 bytes: what arrives goes to the program at
    /// once (here `cat` in byte mode sends it back), and nothing is reserved for the rest.
    @Test func aFrameDeclaring2To63BytesIsRelayedAsItArrives() throws {
        let gateway = try GatewayProcess(["--binary", "/bin/cat"])
        let client = try gateway.openWebSocket()
        try OversizedFrameTests.sendLyingFrame(client, declared: UInt64(Int64.max))
        var echoed: [UInt8] = []
        while echoed.count < 6 {
            let frame = try client.readFrame()
            #expect(frame.opcode == .binary)
            echoed += frame.payload
        }
        // The bytes were sent as they are, so the program gets them unmasked with the key.
        #expect(echoed == FrameBytes.mask([1, 2, 3, 4, 5, 6], with: FrameBytes.defaultKey))
    }

    /// A ping in the middle of a fragmented message to a program is answered before the
    /// message ends, and the message still reaches the program whole, with its `\n`.
    @Test func aPingInTheMiddleOfAFragmentedMessageIsAnswered() throws {
        let gateway = try GatewayProcess(["/bin/cat"])
        let client = try gateway.openWebSocket()
        try client.send(FrameBytes.text("frag", fin: false) + FrameBytes.frame(.ping, Array("still there?".utf8)))
        let pong = try client.readFrame()
        #expect(pong.opcode == .pong)
        #expect(pong.text == "still there?")
        try client.send(FrameBytes.continuation(Array("mented".utf8)))
        #expect(try client.readMessage().text == "fragmented")
    }
}
