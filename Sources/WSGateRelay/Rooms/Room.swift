public import WSGateBackends
public import WSGateCore
public import WSGateEventLoop
import WSGateCompression
import WSGateRoomProtocol
import WSGateWebSocket

/// One shared backend (a program or a socket) and the clients connected to its URL path
/// (`--broadcast`): every output line (or read, with `--binary`) goes to every member, every
/// member's message goes to the backend as one whole line. Under `--room-protocol=json` the
/// backend hears JSON events and its output lines are commands instead (`Room+JSONProtocol`).
///
/// Why it exists: it is the room engine. The fan-out encodes each read's
/// messages once (`RoomFrameBatch`) and queues the same bytes for every member; each member's
/// queue is bounded by `queueLimit` and `slowClient` says what gives when one is full, so a
/// client that stops reading costs at most its limit and, under `disconnect` and `drop`,
/// never delays the others. Input never interleaves: a member's message arrives whole (its
/// session assembles it) and is queued for the backend with its `\n` in one go; when the
/// backend's input is full, each member that sends is paused until it drains.
///
/// Threads: a room and all its members live on one loop (the gateway runs one loop under
/// `--broadcast`, see `Gateway`): members are sessions on transports registered with that
/// loop, so the fan-out is plain calls on one thread, with no lock and no cross-thread
/// queue, and the shared buffers are only ever touched there.
///
/// Life: the backend starts reading when the first member joins; when the last one leaves,
/// after `lingerMs`, `clientIsGone` winds it down (a program's kill sequence). If it ends
/// first, every member is closed with 1000 (1011 and the reason on a failure; 1008 for a
/// member that lost messages under `drop`, never 1000 then). `onFinish` is called once
/// nothing of the backend is left.
///
/// - Warning: loop-confined.
public final class Room: RelayEndpointDelegate {
    public struct Settings: Sendable {
        /// Lines (each a message) or bytes (each read a binary message).
        public var mode: StreamRelay.Mode
        /// Longer output lines go out in pieces of this size.
        public var maxMessageSize: Int
        /// `--room-queue`: the bytes one member's write queue may hold.
        public var queueLimit: Int
        /// `--slow-client`.
        public var slowClient: SlowClientPolicy
        /// `--room-linger`: how long an empty room keeps its backend.
        public var lingerMs: Int
        /// `--room-protocol`: what the backend reads and writes.
        public var backendProtocol: RoomBackendProtocol
        /// `--compress`: each message compressed once for every member that negotiated
        /// permessage-deflate without context takeover; nil = never.
        public var compression: SharedCompression?

        /// How a room compresses what it sends: one deflater, no context takeover.
        public struct SharedCompression: Sendable {
            /// The LZ77 window (`--compress-window-bits`); members that allowed less get plain frames.
            public var windowBits: Int
            /// `--compress-min-size`: smaller messages go uncompressed.
            public var minimumSize: Int
            /// `--compress-level`.
            public var level: Int

            public init(windowBits: Int, minimumSize: Int, level: Int = 1) {
                self.windowBits = windowBits
                self.minimumSize = minimumSize
                self.level = level
            }
        }

        public init(mode: StreamRelay.Mode, maxMessageSize: Int, queueLimit: Int, slowClient: SlowClientPolicy,
                    lingerMs: Int, backendProtocol: RoomBackendProtocol = .plain, compression: SharedCompression? = nil) {
            self.mode = mode
            self.maxMessageSize = maxMessageSize
            self.queueLimit = queueLimit
            self.slowClient = slowClient
            self.lingerMs = lingerMs
            self.backendProtocol = backendProtocol
            self.compression = compression
        }

        /// Where a member's queue must fall before a blocked backend is read again.
        public var lowWatermark: Int { queueLimit / 4 }
    }

    /// The URL path (without the query): the room's name.
    public let path: String
    public let endpoint: any RelayEndpoint
    public let settings: Settings
    private let loop: EventLoop
    /// In join order.
    public private(set) var members: [RoomMember] = []
    private var outputFramer: LineFramer
    /// `settings.compression`'s deflater (its zlib state is made on first use).
    private let deflater: MessageDeflater?
    /// `--room-protocol=json`: the backend's output as command lines.
    var commandSplitter = CommandLineSplitter()
    /// `--room-protocol=json`: messages for every member, gathered from consecutive commands
    /// of one read so they go out as one shared batch.
    var everyoneBatch = RoomFrameBatch()
    /// The next member's `RoomClientID` (never 0, never reused).
    private var nextClientID: UInt64 = 1
    /// The lines of the current read, before they are encoded (kept to reuse its storage).
    private var pendingLines: [LineMessage] = []
    private var diagnosticsFramer = LineFramer(maxMessageSize: StreamRelay.maxDiagnosticPiece)
    private var started = false
    /// Set once the backend's output is complete.
    public private(set) var outcome: EndpointOutcome?
    /// Set once the backend is being wound down (the room emptied).
    public private(set) var isEnding = false
    public private(set) var isFinished = false
    private var lingerTimer: TimerID?
    /// `block`: members whose queue went over the limit; the backend is read again once
    /// each has drained.
    private var blockedOn: Set<ObjectIdentifier> = []
    private var outputPaused = false

