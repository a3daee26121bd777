import Glibc
import Testing
import WSGateTestSupport
import WSGateWebSocket

/// Frames that declare more than memory: the declared length is checked against the limit
/// before anything is buffered, and nothing is reserved for bytes that have not arrived.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct OversizedFrameTests {
    /// Sends a header declaring `declared` bytes, then a few payload bytes in two writes (so
    /// that they arrive in two reads: the second one once made wsgate grow its buffer to the
    /// declared size).
    static func sendLyingFrame(_ client: TestClient, declared: UInt64) throws {
        try client.send(FrameBytes.header(opcode: WebSocketOpcode.binary.rawValue, declaredLength: declared) + [1, 2, 3])
        var pause = timespec(tv_sec: 0, tv_nsec: 100_000_000)
        nanosleep(&pause, nil)  // provokes a second read; the assertions do not depend on it
        try client.send([4, 5, 6])
    }

    /// websocketd's `--maxframesize=0` ("unlimited") is wsgate's ceiling, 100 MiB: a frame
    /// declaring 2^63−1 bytes is refused at its header with 1009, and the gateway serves on.
    @Test func aFrameDeclaring2To63BytesGets1009WithMaxframesize0() throws {
        let gateway = try GatewayProcess(["--echo", "--maxframesize=0"])
        let client = try gateway.openWebSocket()
        try Self.sendLyingFrame(client, declared: UInt64(Int64.max))
        #expect(try client.readFrame().closeCode == 1009)
        let other = try gateway.openWebSocket()
        try other.send(FrameBytes.text("still here"))
        #expect(try other.readMessage().text == "still here")
    }

    /// At the largest limit a frame of exactly that size is accepted, and a client that sends
    /// three bytes of it and leaves costs nothing: the gateway serves on.
    @Test func aFrameOfTheLargestLimitIsBufferedOnlyAsItArrives() throws {
        let gateway = try GatewayProcess(["--echo", "--maxframesize=104857600"])
        let before = try #require(gateway.process.residentKilobytes)
        var clients: [TestClient] = []
        for _ in 0..<20 {
            let client = try gateway.openWebSocket()
            try Self.sendLyingFrame(client, declared: 104_857_600)
            clients.append(client)
        }
        let other = try gateway.openWebSocket()
        try other.send(FrameBytes.text("still here"))
        #expect(try other.readMessage().text == "still here")
        let after = try #require(gateway.process.residentKilobytes)
        expectRSSGrowth(from: before, to: after, below: 32 * 1024, "for 20 clients that sent 6 bytes each")
    }

    @Test func aLimitAboveTheCeilingIsRefusedAtStart() throws {
        let process = try ChildProcess(path: Executables.path("wsgate"), arguments: ["--echo", "--maxframesize=104857601"])
        #expect(try process.waitForExit() == 2)
        #expect(process.standardError.contains("value out of range"))
    }
}
