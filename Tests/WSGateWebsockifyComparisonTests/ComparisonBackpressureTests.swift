import Testing
import WSGateTestSupport
import WSGateWebSocket

/// (better) "Backpressure both ways … Memory per connection stays bounded whatever the peers
/// do" versus websockify, whose `do_proxy` always selects the target for reading and appends
/// to an in-memory queue while the client is slow (docs/behaviour.md, 'Backpressure'). Memory
/// is the resident size of the gateway and its children (websockify forks a handler per
/// connection), measured once the flooding side stalls — or finished, for a gateway that
/// takes everything. Serialized: two floods at once would blur each other's figures.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread, .websockifyInstalled, .serialized) struct ComparisonBackpressureTests {
    /// wsgate's bound: its growth must stay under this.
    static let boundKiB = 64 * 1024
    /// Growth above this means the gateway queued (most of) what it was sent.
    static let unboundedKiB = 100 * 1024

    /// What one flood run showed.
    struct Flood: CustomStringConvertible {
        /// Resident KiB of the gateway (and its children) before the client connected.
        var before = 0
        /// The same once the backend's writes stalled (or all were written).
        var atStall = 0
        /// The highest figure seen while the client then read everything.
        var peak = 0
        /// Bytes the backend had written at the stall, and whether that was all of them.
        var written = 0
        var finished = false
        /// A message the client sent during the stall reached the backend.
        var relayedDuringStall = false
        /// Bytes the client read afterwards, and whether every message was binary and in
        /// the flood's pattern (first and last byte at the right phase).
        var received = 0
        var inOrder = true

        var growthKiB: Int { atStall - before }
        var peakGrowthKiB: Int { peak - before }
        var description: String {
            "RSS \(before) KiB → \(atStall) KiB at the stall (+\(growthKiB / 1024) MiB), peak \(peak) KiB while read "
                + "(+\(peakGrowthKiB / 1024) MiB); backend wrote \(written) bytes" + (finished ? " (all)" : " then stalled")
                + "; client input " + (relayedDuringStall ? "relayed" : "stuck") + " during the stall; client read \(received)"
        }
    }

    /// The backend floods 300 MB while the client reads nothing; once the backend's writes
    /// stall (nothing written for 1 s) the client sends a message; then it reads everything.
    ///
    /// websockify 0.10.0 ("no backpressure", true only in part) reads the backend
    /// into its handler's queue until a *blocking* send(2) on the client socket blocks. Which
    /// comes first is a race, so two outcomes were seen, both defects against (better)
    /// "Backpressure both ways … Memory per connection stays bounded": (a) the send blocks
    /// with tens or hundreds of MB queued (+54 to +302 MiB seen), and the blocked handler no
    /// longer reads the client: the client's message never reaches the backend (head-of-line
    /// blocking); (b) it queues the whole flood first (+311 MiB seen). wsgate: the
    /// backend stalls after about 9 MB (socket buffers), wsgate grows by less than 64 MiB
    /// (also while the client reads), and the client's message is relayed during the stall.
    /// Both then deliver all 300 MB, in order.
    @Test func betterAFloodToAClientThatReadsNothingIsBoundedByWsgateAndBlocksWebsockify() throws {
        let total = 300_000_000
        let input = Array("client input\n".utf8)
        let both = try onBoth(.flood(total)) { server, backend -> Flood in
            var flood = Flood()
            flood.before = server.treeResidentKilobytes
            let client = try server.openWebSocket()
            let stall = try backend.waitForSendingToStall(quietSeconds: 1, timeout: 120)
            flood.atStall = server.treeResidentKilobytes
            flood.peak = flood.atStall
            (flood.written, flood.finished) = (stall.sent, stall.finishedSending)
            try client.send(FrameBytes.binary(input))
            flood.relayedDuringStall = (try? backend.waitForReceived(atLeast: input.count, timeout: 3)) == input
            let deadline = TestDeadline(seconds: 180)
            let period = TCPTestBackend.floodPeriod
            while flood.received < total && !deadline.hasPassed {
                let message = try client.readMessage(timeout: 30)
                guard message.opcode == .binary, let first = message.payload.first, let last = message.payload.last else {
                    flood.inOrder = false
                    break
                }
                if Int(first) != flood.received % period || Int(last) != (flood.received + message.payload.count - 1) % period {
                    flood.inOrder = false
                }
                let before = flood.received
                flood.received += message.payload.count
                if before / (8 << 20) != flood.received / (8 << 20) {
                    flood.peak = max(flood.peak, server.treeResidentKilobytes)
                }
            }
            return flood
        }
        print("websockify comparison, backend flood of \(total) bytes: websockify \(both.websockify); wsgate \(both.wsgate)")
        #expect(both.websockify.growthKiB > 16 * 1024, "websockify: \(both.websockify)")
        #expect(!both.websockify.relayedDuringStall || both.websockify.growthKiB > Self.unboundedKiB,
                "websockify neither blocked nor queued the flood: \(both.websockify)")
        #expect(!both.wsgate.finished, "wsgate: \(both.wsgate)")
        #expect(both.wsgate.written < 64 << 20, "wsgate: \(both.wsgate)")
        #expect(both.wsgate.growthKiB < Self.boundKiB, "wsgate: \(both.wsgate)")
        #expect(both.wsgate.peakGrowthKiB < Self.boundKiB, "wsgate: \(both.wsgate)")
        #expect(both.wsgate.relayedDuringStall, "wsgate: \(both.wsgate)")
        for (gateway, flood) in [(Gateway.websockify, both.websockify), (.wsgate, both.wsgate)] {
            #expect(flood.received == total, "\(gateway): \(flood)")
            #expect(flood.inOrder, "\(gateway): \(flood)")
        }
    }

    /// What one run against a backend that never reads showed.
    struct Sink: CustomStringConvertible {
        var before = 0
        var atStall = 0
        /// Bytes of frames the client could send before the gateway stopped taking them.
        var sent = 0
        var growthKiB: Int { atStall - before }
        var description: String { "RSS \(before) KiB → \(atStall) KiB (+\(growthKiB / 1024) MiB); client sent \(sent) bytes" }
    }

    /// The other way: the backend never reads while the client sends 64 KiB binary messages,
    /// up to 200 MB. websockify ("no backpressure": it always reads the client into
    /// its queue for the backend) takes all 200 MB and grows by more than 100 MiB (+224 MiB
    /// seen); wsgate ((better) "a slow backend stops wsgate reading the client") stops
    /// taking them after about 8 MB (socket buffers) and grows by less than 64 MiB.
    @Test func betterABackendThatReadsNothingGrowsWebsockifyButNotWsgate() throws {
        let limit = 200 << 20
        let message = FrameBytes.binary([UInt8](repeating: 0x41, count: 65536))
        let both = try onBoth(.neverRead) { server, backend -> Sink in
            var sink = Sink()
            sink.before = server.treeResidentKilobytes
            let client = try server.openWebSocket()
            try backend.waitForConnections(1)
            sink.sent = try client.sendUntilStalled(message, limit: limit, stallSeconds: 2)
            sink.atStall = server.treeResidentKilobytes
            return sink
        }
        print("websockify comparison, backend that never reads: websockify \(both.websockify); wsgate \(both.wsgate)")
        #expect(both.websockify.sent >= limit, "websockify: \(both.websockify)")
        #expect(both.websockify.growthKiB > Self.unboundedKiB, "websockify: \(both.websockify)")
        #expect(both.wsgate.sent < 64 << 20, "wsgate: \(both.wsgate)")
        #expect(both.wsgate.growthKiB < Self.boundKiB, "wsgate: \(both.wsgate)")
    }
}
