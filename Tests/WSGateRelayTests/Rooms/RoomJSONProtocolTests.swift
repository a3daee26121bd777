import Testing
import WSGateRelay
import WSGateTestSupport
import WSGateWebSocket

/// `--room-protocol=json` on one harness loop: the events the backend hears (join, message,
/// leave with the client's close code) and the commands it writes (to everyone, to some, close
/// one), in order, with bad lines skipped and reported while the room goes on.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct RoomJSONProtocolTests {
    @Test func theBackendHearsJoinsMessagesAndLeaves() throws {
        let rig = try RoomRig(backendProtocol: .json)
        let first = try rig.join()
        let second = try rig.join()
        try first.peer.writeAll(FrameBytes.text("hi \"all\""))
        try second.peer.writeAll(FrameBytes.binary([0, 1, 2, 0xFF]))
        try rig.tick(until: "two joins and two messages", reading: []) { rig.backendLines.count == 4 }
        try first.peer.writeAll(FrameBytes.close(code: 4001))
        second.peer.close()
        try rig.tick(until: "two leaves", reading: [first]) { rig.backendLines.count == 6 }
        #expect(rig.backendLines == [
            #"{"event":"join","client":1,"remote":"192.0.2.1"}"#,
            #"{"event":"join","client":2,"remote":"192.0.2.2"}"#,
            #"{"event":"message","client":1,"data":"hi \"all\""}"#,
            #"{"event":"message","client":2,"binary":"AAEC/w=="}"#,
            #"{"event":"leave","client":1,"code":4001}"#,
            #"{"event":"leave","client":2,"code":1006}"#,
        ])
    }

    @Test func aCloseFrameWithoutACodeLeavesWith1005() throws {
        let rig = try RoomRig(backendProtocol: .json)
        let client = try rig.join()
        try client.peer.writeAll(FrameBytes.close(code: nil))
        try rig.tick(until: "the leave", reading: [client]) { rig.backendLines.count == 2 }
        #expect(rig.backendLines.last == #"{"event":"leave","client":1,"code":1005}"#)
    }

    @Test func commandsReachEveryoneOrSomeInTheOrderWritten() throws {
        let rig = try RoomRig(backendProtocol: .json)
        let clients = try (0..<3).map { _ in try rig.join() }
        try rig.tick(until: "three joins", reading: []) { rig.backendLines.count == 3 }
        try rig.backend.writeAll(Array("""
            {"data":"all 1"}
            {"to":[2,3,99],"data":"two and three"}
            {"data":"all 2"}
            {"binary":"AAE="}
            {"to":[1],"binary":"/w=="}

            """.utf8))
        try rig.tick(until: "every message", reading: clients) {
            clients[0].frames.count == 4 && clients[1].frames.count == 4 && clients[2].frames.count == 4
        }
        #expect(clients[0].texts == ["all 1", "all 2"])
        #expect(clients[1].texts == ["all 1", "two and three", "all 2"])
        #expect(clients[2].texts == clients[1].texts)
        #expect(clients[0].frames.filter { $0.opcode == 2 }.map(\.payload) == [[0, 1], [0xFF]])
        #expect(clients[1].frames.last?.payload == [0, 1])
        #expect(rig.events.isEmpty)
    }

    @Test func aCloseCommandEndsOneClientWithItsCodeAndReason() throws {
        let rig = try RoomRig(backendProtocol: .json)
        let kept = try rig.join()
        let closed = try rig.join()
        try rig.tick(until: "two joins", reading: []) { rig.backendLines.count == 2 }
        try rig.backend.writeAll(Array("{\"data\":\"before\"}\n{\"close\":2,\"code\":4000,\"reason\":\"bye\"}\n{\"close\":77}\n{\"data\":\"after\"}\n".utf8))
        try rig.tick(until: "the close and the last message", reading: [kept, closed]) {
            closed.closeCode != nil && kept.texts.count == 2
        }
        #expect(closed.closeCode == 4000)
        #expect(closed.texts == ["before"])
        #expect(closed.frames.last?.payload == [0x0F, 0xA0] + Array("bye".utf8))
        #expect(kept.texts == ["before", "after"])
        #expect(kept.closeCode == nil)
        try rig.tick(until: "the leave", reading: [kept, closed]) { rig.backendLines.count == 3 }
        #expect(rig.backendLines.last == #"{"event":"leave","client":2,"code":4000}"#, "the code the gateway sent")
    }

    /// Each bad line is one report; the good lines around it still go out.
    @Test func malformedAndOverlongLinesAreSkippedAndReported() throws {
        let rig = try RoomRig(backendProtocol: .json)
        let client = try rig.join()
        try rig.tick(until: "the join", reading: []) { rig.backendLines.count == 1 }
        let longLine = "{\"data\":\"" + String(repeating: "x", count: 1 << 20) + "\"}"
        var output = Array("""
            not json
            {"To":[1],"data":"typo"}
            {"data":"ok 1"}
            \(longLine)
            \r
            {"data":"ok 2"}

            """.utf8)[...]
        try rig.tick(until: "both good messages", reading: [client]) {
            let written = try rig.backend.write(Array(output))
            output.removeFirst(written)
            return client.texts.count == 2
        }
        #expect(client.texts == ["ok 1", "ok 2"])
        let reasons = rig.events.compactMap { event -> String? in
            if case .commandSkipped(let reason) = event { reason } else { nil }
        }
        #expect(reasons.count == 3)
        #expect(reasons.last == "a line over 1048576 bytes")
    }

    /// The backend's last line needs no "\n"; members then close as the backend ended.
    @Test func aLastLineWithoutNewlineIsACommand() throws {
        let rig = try RoomRig(backendProtocol: .json)
        let client = try rig.join()
        try rig.tick(until: "the join", reading: []) { rig.backendLines.count == 1 }
        try rig.backend.writeAll(Array("{\"data\":\"last\"}".utf8))
        rig.closeBackend()
        try rig.tick(until: "the close", reading: [client]) { client.closeCode != nil }
        #expect(client.texts == ["last"])
        #expect(client.closeCode == 1000)
    }
}