    /// Each stderr line of a program (for the log).
    public var onDiagnosticLine: (String) -> Void = { _ in }
    public var onEvent: (RoomLifecycleEvent) -> Void = { _ in }
    /// Once nothing of the backend is left (the registry frees the room's place).
    public var onFinish: (Room) -> Void = { _ in }

    public init(path: String, endpoint: any RelayEndpoint, loop: EventLoop, settings: Settings) {
        self.path = path
        self.endpoint = endpoint
        self.loop = loop
        self.settings = settings
        outputFramer = LineFramer(maxMessageSize: settings.maxMessageSize)
        deflater = settings.compression.map {
            MessageDeflater(windowBits: $0.windowBits, level: $0.level, noContextTakeover: true, keepsStateWithoutContext: true)
        }
        everyoneBatch = RoomFrameBatch(keepsMessages: settings.compression != nil)
        endpoint.delegate = self
    }

    /// Whether a new client may join (false once the backend ended or is being wound down).
    public var isAcceptingMembers: Bool { outcome == nil && !isEnding }

    /// A member for a client about to join (`remote`: its address as the access log writes
    /// it): it joins when its session opens.
    public func makeMember(remote: String = "") -> RoomMember { RoomMember(room: self, remote: remote) }

    /// The member numbered `id`, if it is in the room (members are in join order, so in the
    /// order of their numbers).
    func member(numbered id: RoomClientID) -> RoomMember? {
        var low = 0
        var high = members.count
        while low < high {
            let middle = (low + high) / 2
            if members[middle].id < id { low = middle + 1 } else { high = middle }
        }
        return low < members.count && members[low].id == id ? members[low] : nil
    }

    // MARK: - Members

    func add(_ member: RoomMember) {
        member.id = RoomClientID(nextClientID)
        nextClientID += 1
        members.append(member)
        member.session?.transport.setWatermarks(high: settings.queueLimit, low: settings.lowWatermark)
        if let lingerTimer {
            loop.cancelTimer(lingerTimer)
            self.lingerTimer = nil
            onEvent(.lingerCancelled)
        }
        guard isAcceptingMembers else {
            // Joined as the backend ended: told at once, as the others were.
            close(member)
            return
        }
        if !started {
            started = true
            endpoint.start()
        }
        if settings.backendProtocol == .json { announce(.join(client: member.id, remote: member.remote)) }
        if !endpoint.isWritable { pauseInput(of: member) }
    }

    /// `closeCode`: the client's close code as the JSON protocol's leave event says it.
    func remove(_ member: RoomMember, closeCode: UInt16) {
        guard let index = members.firstIndex(where: { $0 === member }) else { return }
        members.remove(at: index)
        if blockedOn.remove(ObjectIdentifier(member)) != nil { resumeOutputIfUnblocked() }
        if settings.backendProtocol == .json && isAcceptingMembers {
            announce(.leave(client: member.id, code: closeCode))
        }
        endIfEmpty()
    }

    /// Winds the backend down once the room has no member, after the linger (the registry
    /// also calls it when every client that waited for the backend went away meanwhile).
    public func endIfEmpty() {
        guard members.isEmpty, isAcceptingMembers, lingerTimer == nil else { return }
        onEvent(.emptied(lingerMs: settings.lingerMs))
        guard settings.lingerMs > 0 else { return end() }
        lingerTimer = loop.scheduleTimer(afterMilliseconds: settings.lingerMs) { [weak self] in
            guard let self else { return }
            self.lingerTimer = nil
            if self.members.isEmpty { self.end() }
        }
    }

    /// Shutdown: an empty room lingering ends now (members get their 1001 from the gateway).
    public func shutDown() {
        guard members.isEmpty, let lingerTimer else { return }
        loop.cancelTimer(lingerTimer)
        self.lingerTimer = nil
        end()
    }

