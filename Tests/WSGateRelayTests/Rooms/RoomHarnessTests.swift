import Testing
import WSGateBackends
import WSGateEventLoop
import WSGateRelay
import WSGateTestSupport
import WSGateWebSocket

/// The room engine on one harness loop (LoopHarness): fan-out of the backend's lines to every
/// member, whole messages from members to the backend, the three slow-client policies with a
/// client that stops reading, and the room's life (backend ends, last member leaves, linger).
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct RoomHarnessTests {
    /// 1000 lines of 99 bytes: about 100 KB, far over a 16 KiB queue.
    static let lines = (0..<1000).map { index in
        let number = String(index)
        return String(repeating: "0", count: 4 - number.count) + number + String(repeating: "x", count: 95)
    }
    static let output = Array(lines.joined(separator: "\n").utf8) + [0x0A]

    @Test func everyMemberGetsEveryLineInOrder() throws {
        let rig = try RoomRig()
        let clients = try (0..<3).map { _ in try rig.join() }
        try rig.backend.writeAll(Array("one\ntwo\n".utf8))
        try rig.tick(until: "both lines at all three", reading: clients) { clients.allSatisfy { $0.texts.count == 2 } }
        for client in clients { #expect(client.texts == ["one", "two"]) }
    }

    /// A message that arrives in parts reaches the backend whole: another member's message
    /// that completes meanwhile goes first, never into the middle of it.
    @Test func messagesReachTheBackendWholeAndNeverInterleaved() throws {
        let rig = try RoomRig()
        let first = try rig.join()
        let second = try rig.join()
        try first.peer.writeAll(FrameBytes.text("hel", fin: false))
        try rig.harness.tick(3)
        try second.peer.writeAll(FrameBytes.text("x"))
        try rig.tick(until: "the second member's line", reading: []) { rig.backend.received.count >= 2 }
        try first.peer.writeAll(FrameBytes.continuation(Array("lo".utf8)))
        try rig.tick(until: "both lines", reading: []) { rig.backend.received.count >= 8 }
        #expect(rig.backend.received == Array("x\nhello\n".utf8))
    }

    /// disconnect: the client that stops reading is closed with 1008 after the bytes queued
    /// for it; the others get every line; what it holds stays bounded by the limit.
    @Test func disconnectClosesTheSlowMemberAndTheOthersGetEverything() throws {
        let rig = try RoomRig(queueLimit: 16384, policy: .disconnect)
        let fast = try (0..<2).map { _ in try rig.join() }
        let slow = try rig.join(sendBuffer: 4096)
        try rig.backend.writeAll(Self.output)
        try rig.tick(until: "every line at the fast members", reading: fast) { fast.allSatisfy { $0.texts.count == 1000 } }
        for client in fast { #expect(client.texts == Self.lines) }
        #expect(slow.session.sentCloseCode == .policyViolation)
        #expect(slow.events.contains { if case .disconnectedAsSlow = $0 { true } else { false } })
        #expect(slow.session.transport.heldBytes <= 16384 + 70_000)
        try rig.tick(until: "the slow member's close", reading: fast + [slow]) { slow.closeCode != nil }
        #expect(slow.closeCode == 1008)
        #expect(Array(Self.lines.prefix(slow.texts.count)) == slow.texts, "a prefix of the lines, each whole")
        #expect(slow.texts.count < 1000)
    }

    /// The only member is disconnected as slow while the backend's output is being delivered:
    /// the room empties there and then, and the backend is wound down.
    @Test func disconnectingTheLastMemberEndsTheRoom() throws {
        let rig = try RoomRig(queueLimit: 16384, policy: .disconnect)
        let slow = try rig.join(sendBuffer: 4096)
        try rig.backend.writeAll(Self.output)
        try rig.tick(until: "the backend closed", reading: []) { rig.backend.sawEOF }
        #expect(slow.session.sentCloseCode == .policyViolation)
        #expect(rig.events.contains(.emptied(lingerMs: 0)))
        try rig.tick(until: "the slow member's close", reading: [slow]) { slow.closeCode != nil }
        #expect(slow.closeCode == 1008)
    }

    /// drop: the slow member stays connected and loses whole messages (counted); once it reads
    /// again it gets the next ones; the others get every line.
    @Test func dropSkipsMessagesForTheSlowMemberOnly() throws {
        let rig = try RoomRig(queueLimit: 16384, policy: .drop)
        let fast = try rig.join()
        let slow = try rig.join(sendBuffer: 4096)
        try rig.backend.writeAll(Self.output)
        try rig.tick(until: "every line at the fast member", reading: [fast]) { fast.texts.count == 1000 }
        #expect(fast.texts == Self.lines)
        #expect(slow.session.isOpen)
        #expect(slow.member.droppedTotal > 0)
        #expect(slow.session.transport.heldBytes <= 16384 + 70_000)
        try rig.tick(until: "the slow member's queue empty", reading: [fast, slow]) {
            slow.session.transport.bufferedBytes == 0
        }
        try rig.backend.writeAll(Array("after\n".utf8))
        try rig.tick(until: "the next line at both", reading: [fast, slow]) { fast.texts.last == "after" && slow.texts.last == "after" }
        let kept = slow.texts.dropLast()
        #expect(kept.count + slow.member.droppedTotal == 1000)
        #expect(kept.allSatisfy { Self.lines.contains($0) } && kept.sorted() == Array(kept), "whole lines, in order")
        #expect(slow.events.contains(.dropped(messages: slow.member.droppedTotal)))
        #expect(slow.closeCode == nil)
    }

    /// block: the backend is not read while the slow member is over its limit, so the fast
    /// one waits too; once the slow one reads, everyone gets every line.
    @Test func blockIsLosslessAndTheSlowestSetsThePace() throws {
        let rig = try RoomRig(queueLimit: 16384, policy: .block)
        let fast = try rig.join()
        let slow = try rig.join(sendBuffer: 4096)
        try rig.backend.writeAll(Self.output)
        for _ in 0..<300 {
            try fast.peer.read()
            try rig.harness.tick()
        }
        #expect(fast.texts.count < 1000, "the backend waits for the slow member")
        #expect(slow.session.transport.heldBytes <= 16384 + 70_000)
        try rig.tick(until: "every line at both", reading: [fast, slow]) { fast.texts.count == 1000 && slow.texts.count == 1000 }
        #expect(fast.texts == Self.lines)
        #expect(slow.texts == Self.lines)
    }

    /// The backend ends: its last unterminated line goes to everyone, then 1000.
    @Test func aBackendThatEndsClosesEveryMemberWith1000() throws {
        let rig = try RoomRig()
        let clients = try (0..<2).map { _ in try rig.join() }
        try rig.backend.writeAll(Array("bye".utf8))
        rig.closeBackend()
        try rig.tick(until: "both closed", reading: clients) { clients.allSatisfy { $0.closeCode != nil } }
        for client in clients {
            #expect(client.texts == ["bye"])
            #expect(client.closeCode == 1000)
        }
        #expect(rig.events.contains(.backendEnded(.finished, members: 2)))
        #expect(!rig.room.isAcceptingMembers)
    }

    /// The last member to leave ends the backend; one leaving before does not.
    @Test func theLastMemberLeavingEndsTheBackend() throws {
        let rig = try RoomRig()
        let first = try rig.join()
        let second = try rig.join()
        try first.peer.writeAll(FrameBytes.close(code: 1000))
        try rig.tick(until: "the first member's close reply", reading: [first]) { first.closeCode != nil }
        try rig.harness.tick(5)
        try rig.backend.read()
        #expect(!rig.backend.sawEOF && rig.room.isAcceptingMembers)
        try second.peer.writeAll(FrameBytes.close(code: 1000))
        try rig.tick(until: "the backend closed", reading: [second]) { rig.backend.sawEOF }
        #expect(rig.events.contains(.emptied(lingerMs: 0)))
        #expect(!rig.room.isAcceptingMembers)
    }

    /// --room-linger: the backend outlives the last member by the linger; a member that joins
    /// meanwhile keeps it.
    @Test func aLingeringRoomKeepsItsBackendForAJoiner() throws {
        let rig = try RoomRig(lingerMs: 500)
        let first = try rig.join()
        try first.peer.writeAll(FrameBytes.close(code: 1000))
        try rig.tick(until: "the member gone", reading: [first]) { rig.room.members.isEmpty }
        try rig.harness.advance(milliseconds: 400)
        try rig.backend.read()
        #expect(!rig.backend.sawEOF && rig.room.isAcceptingMembers)
        let second = try rig.join()
        #expect(rig.events.last == .lingerCancelled)
        try rig.harness.advance(milliseconds: 200)
        try rig.backend.read()
        #expect(!rig.backend.sawEOF)
        try second.peer.writeAll(FrameBytes.text("still here"))
        try rig.tick(until: "the joiner's line", reading: []) { rig.backend.received.count >= 11 }
        #expect(rig.backend.received == Array("still here\n".utf8))
        second.peer.close()
        try rig.tick(until: "the member gone", reading: []) { rig.room.members.isEmpty }
        try rig.harness.advance(milliseconds: 501)
        try rig.tick(until: "the backend closed after the linger", reading: []) { rig.backend.sawEOF }
    }
}
