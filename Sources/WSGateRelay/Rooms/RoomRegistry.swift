/// The live rooms of a loop, by URL path, and the `--maxrooms` bound.
///
/// Why it exists: clients of one path must find the same room, a path whose backend is still
/// starting (a socket connecting) must not start a second one, and the number of backends
/// must stay bounded. A room counts from the moment its backend is asked to start until
/// nothing of it is left (its program reaped), so the bound is a bound on backends; a room
/// whose backend ended or is winding down takes no new member: the next client of its path
/// starts a new room.
///
/// - Warning: loop-confined (rooms and their members live on one loop: see `Room`).
public final class RoomRegistry {
    /// Why a client cannot join.
    public enum Refusal: Error, Equatable, Sendable {
        /// `--maxrooms` backends are alive already (HTTP 429).
        case tooManyRooms
        /// The backend could not start (the starter logged why).
        case backendFailed
    }

    /// Starts a backend and calls back with its room, or nil on failure (at once or later).
    public typealias Starter = (_ done: @escaping (Room?) -> Void) -> Void

    /// `--maxrooms`: most rooms at once; 0 = no bound.
    public let maxRooms: Int
    private var byPath: [String: Room] = [:]
    /// Paths whose backend is starting, with the clients waiting for it.
    private var starting: [String: [(Result<Room, Refusal>) -> Void]] = [:]
    /// Every room not finished yet (ending ones too: they still hold a backend).
    private var unfinished: [ObjectIdentifier: Room] = [:]
    /// Told when a room's backend is gone.
    public var onRoomFinished: (Room) -> Void = { _ in }

    public init(maxRooms: Int) {
        self.maxRooms = maxRooms
    }

    /// Rooms holding or starting a backend.
    public var count: Int { unfinished.count + starting.count }

    /// The room accepting members at `path`, if any.
    public func room(at path: String) -> Room? {
        guard let room = byPath[path], room.isAcceptingMembers else { return nil }
        return room
    }

    /// Finds the room of `path`, or starts one with `start`; `then` gets it (at once, or once
    /// its backend is up) or the reason it cannot be joined. The caller joins with
    /// `room.makeMember()`.
    public func admit(path: String, start: Starter, then: @escaping (Result<Room, Refusal>) -> Void) {
        if let room = room(at: path) { return then(.success(room)) }
        if starting[path] != nil {
            starting[path]?.append(then)
            return
        }
        if maxRooms > 0 && count >= maxRooms { return then(.failure(.tooManyRooms)) }
        starting[path] = [then]
        start { [weak self] room in self?.started(path: path, room: room) }
    }

    private func started(path: String, room: Room?) {
        let waiting = starting.removeValue(forKey: path) ?? []
        guard let room else {
            for client in waiting { client(.failure(.backendFailed)) }
            return
        }
        byPath[path] = room
        unfinished[ObjectIdentifier(room)] = room
        let previous = room.onFinish
        room.onFinish = { [weak self] room in
            previous(room)
            self?.finished(room)
        }
        for client in waiting { client(.success(room)) }
        // Every waiting client may have gone meanwhile.
        room.endIfEmpty()
    }

    private func finished(_ room: Room) {
        unfinished[ObjectIdentifier(room)] = nil
        if byPath[room.path] === room { byPath[room.path] = nil }
        onRoomFinished(room)
    }

    /// Shutdown: empty rooms that linger end now.
    public func shutDown() {
        for room in unfinished.values { room.shutDown() }
    }
}
