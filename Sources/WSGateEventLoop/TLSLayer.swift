import WSGateCore
import WSGatePosix
import WSGateTLS

/// The TLS half of a `StreamTransport`: plaintext written in a tick is gathered, encrypted
/// once at the end of it, and the ciphertext goes into the transport's write queue; ciphertext
/// read is decrypted in the read buffer before the delegate sees it.
///
/// Why it exists: the transport keeps its own system calls, write queue and watermarks, so the
/// queue holds ciphertext (what the kernel still has to take, which is what backpressure is
/// about). Gathering a tick's writes (a frame header, then its payload) makes one TLS record
/// of them instead of one per write, saving a record header, a MAC and an `SSL_write` each.
///
/// - Warning: loop-confined, like its transport.
struct TLSLayer {
    let engine: TLSEngine
    private let scratchPool: ScratchPool
    /// Plaintext written since the last `seal`.
    private var staged = ByteBuffer()
    private var closeNotifyQueued = false

    /// Staged plaintext is sealed at once from this size on (a full TLS record, RFC 8446
    /// §5.1), so what waits outside the write queue's accounting stays small.
    static let sealThreshold = 16_384
    /// Large payloads are encrypted this much at a time: four records whose ciphertext fits
    /// a 64 KiB buffer.
    static let largeWriteSlice = 65_024

    init(engine: TLSEngine, scratchPool: ScratchPool) {
        self.engine = engine
        self.scratchPool = scratchPool
    }

    /// Plaintext waiting to be encrypted (this tick's, or all of it before the handshake is
    /// complete).
    var stagedBytes: Int { staged.readableBytes + engine.waitingPlaintextBytes }

    /// Gathers `buffer` for the next `seal`; a large one is encrypted at once, after what was
    /// staged, without being copied first.
    mutating func write(_ buffer: ByteBuffer, into queue: inout WriteQueue) throws(TLSError) {
        if buffer.readableBytes >= Self.sealThreshold {
            try seal(into: &queue)
            // In slices, each moved out at once: OpenSSL's output buffer never holds a whole
            // large payload's ciphertext next to the queue's copy.
            try buffer.withUnsafeReadableBytes { (bytes) throws(TLSError) in
                var offset = 0
                while offset < bytes.count {
                    let end = min(offset + Self.largeWriteSlice, bytes.count)
                    try engine.send(UnsafeRawBufferPointer(rebasing: bytes[offset..<end]))
                    moveCiphertext(into: &queue)
                    offset = end
                }
            }
        } else {
            if staged.capacity == 0 { staged = scratchPool.take() }
            staged.writeBuffer(buffer)
            if staged.readableBytes >= Self.sealThreshold { try seal(into: &queue) }
        }
    }

    /// Lets `body` write plaintext straight into the staged bytes.
    mutating func write(minimumCapacity: Int, into queue: inout WriteQueue, _ body: (inout ByteBuffer) -> Void)
        throws(TLSError)
    {
        if staged.capacity == 0 { staged = scratchPool.take() }
        body(&staged)
        if staged.readableBytes >= Self.sealThreshold { try seal(into: &queue) }
    }

    /// Encrypts the staged plaintext into `queue`, and gives the staging memory back.
    mutating func seal(into queue: inout WriteQueue) throws(TLSError) {
        if !staged.isEmpty {
            try engine.send(staged)
            staged.clear()
        }
        scratchPool.recycle(&staged)
        moveCiphertext(into: &queue)
    }

    /// Queues whatever ciphertext the engine produced (handshake messages, records, alerts).
    func moveCiphertext(into queue: inout WriteQueue) {
        let pending = engine.pendingCiphertextBytes
        if pending == 0 { return }
        if pending < WriteQueue.copyThreshold {
            queue.appendToScratch(minimumCapacity: pending) { engine.takeCiphertext(into: &$0) }
        } else {
            var ciphertext = ByteBuffer()
            engine.takeCiphertext(into: &ciphertext)  // moved, not copied
            queue.enqueue(ciphertext)
        }
    }

    /// Appends to `plaintext` what `ciphertext` completes; true when the peer's close_notify
    /// arrived (its data ends here).
    func decrypt(_ ciphertext: ByteBuffer, into plaintext: inout ByteBuffer) throws(TLSError) -> Bool {
        try engine.receive(ciphertext, plaintext: &plaintext) == .closedByPeer
    }

    /// Queues close_notify, once, after everything sealed so far; true if that queued bytes.
    /// (Before the handshake is complete there is nothing to close.)
    mutating func queueCloseNotify(into queue: inout WriteQueue) -> Bool {
        guard !closeNotifyQueued else { return false }
        closeNotifyQueued = true
        engine.sendCloseNotify()
        let before = queue.bufferedBytes
        moveCiphertext(into: &queue)
        return queue.bufferedBytes > before
    }

    /// Best effort on a failure: the alert OpenSSL prepared, written once if the kernel takes
    /// it now (the connection is dropped right after, whatever happens).
    func sendAlert(to descriptor: FileDescriptor) {
        var alert = ByteBuffer()
        engine.takeCiphertext(into: &alert)
        guard !alert.isEmpty else { return }
        _ = try? alert.withUnsafeReadableBytes { (bytes) throws(IOError) in try descriptor.write(bytes) }
    }
}
