import Testing
import WSGateTestSupport
import WSGateWebSocket

/// Byte mode (`--binary`, docs/behaviour.md, 'Byte mode'): each read from the program is one
/// binary message.
/// Chunk sizes follow pipe reads and differ between the servers, so only the concatenation
/// is compared.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread, .websocketdInstalled) struct DifferentialBinaryTests {
    /// 100 000 random bytes to `cat`: both echo exactly those bytes, in binary messages.
    /// (websocketd 0.4.1 copes up to about 256 KiB with this program, the room in the two
    /// pipes and its reader; beyond, see the next test.)
    @Test func aBinaryMessageIsEchoedByteForByteByBoth() throws {
        let payload = TestClient.randomBytes(100_000)
        let both = try onBoth(flags: ["--binary"], command: Peer.testcmd("cat")) { server in
            try server.openWebSocket().echo(binary: payload, timeout: 10)
        }
        for (peer, echo) in [(Peer.websocketd, both.websocketd), (.wsgate, both.wsgate)] {
            #expect(!echo.stalled, "\(peer) stalled after \(echo.bytes.count) bytes")
            #expect(echo.allBinary, "\(peer)")
            #expect(echo.bytes == payload, "\(peer) echoed \(echo.bytes.count) bytes")
        }
        #expect(both.wsgate.bytes == both.websocketd.bytes)
    }

    /// (better) "Backpressure both ways" (docs/behaviour.md, 'Backpressure': websocketd 0.4.1
    /// deadlocks when a large inbound message meets an echoing program): 1 MB to `cat` —
    /// websocketd echoes nothing more before its short deadline (it is stuck, not slow); wsgate
    /// echoes every byte.
    @Test func betterALargeMessageToAnEchoingProgramStallsWebsocketdButNotWsgate() throws {
        let payload = TestClient.randomBytes(1_000_000)
        let both = try onBoth(flags: ["--binary"], command: Peer.testcmd("cat")) { server in
            try server.openWebSocket().echo(binary: payload, timeout: server.peer == .websocketd ? 3 : 30)
        }
        #expect(both.websocketd.stalled)
        #expect(both.websocketd.bytes.count < payload.count)
        #expect(!both.wsgate.stalled, "wsgate stalled after \(both.wsgate.bytes.count) bytes")
        #expect(both.wsgate.bytes == payload)
        #expect(both.wsgate.allBinary)
    }
}
