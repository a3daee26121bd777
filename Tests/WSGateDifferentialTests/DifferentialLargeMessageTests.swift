import Testing
import WSGateTestSupport
import WSGateWebSocket

/// Large messages (README, 'Behaviour where websocketd and the RFC leave a choice'): with
/// defaults, a message bigger than 1 MiB to a program is relayed as websocketd relays it.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread, .websocketdInstalled) struct DifferentialLargeMessageTests {
    /// Regression: a 2 MiB text message to `cat` (one line): websocketd echoes it, wsgate
    /// closed with 1009. Both now echo every byte (websocketd as one fragmented message,
    /// wsgate in 1 MiB pieces, its line framer's; only the bytes are compared), client reading
    /// while it sends.
    @Test func a2MiBTextMessageToCatIsEchoedByBoth() throws {
        let length = 2 << 20
        let both = try onBoth(command: ["/bin/cat"]) { server -> (sent: PayloadHash, echoed: PayloadHash) in
            let client = try server.openWebSocket()
            var message = LargeTextMessage(length: length)
            var echoed = PayloadHash()
            try client.exchange(timeout: 60, nextChunk: { message.nextChunk() }) { frame in
                guard frame.opcode == .text || frame.opcode == .continuation else {
                    throw TestFailure("\(server.peer) sent \(frame)")
                }
                echoed.add(frame.payload)
                return echoed.count < length
            }
            return (message.hash, echoed)
        }
        #expect(both.websocketd.echoed == both.websocketd.sent)
        #expect(both.wsgate.echoed == both.wsgate.sent)
        #expect(both.wsgate.echoed == both.websocketd.echoed)
    }
}
