import Testing
import WSGateTestSupport
import WSGateWebSocket

/// Byte mode (`--binary`, SPEC "Relay"): each read from the program is one binary message.
/// Chunk sizes follow pipe reads and differ between the servers, so only the concatenation
/// is compared.
@Suite(.websocketdInstalled) struct DifferentialBinaryTests {
    /// What came back when a client sent one binary message to an echoing program.
    struct Echo {
        /// The payloads of the binary messages, joined.
        var bytes: [UInt8] = []
        /// Every message started with a binary frame.
        var allBinary = true
        /// Not all bytes came back before the deadline.
        var stalled = false
    }

    /// Sends `payload` as one binary message in 16 KiB writes, taking what has already come
    /// back between writes (so a server that streams cannot block on a client that is busy
    /// sending), then reads until every byte is back or `timeout` passes.
    static func echo(_ payload: [UInt8], through client: TestClient, timeout: Double) throws -> Echo {
        var echo = Echo()
        func take(_ frame: TestClient.Frame) {
            if frame.opcode != .continuation && frame.opcode != .binary { echo.allBinary = false }
            echo.bytes += frame.payload
        }
        let frame = FrameBytes.binary(payload)
        var offset = 0
        while offset < frame.count {
            let end = min(offset + 16384, frame.count)
            try client.send(Array(frame[offset..<end]))
            offset = end
            // Only what is already there: a timeout of 0 keeps a partial frame for later.
            while let ready = try? client.readFrame(timeout: 0) { take(ready) }
        }
        let deadline = TestDeadline(seconds: timeout)
        while echo.bytes.count < payload.count {
            do {
                take(try client.readFrame(timeout: Double(deadline.remainingMilliseconds) / 1000))
            } catch let failure as TestFailure where failure.description.hasPrefix("timeout") {
                echo.stalled = true
                break
            }
        }
        return echo
    }

    static func randomBytes(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = []
        bytes.reserveCapacity(count + 8)
        while bytes.count < count {
            let word = generator.next()
            for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: word >> UInt64(shift))) }
        }
        return Array(bytes.prefix(count))
    }

    /// 100 000 random bytes to `cat`: both echo exactly those bytes, in binary messages.
    /// (websocketd 0.4.1 copes up to about 256 KiB with this program, the room in the two
    /// pipes and its reader; beyond, see the next test.)
    @Test func aBinaryMessageIsEchoedByteForByteByBoth() throws {
        let payload = Self.randomBytes(100_000)
        let both = try onBoth(flags: ["--binary"], command: Peer.testcmd("cat")) { server in
            try Self.echo(payload, through: server.openWebSocket(), timeout: 10)
        }
        for (peer, echo) in [(Peer.websocketd, both.websocketd), (.wsgate, both.wsgate)] {
            #expect(!echo.stalled, "\(peer) stalled after \(echo.bytes.count) bytes")
            #expect(echo.allBinary, "\(peer)")
            #expect(echo.bytes == payload, "\(peer) echoed \(echo.bytes.count) bytes")
        }
        #expect(both.wsgate.bytes == both.websocketd.bytes)
    }

    /// SPEC (better) "Backpressure both ways" (peers.md §b.9: websocketd 0.4.1 deadlocks when
    /// a large inbound message meets an echoing program): 1 MB to `cat` — websocketd echoes
    /// nothing more before its short deadline (it is stuck, not slow); wsgate echoes every byte.
    @Test func betterALargeMessageToAnEchoingProgramStallsWebsocketdButNotWsgate() throws {
        let payload = Self.randomBytes(1_000_000)
        let both = try onBoth(flags: ["--binary"], command: Peer.testcmd("cat")) { server in
            try Self.echo(payload, through: server.openWebSocket(), timeout: server.peer == .websocketd ? 3 : 30)
        }
        #expect(both.websocketd.stalled)
        #expect(both.websocketd.bytes.count < payload.count)
        #expect(!both.wsgate.stalled, "wsgate stalled after \(both.wsgate.bytes.count) bytes")
        #expect(both.wsgate.bytes == payload)
        #expect(both.wsgate.allBinary)
    }
}