    private func end() {
        guard isAcceptingMembers else { return }
        isEnding = true
        // A backend nobody joined was never started: started now so it can be wound down.
        if !started {
            started = true
            endpoint.start()
        }
        endpoint.clientIsGone()
    }

    // MARK: - Members to the backend

    /// A whole message: queued with its `\n` (line mode) before any other member's bytes.
    func member(_ member: RoomMember, didSend opcode: WebSocketOpcode, payload: ByteBuffer) {
        guard isAcceptingMembers else { return }
        if settings.backendProtocol == .json {
            let bytes = payload.readableBytesArray
            announce(.message(client: member.id, data: opcode == .binary ? .binary(bytes) : .text(bytes)))
            if !endpoint.isWritable { pauseInput(of: member) }
            return
        }
        let newline = settings.mode == .lines ? 1 : 0
        if payload.readableBytes < StreamRelay.inlineWriteLimit {
            endpoint.write(minimumCapacity: payload.readableBytes + newline) { buffer in
                buffer.writeBuffer(payload)
                if newline == 1 { buffer.writeInteger(StreamRelay.newline) }
            }
        } else {
            endpoint.write(payload)
            if newline == 1 { endpoint.write(minimumCapacity: 1) { $0.writeInteger(StreamRelay.newline) } }
        }
        if !endpoint.isWritable { pauseInput(of: member) }
    }

    func pauseInput(of member: RoomMember) {
        guard !member.readingPausedForInput, let session = member.session else { return }
        member.readingPausedForInput = true
        session.pauseReading()
    }

    public func endpointInputDidDrain(_ endpoint: any RelayEndpoint) {
        for member in members where member.readingPausedForInput {
            member.readingPausedForInput = false
            member.session?.resumeReading()
        }
    }

    func memberDidDrain(_ member: RoomMember) {
        if member.droppedInEpisode > 0 {
            member.onEvent(.dropped(messages: member.droppedInEpisode))
            member.droppedInEpisode = 0
        }
        if blockedOn.remove(ObjectIdentifier(member)) != nil { resumeOutputIfUnblocked() }
    }

    // MARK: - The backend to the members

    public func endpoint(_ endpoint: any RelayEndpoint, didProduce buffer: inout ByteBuffer) {
        guard !isEnding, !members.isEmpty else {
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            return
        }
        if settings.backendProtocol == .json { return takeCommands(from: &buffer) }
        switch settings.mode {
        case .bytes:
            guard let chunk = buffer.readSlice(buffer.readableBytes) else { return }
            var batch = makeBatch(expectedBytes: RoomFrameBatch.frameSize(chunk.readableBytes))
            batch.append(.binary, chunk)
            deliver(batch)
        case .lines:
            outputFramer.consume(&buffer) { pendingLines.append($0) }
            deliverPendingLines()
        }
    }

    /// Encodes the lines framed from one read into one batch of the exact size (its whole
    /// block is what every member's queue holds) and delivers it.
    private func deliverPendingLines() {
        let size = pendingLines.reduce(0) { $0 + RoomFrameBatch.frameSize($1.payload.readableBytes) }
        var batch = makeBatch(expectedBytes: size)
        for line in pendingLines { batch.append(line) }
        pendingLines.removeAll(keepingCapacity: pendingLines.capacity <= 1024)
        deliver(batch)
    }

    /// An empty batch that can be compressed if the room compresses.
    func makeBatch(expectedBytes: Int = 0) -> RoomFrameBatch {
        RoomFrameBatch(expectedBytes: expectedBytes, keepsMessages: deflater != nil)
    }

    /// Queues `batch` for every member, as the slow-client policy allows.
    func deliver(_ batch: RoomFrameBatch) {
        guard !batch.isEmpty else { return }
        let batch = compressedIfTaken(batch, by: members)
        for member in members { queue(batch, for: member) }
        pauseOutputIfBlocked()
    }

    /// Queues `batch` for the members numbered `recipients` that are still in the room.
    func deliver(_ batch: RoomFrameBatch, to recipients: [RoomClientID]) {
        guard !batch.isEmpty else { return }
        let found = recipients.compactMap { member(numbered: $0) }
        let batch = compressedIfTaken(batch, by: found)
        for member in found { queue(batch, for: member) }
        pauseOutputIfBlocked()
    }

