import Testing
import WSGateTestSupport
import WSGateWebSocket

/// `wsgate --echo` over real sockets: messages, control frames and the close handshake as a
/// client sees them.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct EchoTests {
    @Test func textAndBinaryMessagesComeBackWithTheirOpcode() throws {
        let gateway = try GatewayProcess(["--echo"])
        let client = try gateway.openWebSocket()
        try client.send(FrameBytes.text("hello, wsgate"))
        let text = try client.readMessage()
        #expect(text.opcode == .text)
        #expect(text.text == "hello, wsgate")
        let bytes: [UInt8] = [0, 1, 2, 0xFF, 0xFE]
        try client.send(FrameBytes.binary(bytes))
        let binary = try client.readMessage()
        #expect(binary.opcode == .binary)
        #expect(binary.payload == bytes)
    }

    @Test func aFragmentedMessageWithAPingInsideIsEchoedWhole() throws {
        let gateway = try GatewayProcess(["--echo"])
        let client = try gateway.openWebSocket()
        try client.send(FrameBytes.text("frag", fin: false)
            + FrameBytes.frame(.ping, Array("are you there".utf8))
            + FrameBytes.continuation(Array("mented".utf8)))
        let pong = try client.readFrame()
        #expect(pong.opcode == .pong)
        #expect(pong.text == "are you there")
        let message = try client.readMessage()
        #expect(message.text == "fragmented")
    }

    /// A 3 MiB message crosses many reads and the write queue's watermarks.
    @Test func aLargeMessageIsEchoedByteForByte() throws {
        let gateway = try GatewayProcess(["--echo", "--maxframesize=4194304"])
        let client = try gateway.openWebSocket()
        let payload = (0..<(3 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 9) }
        try client.send(FrameBytes.binary(payload))
        let echoed = try client.readMessage(timeout: 30)
        #expect(echoed.payload.count == payload.count)
        #expect(echoed.payload == payload)
    }

    @Test func theClientsCloseCodeIsEchoedAndTheServerClosesTheConnection() throws {
        let gateway = try GatewayProcess(["--echo"])
        let client = try gateway.openWebSocket()
        try client.send(FrameBytes.close(code: 4001, reason: Array("bye".utf8)))
        let close = try client.readFrame()
        #expect(close.opcode == .close)
        #expect(close.closeCode == 4001)
        #expect(try client.waitForEOF())
        try gateway.process.waitForOutputLine(containing: "DISCONNECT")
    }

    @Test func invalidUTF8InATextMessageGets1007() throws {
        let gateway = try GatewayProcess(["--echo"])
        let client = try gateway.openWebSocket()
        try client.send(FrameBytes.frame(.text, [0x68, 0x69, 0xC0, 0xAF]))
        let close = try client.readFrame()
        #expect(close.opcode == .close)
        #expect(close.closeCode == 1007)
        #expect(try client.waitForEOF())
    }

    /// The fail-fast rule: the invalid byte arrives in the first part of a frame whose rest
    /// never comes; the close must not wait for the rest.
    @Test func invalidUTF8IsRejectedBeforeTheFrameIsComplete() throws {
        let gateway = try GatewayProcess(["--echo"])
        let client = try gateway.openWebSocket()
        let frame = FrameBytes.frame(.text, Array("valid start".utf8) + [0xF5] + [UInt8](repeating: 0x61, count: 1000))
        try client.send(Array(frame.prefix(30)))
        let close = try client.readFrame()
        #expect(close.closeCode == 1007)
    }

    @Test func aMessageOverMaxframesizeGets1009() throws {
        let gateway = try GatewayProcess(["--echo", "--maxframesize=1000"])
        let client = try gateway.openWebSocket()
        try client.send(FrameBytes.binary([UInt8](repeating: 7, count: 1000)))
        #expect(try client.readMessage().payload.count == 1000)
        try client.send(FrameBytes.binary([UInt8](repeating: 7, count: 1001)))
        let close = try client.readFrame()
        #expect(close.closeCode == 1009)
    }

    @Test func anUnmaskedClientFrameGets1002() throws {
        let gateway = try GatewayProcess(["--echo"])
        let client = try gateway.openWebSocket()
        try client.send(FrameBytes.frame(.text, Array("no mask".utf8), maskingKey: nil))
        let close = try client.readFrame()
        #expect(close.closeCode == 1002)
        #expect(try client.waitForEOF())
    }

    @Test func framesSentTogetherWithTheHandshakeAreNotLost() throws {
        let gateway = try GatewayProcess(["--echo"])
        let client = try gateway.connect()
        var request = "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        request += "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
        try client.send(Array(request.utf8) + FrameBytes.text("eager"))
        #expect(try client.readHTTPResponse().status == 101)
        #expect(try client.readMessage().text == "eager")
    }

    @Test func pingmsSendsPings() throws {
        let gateway = try GatewayProcess(["--echo", "--pingms=50"])
        let client = try gateway.openWebSocket()
        let ping = try client.readFrame()
        #expect(ping.opcode == .ping)
    }

    /// `--pingms`: a client that never answers (never sends anything) is closed with 1001.
    @Test func pingmsClosesASilentClientWith1001() throws {
        let gateway = try GatewayProcess(["--echo", "--pingms=50"])
        let client = try gateway.openWebSocket()
        var frame = try client.readFrame()
        while frame.opcode == .ping { frame = try client.readFrame() }
        #expect(frame.opcode == .close)
        #expect(frame.closeCode == 1001)
    }
}
