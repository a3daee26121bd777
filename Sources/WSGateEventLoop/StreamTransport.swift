public import WSGateCore
public import WSGatePosix
public import WSGateTLS
import Glibc

/// What a `StreamTransport` tells the protocol layer that currently owns it.
///
/// - Warning: every call happens on the loop thread, possibly re-entrantly from a call the
///   delegate made into the transport; delegates must tolerate that.
public protocol StreamTransportDelegate: AnyObject {
    /// New bytes arrived. Consume what you can from `buffer`; what is left stays buffered in the
    /// transport and is offered again, in front of the next bytes, on the next call.
    func transport(_ transport: StreamTransport, didRead buffer: inout ByteBuffer)
    /// The peer will send nothing more (EOF). Leftover bytes were offered before this.
    func transportDidReadEOF(_ transport: StreamTransport)
    /// The write queue went from above the high watermark to at or below the low one.
    func transportDidDrain(_ transport: StreamTransport)
    /// The descriptor is closed; `error` says why if it was not a normal close.
    func transportDidClose(_ transport: StreamTransport, error: IOError?)
}

/// A non-blocking byte stream (a client socket, a backend socket or a program's pipe) on one
/// loop: reading, a write queue with watermarks, and an orderly close.
///
/// Why it exists: the HTTP phase, the WebSocket session and the backends all need the same
/// mechanics: read into the loop's shared buffer and keep only leftovers, coalesce writes and
/// flush them once per loop tick with `writev`, pause and resume reading for backpressure, and
/// close without losing the last bytes (flush, half-close, drain the peer, then close, so the
/// kernel never answers unread data with a reset that destroys our final frame).
/// Protocol logic lives in the delegate, which can be swapped (HTTP → WebSocket) mid-stream.
///
/// With a `TLSEngine` the same mechanics carry TLS: reads are decrypted before the delegate
/// sees them, writes are encrypted into the queue (see `TLSLayer`), and both closes send
/// close_notify first. The delegate sees plaintext only; a TLS failure closes the transport
/// with an `IOError` whose text is OpenSSL's reason.
///
/// - Warning: loop-confined.
public final class StreamTransport: IOHandler, EndOfTickHandler {
    public let loop: EventLoop
    public let descriptor: FileDescriptor
    /// The protocol layer that owns this stream now. Held strongly until the transport closes
    /// (the delegate usually holds the transport too; closing breaks that cycle).
    public var delegate: (any StreamTransportDelegate)?
    private var registration: Registration?
    private var writeQueue: WriteQueue
    /// Bytes received but not yet consumed by the delegate.
    private var inbound = ByteBuffer()
    private var readingPaused = false
    /// The peer's EOF was read and reported.
    private var eofDelivered = false
    private var wasAboveHighWatermark = false
    private var flushScheduled = false
    /// True while the delegate is consuming bytes (guards against re-entrant delivery).
    private var isDelivering = false
    /// A half-close was asked for and waits for the queue to empty.
    private var writeShutdownPending = false
    /// Our FIN is sent; writes are dropped from now on.
    private var writeShutdownDone = false
    private var state = State.open
    private var lingerTimer: TimerID?
    /// `totalBytesWritten` when the linger timer last looked: a close waits on while the
    /// peer keeps reading, and gives up only on a peer that stopped.
    private var bytesWrittenAtLastLingerCheck = 0
    /// The peer hung up while reading was paused: the descriptor is out of epoll (a hang-up is
    /// reported whatever the interest, so it would wake the loop forever) until reading
    /// resumes and reads what is left.
    private var detachedAfterHangup = false
    /// Whether this stream is a socket (half-close with shutdown) or a pipe (close it).
    private let isSocket: Bool
    /// A file being sent after the queued bytes (`sendFile`).
    private var fileBody: FileBody?
    /// TLS between the descriptor and the delegate, if this stream has it.
    private var tls: TLSLayer?
    /// Encrypting a write failed: the transport fails at the end of the tick, not inside the
    /// writer's call.
    private var tlsWriteFailure: TLSError?
    /// With TLS a file body is read and encrypted in pieces of this size.
    private static let tlsFileChunk = 65_536

