public import WSGateCore
public import WSGateEventLoop
public import WSGatePosix
public import WSGateWebSocket
import WSGateCompression

/// Told when a session is over (its socket is closed), for logs and connection counting.
public protocol WebSocketSessionObserver: AnyObject {
    func sessionDidEnd(_ session: WebSocketSession, error: String?)
    /// `--max-session` or `--idle-timeout` was reached; the session closes with 1008 next.
    func session(_ session: WebSocketSession, didReach limit: SessionLimit)
}

/// One open WebSocket connection: frames in and out, the close handshake, pings, backpressure.
///
/// Why it exists: it joins the pure codec pieces (decoder → streamer or assembler → state
/// machine) to a `StreamTransport` and a `SessionBackend`. The state machine decides, this
/// class only carries out its actions, so the RFC rules live in one tested place.
///
/// Closing: a close the client starts is echoed and the TCP connection closed by us (RFC 6455
/// §7.1.1); a protocol error sends its close code and closes (§7.1.7, fail the connection);
/// a close we start (shutdown, backend done) waits `closeTimeoutMs` for the client's close,
/// counted from the moment the client stops taking bytes: a slow reader still gets everything
/// queued before our close.
///
/// Memory: what the client sends either goes to the backend (which pauses the session when
/// its input is full: after any part of a message, for a `StreamingSessionBackend`, so a
/// message of any size passes through bounded memory) or makes the session answer it. A ping
/// that arrives while the client's write queue is above its high watermark is answered later,
/// once the queue drains, with one pong for the most recent ping (RFC 6455 §5.5.3 allows
/// that), and reading stops until then: a client that pings without reading cannot make the
/// gateway buffer pongs without bound.
/// Messages for the backend are still read while only the client is slow (a program flooding
/// a client that does not read still gets that client's input, Ctrl-C included).
///
/// - Warning: loop-confined.
public final class WebSocketSession: StreamTransportDelegate {
    /// Limits and timers of a session.
    public struct Settings: Sendable {
        /// The largest message assembled whole for a backend that takes whole messages
        /// (bigger: close 1009).
        public var maxMessageSize: Int
        /// The largest message relayed in parts to a `StreamingSessionBackend` (bigger: close
        /// 1009); nil = no limit.
        public var maxStreamedMessageSize: Int?
        /// `--pingms`: ping this often; nil = never.
        public var pingIntervalMs: Int?
        /// `--max-session`: close with 1008 after this long; nil = never.
        public var maxSessionMs: Int?
        /// `--idle-timeout`: close with 1008 after this long without a data message either
        /// way (control frames are not activity); nil = never.
        public var idleTimeoutMs: Int?
        /// How long to wait for the client's close after sending ours.
        public var closeTimeoutMs: Int
        /// After our FIN, how long to wait for the client's before closing anyway.
        public var lingerMs: Int
        /// After the client's close, how long a backend may still send before the reply.
        public var closeReplyDelayMs: Int
        /// `--compress-min-size`: with permessage-deflate, smaller messages go out
        /// uncompressed (RSV1 clear, RFC 7692 §6: compressing is per message).
        public var compressionMinimumSize = 128
        /// `--compress-level`: zlib's level for what this session compresses.
        public var compressionLevel = 1
        /// With permessage-deflate and context takeover: after this long without a compressed
        /// message, the deflater hibernates (frees zlib's state, keeps the ≤ 32 KiB window).
        public var compressionIdleMs = 1000

        public init(maxMessageSize: Int, maxStreamedMessageSize: Int? = nil, pingIntervalMs: Int? = nil,
                    closeTimeoutMs: Int = 5000, lingerMs: Int = 2000, closeReplyDelayMs: Int = 1000) {
            self.maxMessageSize = maxMessageSize
            self.maxStreamedMessageSize = maxStreamedMessageSize
            self.pingIntervalMs = pingIntervalMs
            self.closeTimeoutMs = closeTimeoutMs
            self.lingerMs = lingerMs
            self.closeReplyDelayMs = closeReplyDelayMs
        }
    }

