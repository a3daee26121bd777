import Testing
import WSGateBackends
import WSGateRelay
import WSGateTestSupport

/// `RoomRegistry`: one room per path, `--maxrooms`, clients waiting for a backend that is
/// still starting, and a room that ended giving way to a new one.
/// The refusal in `result`, nil for a room.
func refusal(_ result: Result<Room, RoomRegistry.Refusal>) -> RoomRegistry.Refusal? {
    if case .failure(let refusal) = result { return refusal }
    return nil
}

@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct RoomRegistryTests {
    /// Makes rooms on one loop with backends on socket pairs (kept open by `peers`).
    final class Maker {
        let harness: LoopHarness
        var peers: [PeerSocket] = []
        var started: [String] = []
        init() throws { harness = try LoopHarness() }

        /// The backends' far ends hang up: a socket backend wound down waits for that.
        func closePeers() {
            for peer in peers { peer.close() }
        }

        func room(_ path: String, lingerMs: Int = 60_000) throws -> Room {
            let (ours, peer) = try PeerSocket.pair()
            peers.append(peer)
            started.append(path)
            return Room(path: path, endpoint: SocketEndpoint(socket: ours, loop: harness.loop), loop: harness.loop,
                        settings: Room.Settings(mode: .lines, maxMessageSize: 1024, queueLimit: 4096,
                                                slowClient: .disconnect, lingerMs: lingerMs))
        }
    }

    @Test func onePathOneRoomAndMaxRoomsBoundsTheOthers() throws {
        let maker = try Maker()
        let registry = RoomRegistry(maxRooms: 2)
        var results: [Result<Room, RoomRegistry.Refusal>] = []
        for path in ["/a", "/a", "/b", "/c", "/b"] {
            registry.admit(path: path, start: { done in done(try? maker.room(path)) }) { results.append($0) }
        }
        #expect(maker.started == ["/a", "/b"])
        let rooms = results.map { try? $0.get() }
        #expect(rooms[0] != nil && rooms[0] === rooms[1])
        #expect(rooms[2] != nil && rooms[2] === rooms[4] && rooms[2] !== rooms[0])
        #expect(refusal(results[3]) == .tooManyRooms)
        #expect(registry.count == 2)
        registry.shutDown()
        maker.closePeers()
        try maker.harness.tick(until: "every backend gone") { registry.count == 0 }
    }

    @Test func clientsWaitingForAStartingBackendShareIt() throws {
        let maker = try Maker()
        let registry = RoomRegistry(maxRooms: 0)
        var pending: ((Room?) -> Void)?
        var results: [Result<Room, RoomRegistry.Refusal>] = []
        for _ in 0..<3 {
            registry.admit(path: "/slow", start: { pending = $0 }) { results.append($0) }
        }
        #expect(results.isEmpty && registry.count == 1)
        pending?(try maker.room("/slow"))
        #expect(results.count == 3)
        let rooms = results.compactMap { try? $0.get() }
        #expect(rooms.count == 3 && rooms.allSatisfy { $0 === rooms[0] })
        registry.shutDown()
        maker.closePeers()
        try maker.harness.tick(until: "the backend gone") { registry.count == 0 }
    }

    @Test func aBackendThatCannotStartRefusesEveryWaitingClient() throws {
        let registry = RoomRegistry(maxRooms: 0)
        var pending: ((Room?) -> Void)?
        var results: [Result<Room, RoomRegistry.Refusal>] = []
        registry.admit(path: "/x", start: { pending = $0 }) { results.append($0) }
        registry.admit(path: "/x", start: { _ in Issue.record("started twice") }) { results.append($0) }
        pending?(nil)
        #expect(results.map(refusal) == [.backendFailed, .backendFailed])
        #expect(registry.count == 0)
    }

    /// A room nobody joined ends at once (linger 0); the next client of its path starts a new
    /// one, and the old one counts until its backend is gone.
    @Test func anEndedRoomGivesWayToANewOne() throws {
        let maker = try Maker()
        let registry = RoomRegistry(maxRooms: 0)
        var first: Room?
        registry.admit(path: "/a", start: { $0(try? maker.room("/a", lingerMs: 0)) }) { first = try? $0.get() }
        #expect(first?.isAcceptingMembers == false, "nobody joined: ended")
        var second: Room?
        registry.admit(path: "/a", start: { $0(try? maker.room("/a", lingerMs: 0)) }) { second = try? $0.get() }
        #expect(second != nil && second !== first)
        #expect(registry.count == 2)
        maker.closePeers()
        try maker.harness.tick(until: "both backends gone") { registry.count == 0 }
    }
}