    /// A region of an open file on its way to the peer, and who to tell when it has gone.
    private struct FileBody {
        let file: FileDescriptor
        var offset: Int
        var remaining: Int
        let completion: () -> Void
    }

    private enum State {
        case open
        /// Flushing what is queued; then half-close and drain.
        case closingAfterFlush
        /// Our FIN is sent; discarding input until the peer's EOF or the linger timeout.
        case lingering
        case closed
    }

    /// Takes ownership of `descriptor` (already non-blocking). With `tls`, the stream is a TLS
    /// server connection: the handshake starts with the first bytes the peer sends.
    public init(loop: EventLoop, descriptor: FileDescriptor, isSocket: Bool = true,
                highWatermark: Int = 256 * 1024, lowWatermark: Int = 64 * 1024, tls: TLSEngine? = nil) {
        self.loop = loop
        self.descriptor = descriptor
        self.isSocket = isSocket
        writeQueue = WriteQueue(highWatermark: highWatermark, lowWatermark: lowWatermark, scratchPool: loop.scratchPool)
        self.tls = tls.map { TLSLayer(engine: $0, scratchPool: loop.scratchPool) }
    }

    /// Registers with the loop and starts reading (or, for a write-only stream such as a
    /// child's stdin, only watches for errors until there is something to write).
    public func start(reading: Bool = true) throws(IOError) {
        readingPaused = !reading
        registration = try loop.register(descriptor, interest: reading ? .read : [], handler: self)
    }

    /// Puts TLS under a stream that began in plaintext (a PROXY protocol header in front of a
    /// passed-through TLS connection): `initialCiphertext`, the bytes read after the
    /// plaintext part, is the start of the handshake. Once only, on a stream without TLS;
    /// callable from the delegate's `didRead`, which must consume those bytes itself. Anything
    /// written before went out in plaintext. A TLS failure closes the transport as usual.
    public func startTLS(_ engine: TLSEngine, initialCiphertext: ByteBuffer) {
        precondition(tls == nil, "TLS already started")
        guard state == .open else { return }
        tls = TLSLayer(engine: engine, scratchPool: loop.scratchPool)
        guard !initialCiphertext.isEmpty else { return }
        var plaintext = ByteBuffer()
        let peerClosed: Bool
        do {
            peerClosed = try tls!.decrypt(initialCiphertext, into: &plaintext)
        } catch {
            failTLS(error)
            return
        }
        if tls!.engine.pendingCiphertextBytes > 0 {
            tls!.moveCiphertext(into: &writeQueue)
            afterEnqueue()
        }
        guard !plaintext.isEmpty || peerClosed else { return }
        // Hardly ever (a client speaks after the server's flight); delivered in a later tick,
        // since the delegate may be in its `didRead` now.
        inbound.writeBuffer(plaintext)
        _ = loop.scheduleTimer(afterMilliseconds: 0) { [weak self] in
            guard let self, self.state == .open else { return }
            self.deliverBuffered()
            if peerClosed && self.state == .open && !self.eofDelivered { self.deliverEOF() }
        }
    }

    /// `true` until the descriptor is closed.
    public var isOpen: Bool { state != .closed }
    /// `true` once a graceful close has begun (writes are then refused).
    public var isClosing: Bool { state != .open }
    /// Bytes queued for writing (with TLS: the ciphertext queued, plus this tick's plaintext
    /// still to be encrypted).
    public var bufferedBytes: Int { writeQueue.bufferedBytes + (tls?.stagedBytes ?? 0) }
    /// `true` while reading is paused (backpressure, or after EOF).
    public var isReadingPaused: Bool { readingPaused }
    /// `false` while the write queue is above its high watermark: producers should wait for
    /// `transportDidDrain`.
    public var isWritable: Bool { !writeQueue.isAboveHighWatermark }
    /// Bytes the kernel has taken from this transport so far (progress of a slow reader).
    public private(set) var totalBytesWritten = 0
    /// `true` once nothing can be written into the other end any more (a pipe without
    /// writers, a socket shut down both ways): what is left to read is all there will be.
    public var peerHasHungUp: Bool {
        state != .closed && (detachedAfterHangup || descriptor.hasHungUp)
    }

