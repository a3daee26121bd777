import Testing
import WSGateTestSupport
import WSGateWebSocket

/// The backend's last data when the client is slower than the backend.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread, .websockifyInstalled) struct ComparisonLastDataTests {
    /// What the client got from a backend that wrote `count` bytes and closed.
    struct Delivery: CustomStringConvertible {
        var written = 0
        var finished = false
        var received = 0
        var inOrder = true
        var ending: Transcript.Ending = .timedOut
        var description: String {
            "backend wrote \(written) bytes" + (finished ? " (all) and closed" : " then stalled")
                + " before the client read; client read \(received), then \(ending)"
        }
    }

    /// "The backend closes: its remaining data is sent, then close 1000" versus a websockify
    /// defect (upstream says "Target EOF: flush queued data"; 0.10.0 does not):
    /// the backend writes 20 MB and ends its side while the client reads nothing; once the
    /// backend's writes are done (or stall), the client reads everything. websockify read all
    /// 20 MB into its queue, saw the EOF and closed 1000 "Target closed" after what the socket
    /// buffers held: the client got about 2.8 MB, the rest was dropped. wsgate stalled the
    /// backend (about 9 MB written), then delivered all 20 MB, then close 1000.
    @Test func betterTheBackendsLastDataReachesALateReaderThroughWsgateOnly() throws {
        let total = 20_000_000
        let both = try onBoth(.floodThenClose(total)) { server, backend -> Delivery in
            var delivery = Delivery()
            let client = try server.openWebSocket()
            let stall = try backend.waitForSendingToStall(quietSeconds: 1, timeout: 60)
            (delivery.written, delivery.finished) = (stall.sent, stall.finishedSending)
            // Let the gateway see the backend's EOF before the client reads anything.
            if stall.finishedSending { _ = try? backend.waitForEndOfInput(timeout: 2) }
            let period = TCPTestBackend.floodPeriod
            while true {
                let message: TestClient.Frame
                do {
                    message = try client.readMessage(timeout: 10)
                } catch let failure as TestFailure where failure.description.hasPrefix("connection closed before a complete frame (0 bytes") {
                    delivery.ending = .endOfStream
                    break
                }
                if message.opcode == .close {
                    delivery.ending = .closeFrame(code: message.closeCode,
                                                  reason: String(decoding: message.payload.dropFirst(2), as: UTF8.self))
                    try? client.send(FrameBytes.close(code: message.closeCode))
                    break
                }
                if let first = message.payload.first, Int(first) != delivery.received % period { delivery.inOrder = false }
                delivery.received += message.payload.count
            }
            return delivery
        }
        print("websockify comparison, 20 MB then close to a late reader: websockify \(both.websockify); wsgate \(both.wsgate)")
        #expect(both.wsgate.received == total, "wsgate: \(both.wsgate)")
        #expect(both.wsgate.inOrder)
        #expect(both.wsgate.ending.code == 1000, "wsgate: \(both.wsgate)")
        // websockify's loss depends on a race between its flush and its close: on a slow
        // run it sometimes delivers everything (seen in CI), and on a loaded machine it may
        // not even have taken the whole 20 MB from the backend before the second of quiet
        // (the tests run side by side). Both are known, intermittent traits of the peer;
        // wsgate's full delivery above is the assertion.
        withKnownIssue("websockify takes everything, then drops the tail only when its close wins the race",
                       isIntermittent: true) {
            #expect(both.websockify.finished, "websockify: \(both.websockify)")
            #expect(both.websockify.received < total, "websockify: \(both.websockify)")
        }
        #expect(both.websockify.inOrder)
        #expect(both.websockify.ending == .closeFrame(code: 1000, reason: "Target closed"), "websockify: \(both.websockify)")
        #expect(!both.wsgate.finished, "wsgate: \(both.wsgate)")
    }
}