    public let transport: StreamTransport
    public let settings: Settings
    private let backend: any SessionBackend
    /// The same backend when it takes messages in parts; then `streamer` is used, else
    /// `assembler`.
    private let streamingBackend: (any StreamingSessionBackend)?
    public weak var observer: (any WebSocketSessionObserver)?
    private var decoder: WebSocketFrameDecoder
    /// With permessage-deflate: inflates compressed messages between decoder and streamer.
    private var inflation: PerMessageDeflateReader?
    /// With permessage-deflate: compresses outgoing messages of `compressionMinimumSize` or more.
    private let deflater: MessageDeflater?
    /// The permessage-deflate parameters agreed on, nil for none.
    public let deflate: PerMessageDeflateAgreement?
    private var assembler: WebSocketMessageAssembler
    private var streamer: WebSocketMessageStreamer
    private var machine = WebSocketStateMachine()
    private var closeTimer: TimerID?
    private var pingTimer: TimerID?
    /// `--max-session` and `--idle-timeout`; nil when neither is set.
    private var limits: SessionLimitTimers?
    /// Passes on inflated bytes that waited while reading was paused (see `resumeReading`).
    private var inflationTimer: TimerID?
    /// Puts the deflater to sleep once no compressed message went out for a while.
    private var deflaterIdleTimer: TimerID?
    /// A message was compressed since `deflaterIdleTimer` was armed.
    private var compressedSinceIdleTimer = false
    private var lastHeardFrom: Instant
    private var backendClosed = false
    /// The backend asked for reading to stop (its input is full).
    private var backendPausedReading = false
    /// The payload of the most recent ping not answered yet because the write queue was full.
    private var pendingPong: ByteBuffer?
    /// `transport.totalBytesWritten` when the close timer was armed or last re-armed.
    private var bytesWrittenAtCloseTimer = 0
    /// The code of the client's close frame, if one came (for the DISCONNECT log line).
    public private(set) var receivedCloseCode: WebSocketCloseCode?
    /// Whether the client sent a close frame (with or without a code).
    public private(set) var receivedClose = false
    /// The code of the close frame we sent, if any.
    public private(set) var sentCloseCode: WebSocketCloseCode?
    /// The first rule the client broke (RFC 6455 §7.1.7: the connection was failed with its
    /// close code), for the log.
    public private(set) var failure: WebSocketError?
    /// Where data messages are counted (`--metrics`); nil = not counted.
    private let traffic: TrafficCounters?

    /// `deflate`: the permessage-deflate parameters the handshake agreed on, nil for none.
    public init(transport: StreamTransport, settings: Settings, backend: any SessionBackend,
                deflate: PerMessageDeflateAgreement? = nil, traffic: TrafficCounters? = nil) {
        self.transport = transport
        self.settings = settings
        self.backend = backend
        self.traffic = traffic
        streamingBackend = backend as? any StreamingSessionBackend
        let limit: UInt64
        if streamingBackend != nil {
            limit = settings.maxStreamedMessageSize.map { UInt64(Swift.max(0, $0)) } ?? .max
        } else {
            limit = UInt64(Swift.max(0, settings.maxMessageSize))
        }
        self.deflate = deflate
        decoder = WebSocketFrameDecoder(role: .server, maxPayloadLength: limit, allowsCompressedMessages: deflate != nil)
        if let deflate {
            inflation = PerMessageDeflateReader(windowBits: deflate.clientMaxWindowBits,
                                                noContextTakeover: deflate.clientNoContextTakeover)
            deflater = MessageDeflater(windowBits: deflate.serverMaxWindowBits, level: settings.compressionLevel,
                                       noContextTakeover: deflate.serverNoContextTakeover)
        } else {
            deflater = nil
        }
        assembler = WebSocketMessageAssembler(maxMessageLength: settings.maxMessageSize)
        streamer = WebSocketMessageStreamer(maxMessageLength: limit)
        lastHeardFrom = transport.loop.now
    }

    /// Takes over the transport; `initialBytes` are bytes that arrived right after the
    /// handshake (a client may send frames without waiting for the 101).
    public func start(initialBytes: inout ByteBuffer) {
        transport.delegate = self
        backend.sessionDidOpen(self)
        schedulePing()
        limits = SessionLimitTimers(loop: transport.loop, maxSessionMs: settings.maxSessionMs,
                                    idleTimeoutMs: settings.idleTimeoutMs) { [weak self] limit in
            self?.reach(limit)
        }
        limits?.start()
        if !initialBytes.isEmpty { process(&initialBytes) }
    }