    // MARK: - Writing

    /// Queues bytes; they are flushed at the end of this loop tick.
    public func write(_ buffer: ByteBuffer) {
        guard state == .open, !writeShutdownPending, !writeShutdownDone else { return }
        if tls != nil {
            do {
                try tls!.write(buffer, into: &writeQueue)
            } catch {
                tlsWriteFailure = error
            }
        } else {
            writeQueue.enqueue(buffer)
        }
        afterEnqueue()
    }

    /// Queues bytes other queues share (encoded once for many clients) without copying them,
    /// however small; with TLS they are encrypted for this peer as any write.
    public func writeShared(_ buffer: ByteBuffer) {
        guard state == .open, !writeShutdownPending, !writeShutdownDone else { return }
        guard tls == nil else { return write(buffer) }
        writeQueue.enqueueShared(buffer)
        afterEnqueue()
    }

    /// Memory the write queue keeps alive (`WriteQueue.heldBytes`): what the watermarks measure.
    public var heldBytes: Int { writeQueue.heldBytes }

    /// Moves the write queue's watermarks (`isWritable` and `transportDidDrain` follow them).
    public func setWatermarks(high: Int, low: Int) {
        writeQueue.setWatermarks(high: high, low: low)
        if writeQueue.isAboveHighWatermark { wasAboveHighWatermark = true }
    }

    /// Lets `body` write small bytes (headers) straight into the queue's scratch space.
    public func write(minimumCapacity: Int, _ body: (inout ByteBuffer) -> Void) {
        guard state == .open, !writeShutdownPending, !writeShutdownDone else { return }
        if tls != nil {
            do {
                try tls!.write(minimumCapacity: minimumCapacity, into: &writeQueue, body)
            } catch {
                tlsWriteFailure = error
            }
        } else {
            writeQueue.appendToScratch(minimumCapacity: minimumCapacity, body)
        }
        afterEnqueue()
    }

    /// Sends `count` bytes of `file` from `offset` after everything queued, with `sendfile`
    /// (the file's pages never pass through the gateway's memory), then closes `file` and
    /// calls `completion`. Nothing may be written until then: the caller waits for it.
    /// On a close or failure first, `file` is closed and `completion` is not called.
    public func sendFile(_ file: FileDescriptor, offset: Int, count: Int, completion: @escaping () -> Void) {
        precondition(fileBody == nil, "one file at a time")
        guard state == .open, !writeShutdownPending, !writeShutdownDone else {
            file.close()
            return
        }
        fileBody = FileBody(file: file, offset: offset, remaining: count, completion: completion)
        if !flushScheduled {
            flushScheduled = true
            loop.runAtEndOfTick(self)
        }
    }

    private func afterEnqueue() {
        if writeQueue.isAboveHighWatermark { wasAboveHighWatermark = true }
        scheduleFlush()
    }

    private func scheduleFlush() {
        if !flushScheduled {
            flushScheduled = true
            loop.runAtEndOfTick(self)
        }
    }

    public func endOfTick() {
        flushScheduled = false
        flush()
    }

