import Testing
import WSGateCompression
import WSGateCore
import WSGateTestSupport
import WSGateWebSocket

/// `--compress` (permessage-deflate, RFC 7692) through the real binary, with frames built by
/// hand: the negotiation a client sees, compressed messages both ways, and every bad input
/// with its close code while the gateway goes on serving.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct CompressionTests {
    static let chromiumOffer = ("Sec-WebSocket-Extensions", "permessage-deflate; client_max_window_bits")

    /// A masked frame with RSV1 set: a compressed message's first frame.
    static func compressedFrame(_ opcode: WebSocketOpcode, _ deflated: [UInt8], fin: Bool = true) -> [UInt8] {
        FrameBytes.frame(fin: fin, rsv: 4, opcode: opcode.rawValue, payload: deflated)
    }

    /// `bytes` compressed as one message without context takeover.
    static func deflate(_ bytes: [UInt8]) -> [UInt8] {
        MessageDeflater(windowBits: 15, noContextTakeover: true).compress(ByteBuffer(bytes: bytes))!.readableBytesArray
    }

    /// A server message's payload, inflated when its first frame had RSV1.
    static func inflate(_ frame: TestClient.Frame, inflater: MessageInflater) throws -> [UInt8] {
        guard frame.compressed else { return frame.payload }
        inflater.feed(ByteBuffer(bytes: frame.payload))
        inflater.finishMessage()
        var bytes: [UInt8] = []
        while let piece = try inflater.nextPiece(maxBytes: 1 << 16) { bytes += piece.readableBytesArray }
        return bytes
    }

    @Test func chromiumsOfferIsAnsweredAndTheClientIsAskedNotToKeepContext() throws {
        let gateway = try GatewayProcess(["--echo", "--compress"])
        let client = try gateway.connect()
        let response = try client.upgrade(headers: [Self.chromiumOffer])
        #expect(response.status == 101)
        let value = try #require(response.header("Sec-WebSocket-Extensions"))
        #expect(value.hasPrefix("permessage-deflate"))
        #expect(value.contains("client_no_context_takeover"))
        #expect(!value.contains("server_no_context_takeover"))
    }

    @Test func withoutTheFlagNoExtensionIsAnsweredAndRSV1Gets1002() throws {
        let gateway = try GatewayProcess(["--echo"])
        let client = try gateway.connect()
        let response = try client.upgrade(headers: [Self.chromiumOffer])
        #expect(response.status == 101)
        #expect(response.header("Sec-WebSocket-Extensions") == nil)
        try client.send(Self.compressedFrame(.text, Self.deflate(Array("Hello".utf8))))
        let close = try client.readFrame()
        #expect(close.opcode == .close && close.closeCode == 1002)
    }

    /// RFC 7692 §7.2.3.1's bytes for "Hello", and a 4 KiB JSON-like message both ways.
    @Test func compressedMessagesAreEchoedAndLargeOnesComeBackCompressed() throws {
        let gateway = try GatewayProcess(["--echo", "--compress"])
        let client = try gateway.openWebSocket(headers: [Self.chromiumOffer])
        let inflater = MessageInflater(windowBits: 15, noContextTakeover: false)
        try client.send(Self.compressedFrame(.text, [0xF2, 0x48, 0xCD, 0xC9, 0xC9, 0x07, 0x00]))
        let hello = try client.readMessage()
        #expect(!hello.compressed, "below --compress-min-size")
        #expect(hello.text == "Hello")

        let json = Array((0..<64).map { "{\"id\":\($0),\"name\":\"sensor-\($0)\",\"value\":\($0 * 7)}\n" }.joined().utf8)
        for _ in 0..<3 {
            try client.send(Self.compressedFrame(.text, Self.deflate(json)))
            let echoed = try client.readMessage()
            #expect(echoed.compressed)
            #expect(echoed.payload.count < json.count / 3)
            #expect(try Self.inflate(echoed, inflater: inflater) == json)
        }
    }

    /// A compressed message in three frames: RSV1 on the first only.
    @Test func aFragmentedCompressedMessageIsEchoedWhole() throws {
        let gateway = try GatewayProcess(["--echo", "--compress"])
        let client = try gateway.openWebSocket(headers: [Self.chromiumOffer])
        let text = Array(String(repeating: "fragmented and compressed ", count: 40).utf8)
        let deflated = Self.deflate(text)
        let third = deflated.count / 3
        try client.send(Self.compressedFrame(.text, Array(deflated[..<third]), fin: false)
            + FrameBytes.frame(.ping, Array("in between".utf8))
            + FrameBytes.continuation(Array(deflated[third..<2 * third]), fin: false)
            + FrameBytes.continuation(Array(deflated[(2 * third)...])))
        let pong = try client.readFrame()
        #expect(pong.opcode == .pong)
        let echoed = try client.readMessage()
        #expect(try Self.inflate(echoed, inflater: MessageInflater(windowBits: 15, noContextTakeover: false)) == text)
    }

    /// A few KiB that inflate to 16 MiB against a 64 KiB limit: 1009, the gateway's memory
    /// stays near where it was, and another client is served throughout.
    @Test func aDecompressionBombGets1009WithinTheLimit() throws {
        let gateway = try GatewayProcess(["--echo", "--compress", "--maxframesize=65536"])
        let bystander = try gateway.openWebSocket(headers: [Self.chromiumOffer])
        let before = try #require(ProcessTable.residentKilobytes(of: gateway.process.pid))
        let bomb = Self.deflate([UInt8](repeating: 0, count: 16 << 20))
        #expect(bomb.count < 32 * 1024)
        let client = try gateway.openWebSocket(headers: [Self.chromiumOffer])
        try client.send(Self.compressedFrame(.binary, bomb))
        let close = try client.readFrame()
        #expect(close.opcode == .close && close.closeCode == 1009)
        let after = try #require(ProcessTable.residentKilobytes(of: gateway.process.pid))
        expectRSSGrowth(from: before, to: after, below: 4096, "after a 16 MiB bomb")
        try bystander.send(FrameBytes.text("still here"))
        #expect(try bystander.readMessage().text == "still here")
    }

    @Test func corruptDeflateDataGets1007AndALogLine() throws {
        let gateway = try GatewayProcess(["--echo", "--compress"])
        let client = try gateway.openWebSocket(headers: [Self.chromiumOffer])
        // BTYPE 11 (reserved) in the first block header: RFC 1951 §3.2.3 "error".
        try client.send(Self.compressedFrame(.text, [0xFF, 0xFF, 0xFF, 0xFF]))
        let close = try client.readFrame()
        #expect(close.opcode == .close && close.closeCode == 1007)
        try gateway.process.waitForOutputLine(containing: "failed:'1007 invalid compressed data' | DISCONNECT")
    }

    /// RFC 7692 §7: an offer with an unknown parameter is declined; the client is served
    /// uncompressed and the log says why.
    @Test func anUnacceptableOfferGetsNoExtensionAndALogLine() throws {
        let gateway = try GatewayProcess(["--echo", "--compress"])
        let client = try gateway.connect()
        let response = try client.upgrade(headers: [("Sec-WebSocket-Extensions", "permessage-deflate; color=blue")])
        #expect(response.status == 101)
        #expect(response.header("Sec-WebSocket-Extensions") == nil)
        try gateway.process.waitForOutputLine(
            containing: "permessage-deflate not negotiated, no acceptable offer in: permessage-deflate; color=blue")
        try client.send(FrameBytes.text("plain"))
        #expect(try client.readMessage().text == "plain")
    }

    /// Inflated text is still checked for UTF-8 (RFC 6455 §8.1): 1007.
    @Test func invalidUTF8InsideCompressedTextGets1007() throws {
        let gateway = try GatewayProcess(["--echo", "--compress"])
        let client = try gateway.openWebSocket(headers: [Self.chromiumOffer])
        try client.send(Self.compressedFrame(.text, Self.deflate([0x68, 0x69, 0xC0, 0xAF])))
        let close = try client.readFrame()
        #expect(close.opcode == .close && close.closeCode == 1007)
    }

    @Test func rsv1OnAControlFrameOrAContinuationGets1002() throws {
        let gateway = try GatewayProcess(["--echo", "--compress"])
        for frame in [FrameBytes.frame(rsv: 4, opcode: WebSocketOpcode.ping.rawValue, payload: [1]),
                      FrameBytes.text("start", fin: false) + FrameBytes.frame(rsv: 4, opcode: 0, payload: [0x03, 0x00])] {
            let client = try gateway.openWebSocket(headers: [Self.chromiumOffer])
            try client.send(frame)
            let close = try client.readFrame()
            #expect(close.opcode == .close && close.closeCode == 1002)
        }
    }

    /// Line mode: a compressed message with several lines reaches `cat` as its bytes, and the
    /// program's lines come back (the long one compressed).
    @Test func aProgramReadsInflatedLinesAndItsOutputIsCompressed() throws {
        let gateway = try GatewayProcess(["--compress", "/bin/cat"])
        let client = try gateway.openWebSocket(headers: [Self.chromiumOffer])
        let long = String(repeating: "all work and no play ", count: 30)
        try client.send(Self.compressedFrame(.text, Self.deflate(Array("short\n\(long)".utf8))))
        let inflater = MessageInflater(windowBits: 15, noContextTakeover: false)
        let first = try client.readMessage()
        #expect(!first.compressed && first.text == "short")
        let second = try client.readMessage()
        #expect(second.compressed)
        #expect(String(decoding: try Self.inflate(second, inflater: inflater), as: UTF8.self) == long)
    }

    /// `--tcp`: the backend gets the inflated bytes; what it sends back comes compressed, in
    /// as many messages as reads, each decoded with the context of the ones before.
    @Test func aTCPBackendReceivesInflatedBytesAndItsAnswerIsCompressed() throws {
        let backend = try TCPTestBackend(.echo)
        let gateway = try GatewayProcess(["--binary", "--compress", backend.gatewayArgument])
        let client = try gateway.openWebSocket(headers: [Self.chromiumOffer])
        let bytes = Array(String(repeating: "a TCP service's record; ", count: 400).utf8)
        try client.send(Self.compressedFrame(.binary, Self.deflate(bytes)))
        let inflater = MessageInflater(windowBits: 15, noContextTakeover: false)
        var echoed: [UInt8] = []
        var compressedMessages = 0
        while echoed.count < bytes.count {
            let message = try client.readMessage()
            #expect(message.opcode == .binary)
            if message.compressed { compressedMessages += 1 }
            echoed += try Self.inflate(message, inflater: inflater)
        }
        #expect(echoed == bytes)
        #expect(compressedMessages > 0)
    }

    /// `--broadcast`: members that negotiated compression get the room's message compressed
    /// once (no context takeover), a member without it the same message plain.
    @Test func aRoomSendsCompressedFramesToMembersThatNegotiatedAndPlainToOthers() throws {
        let gateway = try GatewayProcess(["--compress", "--broadcast", "/bin/cat"])
        let first = try gateway.connect()
        let answer = try first.upgrade(headers: [Self.chromiumOffer])
        #expect(answer.header("Sec-WebSocket-Extensions")?.contains("server_no_context_takeover") == true)
        let second = try gateway.openWebSocket(headers: [Self.chromiumOffer])
        let plain = try gateway.openWebSocket()
        let line = String(repeating: "everyone hears this; ", count: 20)
        try plain.send(FrameBytes.text(line))
        for member in [first, second] {
            let frame = try member.readMessage()
            #expect(frame.compressed)
            let inflated = try Self.inflate(frame, inflater: MessageInflater(windowBits: 15, noContextTakeover: true))
            #expect(String(decoding: inflated, as: UTF8.self) == line)
        }
        let uncompressed = try plain.readMessage()
        #expect(!uncompressed.compressed && uncompressed.text == line)
    }
}