    // MARK: - Backend-facing API

    /// `false` while the client's write queue is above its high watermark; wait for
    /// `sessionDidDrain` before sending more (messages sent anyway are still queued).
    public var isWritable: Bool { transport.isWritable }

    /// `true` until the closing handshake starts.
    public var isOpen: Bool { machine.state == .open && transport.isOpen && !transport.isClosing }

    /// Sends one message in a single frame. Dropped once our close frame is sent.
    public func send(_ opcode: WebSocketOpcode, _ payload: ByteBuffer) {
        guard machine.state == .open || machine.state == .closeReceived else { return }
        traffic?.sent(bytes: payload.readableBytes)
        limits?.recordActivity()
        if let deflater, payload.readableBytes >= settings.compressionMinimumSize, let compressed = deflater.compress(payload) {
            writeFrame(opcode, compressed, compressed: true)
            compressedSinceIdleTimer = true
            if deflaterIdleTimer == nil, deflate?.serverNoContextTakeover == false { armDeflaterIdleTimer() }
        } else {
            writeFrame(opcode, payload)
        }
    }

    /// Sends frames encoded once for several sessions (a room's batch): queued as they are,
    /// sharing their storage with the other members' queues. `messages` and `payloadBytes`
    /// are for the traffic counters. Dropped once our close frame is sent.
    public func sendEncoded(_ frames: ByteBuffer, messages: Int, payloadBytes: Int) {
        guard machine.state == .open || machine.state == .closeReceived else { return }
        traffic?.sent(messages: messages, bytes: payloadBytes)
        limits?.recordActivity()
        transport.writeShared(frames)
    }

    /// The deflater holds zlib state (not hibernating). Exposed to the package's tests.
    package var deflaterHoldsZlibState: Bool { deflater?.holdsZlibState ?? false }

    /// Whether frames compressed once for many sessions, with a window of 2^`windowBits` bytes
    /// and no context takeover, may be queued for this client as they are: it negotiated
    /// `server_no_context_takeover` and a window at least that large. (A window of 8 bits
    /// takes what a 9-bit deflater makes: zlib's deflate never reaches back more than 250
    /// bytes with a 512-byte window.)
    public func takesSharedCompressedFrames(windowBits: Int) -> Bool {
        guard let deflate, deflate.serverNoContextTakeover else { return false }
        return Swift.max(deflate.serverMaxWindowBits, 9) >= windowBits
    }

    /// Starts the closing handshake with `code` (1000 done, 1001 going away, 1011 failure), or,
    /// after the client's close, sends the deferred reply.
    public func close(code: WebSocketCloseCode, reason: String) {
        perform(machine.handle(.close(code: code, reason: reason)))
    }

    /// Stops reading the client (backpressure from the backend side).
    public func pauseReading() {
        backendPausedReading = true
        updateReading()
    }

    /// Resumes reading the client (unless a pong still waits for room).
    public func resumeReading() {
        backendPausedReading = false
        updateReading()
    }

    /// Reads the client unless the backend's input is full or a pong waits for room. After
    /// the close handshake began, input is only waited for (and discarded), so reading goes on.
    private func updateReading() {
        if machine.state == .open && (backendPausedReading || pendingPong != nil) {
            transport.pauseReading()
        } else {
            transport.resumeReading()
            resumeInflation()
        }
    }

    /// Bytes of a compressed message read but not inflated while reading was paused wait in
    /// `inflation`, not in the transport, so no read brings them: they are passed on from the
    /// loop (not from inside the backend's call that resumed reading).
    private func resumeInflation() {
        guard inflation?.hasPendingOutput == true, inflationTimer == nil else { return }
        inflationTimer = transport.loop.scheduleTimer(afterMilliseconds: 0) { [weak self] in
            guard let self else { return }
            self.inflationTimer = nil
            guard self.machine.state != .closed, !self.transport.isReadingPaused else { return }
            var none = ByteBuffer()
            self.process(&none)
        }
    }

    // MARK: - StreamTransportDelegate