    /// Writes what the kernel takes now; arms write interest for the rest.
    public func flush() {
        guard state == .open || state == .closingAfterFlush else { return }
        if let tlsWriteFailure {
            failTLS(tlsWriteFailure)
            return
        }
        if tls != nil {
            do {
                try tls!.seal(into: &writeQueue)
            } catch {
                failTLS(error)
                return
            }
        }
        var done: Bool
        let queued = writeQueue.bufferedBytes
        do {
            done = try writeQueue.flush(to: descriptor)
            totalBytesWritten += queued - writeQueue.bufferedBytes
            if done && fileBody != nil { done = try sendFileBody() }
            // With TLS, the end of our data is close_notify, sent after everything else.
            if done && (state == .closingAfterFlush || writeShutdownPending) && tls != nil
                && tls!.queueCloseNotify(into: &writeQueue)
            {
                let before = writeQueue.bufferedBytes
                done = try writeQueue.flush(to: descriptor)
                totalBytesWritten += before - writeQueue.bufferedBytes
            }
        } catch {
            fail(error)
            return
        }
        if done && state == .closingAfterFlush {
            beginLinger()
            return
        }
        if done && writeShutdownPending { shutdownWriteNow() }
        updateInterest()
        if wasAboveHighWatermark && writeQueue.isAtOrBelowLowWatermark {
            wasAboveHighWatermark = false
            delegate?.transportDidDrain(self)
        }
    }

    /// Sends what the kernel takes of the file body; true once all of it has gone.
    private func sendFileBody() throws(IOError) -> Bool {
        if tls != nil { return try sendFileBodyThroughTLS() }
        guard var body = fileBody else { return true }
        while body.remaining > 0 {
            guard case .processed(let sent) = try descriptor.sendFile(body.file, offset: body.offset, count: body.remaining)
            else {
                fileBody = body
                return false
            }
            // 0: the file is shorter than it was (truncated while sent); the peer cannot get
            // the length it was promised, so the connection must end.
            if sent == 0 { throw IOError(errno: EIO, function: "sendfile (file shrank)") }
            body.offset += sent
            body.remaining -= sent
            totalBytesWritten += sent
        }
        fileBody = nil
        body.file.close()
        body.completion()
        return writeQueue.isEmpty && fileBody == nil
    }

    /// With TLS the file's pages must be encrypted, so `sendfile` cannot send them: the file
    /// is read in pieces, each encrypted into the queue once the queue has emptied, so at most
    /// one piece of ciphertext waits at a time.
    private func sendFileBodyThroughTLS() throws(IOError) -> Bool {
        guard var body = fileBody else { return true }
        while body.remaining > 0 {
            let count = min(body.remaining, Self.tlsFileChunk)
            var piece = ByteBuffer(capacity: count)
            // The file is shorter than it was (truncated while sent): as with sendfile, the
            // peer cannot get the length it was promised.
            guard body.file.read(at: body.offset, count: count, appendingTo: &piece) else {
                throw IOError(errno: EIO, function: "pread (file shrank)")
            }
            do {
                try tls!.write(piece, into: &writeQueue)
                try tls!.seal(into: &writeQueue)
            } catch {
                throw IOError(errno: 0, function: error.description)
            }
            body.offset += count
            body.remaining -= count
            let queued = writeQueue.bufferedBytes
            let flushed = try writeQueue.flush(to: descriptor)
            totalBytesWritten += queued - writeQueue.bufferedBytes
            if !flushed {
                fileBody = body
                return false
            }
        }
        fileBody = nil
        body.file.close()
        body.completion()
        return writeQueue.isEmpty && fileBody == nil
    }

    // MARK: - Reading control

    /// Stops reading (backpressure); bytes already received stay buffered.
    public func pauseReading() {
        readingPaused = true
        updateInterest()
    }

    /// Resumes reading, first offering any bytes still buffered (not after EOF).
    public func resumeReading() {
        guard readingPaused, !eofDelivered else { return }
        readingPaused = false
        if detachedAfterHangup && state == .open {
            detachedAfterHangup = false
            do {
                registration = try loop.register(descriptor, interest: .read, handler: self)
            } catch {
                fail(error)
                return
            }
        }
        updateInterest()
        if !inbound.isEmpty && state == .open { deliverBuffered() }
    }