    /// `batch` with its compressed frames made, if one of `recipients` takes them.
    private func compressedIfTaken(_ batch: RoomFrameBatch, by recipients: [RoomMember]) -> RoomFrameBatch {
        guard let deflater, let compression = settings.compression,
              recipients.contains(where: { $0.session?.takesSharedCompressedFrames(windowBits: compression.windowBits) == true })
        else { return batch }
        var compressed = batch
        compressed.compress(with: deflater, minimumSize: compression.minimumSize)
        return compressed
    }

    /// Queues `batch` for one member, as the slow-client policy allows.
    private func queue(_ batch: RoomFrameBatch, for member: RoomMember) {
        guard member.isReceiving, let session = member.session else { return }
        var frames = batch.frames
        if let compressed = batch.compressedFrames, let compression = settings.compression,
           session.takesSharedCompressedFrames(windowBits: compression.windowBits) {
            frames = compressed
        }
        let queued = session.transport.heldBytes
        let full = queued > 0 && queued + frames.readableBytes > settings.queueLimit
        if full {
            switch settings.slowClient {
            case .disconnect:
                member.onEvent(.disconnectedAsSlow(queuedBytes: queued))
                session.close(code: .policyViolation, reason: "slow client: over \(settings.queueLimit) bytes queued")
                return
            case .drop:
                if member.droppedInEpisode == 0 { member.onEvent(.droppingStarted(queuedBytes: queued)) }
                member.droppedInEpisode += batch.messageCount
                member.droppedTotal += batch.messageCount
                return
            case .block:
                break
            }
        }
        if member.droppedInEpisode > 0 {
            member.onEvent(.dropped(messages: member.droppedInEpisode))
            member.droppedInEpisode = 0
        }
        session.sendEncoded(frames, messages: batch.messageCount, payloadBytes: batch.payloadBytes)
        if settings.slowClient == .block && !session.isWritable { blockedOn.insert(ObjectIdentifier(member)) }
    }

    private func pauseOutputIfBlocked() {
        if !blockedOn.isEmpty && !outputPaused {
            outputPaused = true
            endpoint.pauseOutput()
            onEvent(.backendPaused(members: blockedOn.count))
        }
    }

    private func resumeOutputIfUnblocked() {
        guard blockedOn.isEmpty, outputPaused else { return }
        outputPaused = false
        endpoint.resumeOutput()
    }

    public func endpoint(_ endpoint: any RelayEndpoint, didProduceDiagnostics buffer: inout ByteBuffer) {
        diagnosticsFramer.consume(&buffer) { onDiagnosticLine(Self.text($0)) }
    }

    public func endpointDiagnosticsDidEnd(_ endpoint: any RelayEndpoint) {
        diagnosticsFramer.finish { onDiagnosticLine(Self.text($0)) }
    }

    /// All output is out: the last unterminated line goes to everyone, then each member is
    /// closed with the code that says how the backend ended.
    public func endpoint(_ endpoint: any RelayEndpoint, didEnd outcome: EndpointOutcome) {
        guard self.outcome == nil else { return }
        self.outcome = outcome
        guard !isEnding else { return }
        if let lingerTimer { loop.cancelTimer(lingerTimer) }
        lingerTimer = nil
        if settings.backendProtocol == .json {
            finishCommands()
        } else if settings.mode == .lines {
            outputFramer.finish { pendingLines.append($0) }
            deliverPendingLines()
        }
        onEvent(.backendEnded(outcome, members: members.count))
        for member in members { close(member) }
    }

    /// Closes a member as the backend's outcome says (1008 if it lost messages).
    private func close(_ member: RoomMember) {
        guard let session = member.session else { return }
        if member.droppedTotal > 0 {
            session.close(code: .policyViolation, reason: "slow client: \(member.droppedTotal) messages dropped")
            return
        }
        switch outcome {
        case .failed(let reason): session.close(code: .internalError, reason: reason)
        case .finished, nil: session.close(code: .normalClosure, reason: "")
        }
    }

    public func endpointDidFinish(_ endpoint: any RelayEndpoint) {
        guard !isFinished else { return }
        isFinished = true
        if let lingerTimer { loop.cancelTimer(lingerTimer) }
        lingerTimer = nil
        onFinish(self)
    }

    private static func text(_ line: LineMessage) -> String {
        String(decoding: line.payload.readableBytesArray, as: UTF8.self)
    }
}

extension RoomFrameBatch {
    /// Appends an output line as a text or binary message.
    mutating func append(_ line: LineMessage) {
        switch line {
        case .text(let bytes): append(.text, bytes)
        case .binary(let bytes): append(.binary, bytes)
        }
    }
}

@available(*, unavailable)
extension Room: Sendable {}