    public func transport(_ transport: StreamTransport, didRead buffer: inout ByteBuffer) {
        process(&buffer)
    }

    public func transportDidReadEOF(_ transport: StreamTransport) {
        perform(machine.handle(.transportEOF))
    }

    public func transportDidDrain(_ transport: StreamTransport) {
        if let pong = pendingPong, machine.state == .open {
            pendingPong = nil
            writeFrame(.pong, pong)
        }
        if machine.state == .open || machine.state == .closeReceived { backend.sessionDidDrain(self) }
        updateReading()
    }

    public func transportDidClose(_ transport: StreamTransport, error: IOError?) {
        cancelTimers()
        notifyBackendClosed()
        observer?.sessionDidEnd(self, error: error.map { "\($0)" })
    }

    // MARK: - Input

    private func process(_ buffer: inout ByteBuffer) {
        lastHeardFrom = transport.loop.now
        while machine.state != .closed {
            // Backpressure: while paused, only what needs no more input (the end of a frame
            // whose last bytes were passed on) is taken; the rest stays in the transport until
            // reading resumes.
            let paused = machine.state == .open && transport.isReadingPaused
            do {
                let next: WebSocketFrameEvent?
                if inflation != nil {
                    if paused {
                        var nothing = ByteBuffer()
                        next = try inflation!.next(from: &decoder, &nothing, produceOutput: false)
                    } else {
                        next = try inflation!.next(from: &decoder, &buffer, produceOutput: true)
                    }
                } else if paused {
                    var nothing = ByteBuffer()
                    next = try decoder.next(&nothing)
                } else {
                    next = try decoder.next(&buffer)
                }
                guard let frame = next else { return }
                if streamingBackend != nil {
                    guard let event = try streamer.receive(frame) else { continue }
                    if case .control(let control) = event {
                        receive(control)
                    } else {
                        perform(machine.handle(event))
                    }
                } else {
                    guard let event = try assembler.receive(frame) else { continue }
                    receive(event)
                }
            } catch {
                // The decoder and streamer stay failed but still let a Close through, so the
                // client's answer to our error Close ends the connection promptly.
                inflation?.stop()
                if failure == nil { failure = error }
                perform(machine.handle(.protocolError(error)))
            }
        }
        // Closed: the rest of the input means nothing any more.
        buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
    }

    /// A whole message or a control frame. The client's close may wait for the backend.
    private func receive(_ event: WebSocketMessageEvent) {
        if case .close(let code, _) = event {
            receivedCloseCode = code
            receivedClose = true
            if machine.state == .open && backend.sessionDidReceiveClose(self) {
                perform(machine.handle(.receivedCloseReplyingLater(code: code)))
                armCloseTimer(settings.closeReplyDelayMs)
                return
            }
        }
        perform(machine.handle(event))
    }

    // MARK: - Actions

    private func perform(_ action: WebSocketStateMachine.Action) {
        switch action {
        case .none:
            return
        case .deliver(let opcode, let payload):
            traffic?.received(bytes: payload.readableBytes)
            limits?.recordActivity()
            backend.session(self, didReceive: opcode, payload: payload)
        case .deliverPart(let part):
            // Every part: a message still arriving is activity.
            limits?.recordActivity()
            switch part {
            case .start: traffic?.received(bytes: 0)
            case .bytes(let bytes): traffic?.receivedPart(bytes: bytes.readableBytes)
            case .end: break
            }
            streamingBackend?.session(self, didReceivePart: part)
        case .sendPong(let payload):
            if transport.isWritable {
                writeFrame(.pong, payload)
            } else {
                // A copy, not a slice: a slice would pin the loop's whole read buffer.
                var copy = ByteBuffer(capacity: payload.readableBytes)
                copy.writeBuffer(payload)
                pendingPong = copy
                updateReading()
            }
        case .sendClose(let code, let reason, let then):
            sentCloseCode = code
            limits?.cancel()
            if let closeTimer { transport.loop.cancelTimer(closeTimer) }
            closeTimer = nil
            pendingPong = nil
            writeFrame(.close, WebSocketFrameEncoder.closePayload(code: code, reason: reason))
            notifyBackendClosed()
            switch then {
            case .closeConnection:
                closeTransport()
            case .awaitPeerClose:
                armCloseTimer(settings.closeTimeoutMs)
                updateReading()
            }
        case .closeConnection:
            notifyBackendClosed()
            closeTransport()
        }
    }