    private func updateInterest() {
        guard let registration else { return }
        var interest: IOInterest = []
        switch state {
        case .open:
            if !readingPaused { interest.insert(.read) }
            if !writeQueue.isEmpty || fileBody != nil { interest.insert(.write) }
        case .closingAfterFlush:
            interest = writeQueue.isEmpty && fileBody == nil ? [] : .write
        case .lingering:
            interest = .read
        case .closed:
            return
        }
        loop.setInterest(interest, for: registration)
    }

    // MARK: - Closing

    /// Half-close: sends everything queued, then our FIN (`shutdown(SHUT_WR)`), and keeps
    /// reading until the peer's EOF. Further writes are dropped.
    public func shutdownWriteAfterFlush() {
        guard state == .open, isSocket, !writeShutdownPending else { return }
        writeShutdownPending = true
        if tls != nil {
            // close_notify goes out first: `flush` queues it once the rest has gone.
            scheduleFlush()
        } else if writeQueue.isEmpty && fileBody == nil {
            shutdownWriteNow()
        }
    }

    private func shutdownWriteNow() {
        writeShutdownPending = false
        writeShutdownDone = true
        try? Socket.shutdownWrite(descriptor)
    }

    /// Graceful close: sends everything queued, half-closes, waits up to `lingerMilliseconds`
    /// for the peer's EOF (discarding its bytes), then closes. While the queue is still being
    /// sent, the wait starts again each time the peer took bytes in the last one: a slow
    /// reader gets everything, a peer that stopped reading is dropped.
    public func close(lingerMilliseconds: Int = 2000) {
        guard state == .open else { return }
        state = .closingAfterFlush
        inbound = ByteBuffer()
        if detachedAfterHangup { finish(error: nil); return }
        // Flushed first: what the kernel takes now is not the peer reading.
        flush()
        guard state != .closed else { return }
        bytesWrittenAtLastLingerCheck = totalBytesWritten
        armLingerTimer(lingerMilliseconds)
    }

    private func armLingerTimer(_ milliseconds: Int) {
        lingerTimer = loop.scheduleTimer(afterMilliseconds: milliseconds) { [weak self] in
            guard let self else { return }
            self.lingerTimer = nil
            if self.state == .closingAfterFlush && self.totalBytesWritten != self.bytesWrittenAtLastLingerCheck {
                self.bytesWrittenAtLastLingerCheck = self.totalBytesWritten
                self.armLingerTimer(milliseconds)
            } else {
                self.finish(error: nil)
            }
        }
    }

    /// Immediate close: queued bytes are dropped.
    public func abort(error: IOError? = nil) {
        finish(error: error)
    }

    private func beginLinger() {
        guard isSocket else {
            finish(error: nil)
            return
        }
        state = .lingering
        if !writeShutdownDone {
            do {
                try Socket.shutdownWrite(descriptor)
            } catch {
                finish(error: nil)  // the peer is already gone: nothing left to wait for
                return
            }
        }
        updateInterest()
    }

    private func fail(_ error: IOError) {
        finish(error: error)
    }

    /// The peer broke TLS (or OpenSSL failed): its alert goes out if the kernel takes it now,
    /// and the connection ends with OpenSSL's reason as the error.
    private func failTLS(_ error: TLSError) {
        tls?.sendAlert(to: descriptor)
        finish(error: IOError(errno: 0, function: error.description))
    }

    private func finish(error: IOError?) {
        guard state != .closed else { return }
        state = .closed
        if let lingerTimer { loop.cancelTimer(lingerTimer) }
        lingerTimer = nil
        if let registration { loop.deregister(registration, descriptorWillClose: true) }
        registration = nil
        detachedAfterHangup = false
        descriptor.close()
        writeQueue.removeAll()
        fileBody?.file.close()
        fileBody = nil
        inbound = ByteBuffer()
        let delegate = self.delegate
        self.delegate = nil
        delegate?.transportDidClose(self, error: error)
    }

    // MARK: - Events

