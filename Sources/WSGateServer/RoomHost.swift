import WSGateBackends
import WSGateConfig
import WSGateCore
import WSGateEventLoop
import WSGatePosix
import WSGateRelay

/// `--broadcast`: starts each room's backend (a program with the room's environment, or a
/// connection to `--tcp` / `--unix`), logs what happens to rooms, and keeps every room in the
/// connection tracker until its backend is gone, so a drain waits for the rooms' programs.
///
/// Why it exists: `RoomRegistry` and `Room` (the engine, in WSGateRelay) know nothing of
/// spawning, sockets, logs or metrics; this is where the gateway's pieces meet them, once per
/// room instead of once per connection.
///
/// Threads: the gateway runs a single loop under `--broadcast` (`Gateway.loopCount`), so every
/// room and member lives on this host's loop: nothing here is shared between threads.
///
/// - Warning: loop-confined.
final class RoomHost {
    private unowned let context: ConnectionContext
    let registry: RoomRegistry
    /// Backend connects in progress, until they call back.
    private var connecting: [ObjectIdentifier: SocketConnector] = [:]
    /// Each live room's entry in the connection tracker.
    private var tracked: [ObjectIdentifier: TrackedRoom] = [:]

    init(context: ConnectionContext) {
        self.context = context
        registry = RoomRegistry(maxRooms: context.settings.maxRooms)
        registry.onRoomFinished = { [unowned self] room in self.finished(room) }
    }

    /// What the first client of a room asked for.
    struct Request {
        /// The room: the decoded URL path.
        var room: String
        var rawPath: String
        var target: ClientConnection.Target
    }

    /// Finds or starts the room for `request`; `then` as `RoomRegistry.admit`.
    func admit(_ request: Request, then: @escaping (Result<Room, RoomRegistry.Refusal>) -> Void) {
        registry.admit(path: request.room, start: { [unowned self] done in self.start(request, done: done) }, then: then)
    }

    private func start(_ request: Request, done: @escaping (Room?) -> Void) {
        switch request.target {
        case .program(let path, let arguments, let scriptName, let pathInfo):
            done(startProgram(request, path: path, arguments: arguments, scriptName: scriptName, pathInfo: pathInfo))
        case .socket:
            connect(request, done: done)
        case .echo:
            done(nil)
        }
    }

    // MARK: - Backends

    private func startProgram(_ request: Request, path: String, arguments: [String], scriptName: String,
                              pathInfo: String) -> Room? {
        guard let settings = context.settings.rooms else { return nil }
        let environment = CGIEnvironment.buildForRoom(
            room: request.room, rawPath: request.rawPath, scriptName: scriptName, pathInfo: pathInfo,
            isHTTPS: context.settings.tls != nil, serverSoftware: context.settings.serverSoftware,
            passedEnvironment: context.settings.passedEnvironment)
        var fields = [("room", request.room), ("command", path)]
        let spawned: SpawnedProcess
        do {
            spawned = try ProcessSpawner.spawn(path: path, arguments: [path] + arguments, environment: environment,
                                               limits: context.settings.childLimits)
        } catch {
            context.logger.log(.error, "room", fields, "Could not launch process \(path): \(error)")
            return nil
        }
        fields.append(("pid", String(spawned.pid)))
        let process = ProgramProcess(spawned: spawned, loop: context.loop, reaper: context.reaper,
                                     groups: context.programGroups, plan: context.settings.teardown)
        let metrics = context.metrics
        metrics.programStarted()
        process.onExit = { metrics.programExited($0) }
        let room = Room(path: request.room, endpoint: process, loop: context.loop, settings: settings)
        opened(room, fields: fields)
        return room
    }

    private func connect(_ request: Request, done: @escaping (Room?) -> Void) {
        guard let backend = context.socketBackend, let settings = context.settings.rooms else { return done(nil) }
        let fields = [("room", request.room), ("backend", backend.description)]
        var finished = false
        var key: ObjectIdentifier?
        let connector = SocketConnector(addresses: backend.addresses, timeoutMilliseconds: context.settings.connectTimeoutMs,
                                        loop: context.loop) { [unowned self] result in
            finished = true
            if let key { self.connecting[key] = nil }
            switch result {
            case .success(let (socket, _)):
                self.context.metrics.backendConnected()
                let endpoint = SocketEndpoint(socket: socket, loop: self.context.loop)
                let room = Room(path: request.room, endpoint: endpoint, loop: self.context.loop, settings: settings)
                self.opened(room, fields: fields)
                done(room)
            case .failure(let error):
                self.context.metrics.backendFailed()
                self.context.logger.log(.error, "room", fields, "Could not connect to backend \(backend.description): \(error)")
                done(nil)
            }
        }
        guard !finished else { return }
        key = ObjectIdentifier(connector)
        connecting[ObjectIdentifier(connector)] = connector
    }

    // MARK: - Room life

    private func opened(_ room: Room, fields: [(String, String)]) {
        let logger = context.logger
        let logFields = fields.map { (key: $0.0, value: $0.1) }
        room.onDiagnosticLine = { line in logger.log(.error, "stderr", logFields, line) }
        room.onEvent = { event in
            // A blocked backend may pause many times a second: a debug line.
            let level: LogLevel = switch event {
            case .backendPaused: .debug
            case .commandSkipped: .error
            default: .info
            }
            logger.log(level, "room", logFields, Self.message(for: event))
        }
        let entry = TrackedRoom(room: room)
        tracked[ObjectIdentifier(room)] = entry
        context.tracker.add(entry)
        context.metrics.roomOpened()
        logger.log(.info, "room", logFields, "Room opened")
    }

    private func finished(_ room: Room) {
        context.metrics.roomFinished()
        let status = room.endpoint.endDescription.map { ": \($0)" } ?? ""
        context.logger.log(.info, "room", [("room", room.path)], "Room closed" + status)
        if let entry = tracked.removeValue(forKey: ObjectIdentifier(room)) { context.tracker.remove(entry) }
    }

    static func message(for event: RoomLifecycleEvent) -> String {
        switch event {
        case .backendEnded(.finished, let members): "Backend ended; closing \(members) client(s) with 1000"
        case .backendEnded(.failed(let reason), let members): "Backend failed (\(reason)); closing \(members) client(s) with 1011"
        case .emptied(let lingerMs) where lingerMs > 0: "Last client left; ending the backend in \(lingerMs) ms"
        case .emptied: "Last client left; ending the backend"
        case .lingerCancelled: "A client joined; the backend keeps running"
        case .backendPaused(let members): "Backend paused until \(members) slow client(s) drain (--slow-client=block)"
        case .commandSkipped(let reason): "Backend output line skipped, not a room command: \(reason)"
        }
    }
}

/// A room as the connection tracker sees it: a drain ends it at once if it lingers empty,
/// and the gateway exits only once its backend is gone.
final class TrackedRoom: TrackedConnection {
    private weak var room: Room?

    init(room: Room) {
        self.room = room
    }

    func shutDown() {
        room?.shutDown()
    }
}