    private func closeTransport() {
        cancelTimers()
        transport.close(lingerMilliseconds: settings.lingerMs)
    }

    private func notifyBackendClosed() {
        guard !backendClosed else { return }
        backendClosed = true
        backend.sessionDidClose(self, closeCode: receivedCloseCode)
    }

    private func writeFrame(_ opcode: WebSocketOpcode, _ payload: ByteBuffer, compressed: Bool = false) {
        let length = payload.readableBytes
        let inline = length < WriteQueue.copyThreshold
        let header = WebSocketFrameEncoder.headerLength(payloadLength: length, masked: false)
        transport.write(minimumCapacity: header + (inline ? length : 0)) { buffer in
            WebSocketFrameEncoder.writeHeader(fin: true, compressed: compressed, opcode: opcode, payloadLength: length,
                                              maskingKey: nil, into: &buffer)
            if inline { buffer.writeBuffer(payload) }
        }
        if !inline { transport.write(payload) }
    }

    // MARK: - Timers

    /// Waits `milliseconds` for the client's close; while what we queued is still being sent
    /// and the client took bytes during the wait, it waits again.
    private func armCloseTimer(_ milliseconds: Int) {
        if let closeTimer { transport.loop.cancelTimer(closeTimer) }
        bytesWrittenAtCloseTimer = transport.totalBytesWritten
        closeTimer = transport.loop.scheduleTimer(afterMilliseconds: milliseconds) { [weak self] in
            guard let self else { return }
            self.closeTimer = nil
            if self.transport.bufferedBytes > 0 && self.transport.totalBytesWritten != self.bytesWrittenAtCloseTimer {
                self.armCloseTimer(milliseconds)
                return
            }
            self.perform(self.machine.handle(.closeTimeout))
        }
    }

    /// Checks every `compressionIdleMs` whether a message was compressed since the last check;
    /// if none was, the deflater hibernates and the timer stops until the next message.
    private func armDeflaterIdleTimer() {
        compressedSinceIdleTimer = false
        deflaterIdleTimer = transport.loop.scheduleTimer(afterMilliseconds: settings.compressionIdleMs) { [weak self] in
            guard let self else { return }
            self.deflaterIdleTimer = nil
            if self.compressedSinceIdleTimer {
                self.armDeflaterIdleTimer()
            } else {
                self.deflater?.hibernate()
            }
        }
    }

    private func schedulePing() {
        guard let interval = settings.pingIntervalMs else { return }
        pingTimer = transport.loop.scheduleTimer(afterMilliseconds: interval) { [weak self] in
            self?.pingTick(interval: interval)
        }
    }

    private func pingTick(interval: Int) {
        pingTimer = nil
        guard machine.state == .open else { return }
        if lastHeardFrom.milliseconds(until: transport.loop.now) > Int64(2 * interval) {
            close(code: .goingAway, reason: "no pong within \(2 * interval) ms")
            return
        }
        // A client whose queue is full has not read the last ping yet: one is enough.
        if transport.isWritable { writeFrame(.ping, ByteBuffer()) }
        schedulePing()
    }

    /// `--max-session` or `--idle-timeout` ran out: the observer logs why, then close 1008 and
    /// the backend's usual end (a program's kill sequence), as when the client leaves.
    private func reach(_ limit: SessionLimit) {
        guard machine.state == .open else { return }
        observer?.session(self, didReach: limit)
        close(code: .policyViolation, reason: limit.closeReason)
    }

    private func cancelTimers() {
        limits?.cancel()
        if let closeTimer { transport.loop.cancelTimer(closeTimer) }
        if let pingTimer { transport.loop.cancelTimer(pingTimer) }
        if let inflationTimer { transport.loop.cancelTimer(inflationTimer) }
        if let deflaterIdleTimer { transport.loop.cancelTimer(deflaterIdleTimer) }
        closeTimer = nil
        pingTimer = nil
        inflationTimer = nil
        deflaterIdleTimer = nil
    }
}

@available(*, unavailable)
extension WebSocketSession: Sendable {}