    public func handle(_ events: IOEvents) {
        if events.contains(.writable) { flush() }
        if events.contains(.readable) || events.contains(.readEOF) {
            readAvailable()
        } else if events.contains(.error) {
            finish(error: .connectionReset)
        } else if events.contains(.hangup) {
            if state == .open && !readingPaused {
                readAvailable()  // a pipe reports its end as a hang-up alone: read the EOF
            } else if state == .open && !eofDelivered {
                // Paused for backpressure: what the peer wrote before it went is still to be
                // read, once the consumer wants it.
                detachAfterHangup()
            } else {
                finish(error: nil)
            }
        }
    }

    private func detachAfterHangup() {
        guard let registration else { return }
        loop.deregister(registration)
        self.registration = nil
        detachedAfterHangup = true
    }

    private func readAvailable() {
        switch state {
        case .lingering:
            drainAfterShutdown()
            return
        case .closed, .closingAfterFlush:
            return
        case .open:
            break
        }
        if readingPaused { return }
        var data = loop.takeReadBuffer()
        defer { loop.recycleReadBuffer(data) }
        let result: IOResult<Int>
        do {
            result = try descriptor.read(into: &data, maxBytes: loop.readChunkSize)
        } catch {
            fail(error)
            return
        }
        switch result {
        case .wouldBlock:
            return
        case .processed(0):
            deliverEOF()
        case .processed:
            var peerClosed = false
            if tls != nil {
                var plaintext = loop.takePlaintextBuffer()
                do {
                    peerClosed = try tls!.decrypt(data, into: &plaintext)
                } catch {
                    loop.recyclePlaintextBuffer(plaintext)
                    failTLS(error)
                    return
                }
                swap(&data, &plaintext)  // `data` is recycled as the read buffer
                loop.recyclePlaintextBuffer(plaintext)
                // Handshake messages, a session ticket or an answer to a key update.
                if tls!.engine.pendingCiphertextBytes > 0 {
                    tls!.moveCiphertext(into: &writeQueue)
                    afterEnqueue()
                }
            }
            deliver(&data)
            if peerClosed && state == .open { deliverEOF() }
        }
    }

    private func deliverEOF() {
        readingPaused = true
        eofDelivered = true
        updateInterest()
        delegate?.transportDidReadEOF(self)
    }

    /// Offers newly read bytes (plaintext) to the delegate, behind any leftovers.
    private func deliver(_ data: inout ByteBuffer) {
        if data.isEmpty { return }
        if inbound.isEmpty && !isDelivering {
            // The common case: parse straight from the loop's buffer, keep only leftovers.
            isDelivering = true
            delegate?.transport(self, didRead: &data)
            isDelivering = false
            if state == .open && !data.isEmpty { inbound.writeBuffer(data) }
        } else {
            inbound.writeBuffer(data)
            deliverBuffered()
        }
    }

    /// Offers the buffered leftovers (plus new bytes) to the delegate again. Not re-entrant:
    /// a delegate that resumes reading while it is being fed is already being fed.
    private func deliverBuffered() {
        guard !isDelivering, state == .open, !inbound.isEmpty else { return }
        isDelivering = true
        var pending = inbound
        inbound = ByteBuffer()
        delegate?.transport(self, didRead: &pending)
        isDelivering = false
        if state == .open && !pending.isEmpty {
            pending.discardReadBytes()
            inbound = pending
        }
    }

    private func drainAfterShutdown() {
        var scratch = loop.takeReadBuffer()
        defer { loop.recycleReadBuffer(scratch) }
        // Bounded: a peer that keeps sending gets at most this much attention per tick, and the
        // linger timer ends it.
        for _ in 0..<16 {
            let result: IOResult<Int>
            do {
                result = try descriptor.read(into: &scratch, maxBytes: loop.readChunkSize)
            } catch {
                finish(error: nil)
                return
            }
            scratch.clear()
            switch result {
            case .wouldBlock: return
            case .processed(0):
                finish(error: nil)
                return
            case .processed: continue
            }
        }
    }
}

@available(*, unavailable)
extension StreamTransport: Sendable {}
