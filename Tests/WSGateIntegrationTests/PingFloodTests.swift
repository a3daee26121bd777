import Testing
import WSGateTestSupport
import WSGateWebSocket

/// A client that sends pings as fast as it can and never reads the pongs: wsgate stops reading
/// it once its write queue is full, so memory stays bounded whatever the backend.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct PingFloodTests {
    /// A ping with the largest payload a control frame may carry (125 bytes).
    static let ping = FrameBytes.frame(.ping, [UInt8](repeating: 0x50, count: 125))

    @Test(arguments: ["--echo", "--tcp", "program"])
    func pingsFromAClientThatNeverReadsCannotGrowMemory(backend: String) throws {
        let tcp = backend == "--tcp" ? try TCPTestBackend(.lineEcho) : nil
        let arguments: [String] = switch backend {
        case "--echo": ["--echo"]
        case "--tcp": [tcp!.gatewayArgument]
        default: [Executables.path("wsgate-testcmd"), "echo"]
        }
        let gateway = try GatewayProcess(arguments)
        let before = try #require(gateway.process.residentKilobytes)
        let flooder = try gateway.openWebSocket()
        let sent = try flooder.sendUntilStalled(Self.ping, limit: 256 << 20)
        #expect(sent < 64 << 20, "wsgate kept taking pings (\(sent) bytes) from a client that reads no pong")
        let after = try #require(gateway.process.residentKilobytes)
        expectRSSGrowth(from: before, to: after, below: 32 * 1024)
        // Pings are still answered, with their own payload, once the client reads.
        let pong = try flooder.readFrame()
        #expect(pong.opcode == .pong)
        #expect(pong.payload == [UInt8](repeating: 0x50, count: 125))
        // Everyone else is served meanwhile.
        let other = try gateway.openWebSocket()
        try other.send(FrameBytes.text("served"))
        #expect(try other.readMessage().text == "served")
    }
}
