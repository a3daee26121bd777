public import WSGateCore
public import WSGatePosix

/// Bytes waiting to be written to one non-blocking descriptor, sent with `writev(2)`.
///
/// Why it exists: a peer that reads slowly must not make the gateway block or lose bytes, and
/// must not make it buffer without bound either. Everything written to a client or backend goes
/// through one of these: small pieces (frame headers, short messages) are coalesced into a
/// scratch chunk the queue owns, large payloads are queued as they are (no copy), and `flush`
/// gathers up to 64 chunks per `writev`.
///
/// Backpressure: the memory the queue holds crossing `highWatermark` means "stop producing for
/// me" (the relay turns the opposite side's read interest off); falling to `lowWatermark` means
/// "resume". Held memory counts whole blocks, not just the bytes still to send: a 4 KiB frame
/// sliced from a 64 KiB read buffer keeps all 64 KiB alive, and that is what the memory bound
/// is about. The queue only reports the level; acting on it is the owner's job.
///
/// Allocation: an emptied queue gives its scratch chunk back to the loop's `ScratchPool`, so
/// the steady state of small messages allocates nothing and an idle queue holds nothing.
public struct WriteQueue {
    /// Chunks in order; the first `head` entries are already sent and about to be dropped.
    private var chunks: [ByteBuffer] = []
    private var head = 0
    /// Whether the last chunk is a scratch buffer this queue made (safe to append to in place).
    private var tailIsScratch = false
    /// Where scratch chunks come from and go back to (nil: allocate and free each one).
    private let scratchPool: ScratchPool?
    /// Payloads at least this large are queued as they are instead of copied into scratch.
    public static let copyThreshold = 4096
    /// Capacity of a scratch chunk made without a pool.
    static let scratchCapacity = 8192

    /// Bytes queued and not yet accepted by the kernel.
    public private(set) var bufferedBytes = 0
    /// Memory the queued chunks keep alive: the capacity of each distinct block (adjacent
    /// slices of one block count once). Never less than `bufferedBytes`.
    public private(set) var heldBytes = 0
    /// Above this many held bytes, producers should pause.
    public private(set) var highWatermark: Int
    /// At or below this many held bytes, paused producers may resume.
    public private(set) var lowWatermark: Int

    public init(highWatermark: Int = 256 * 1024, lowWatermark: Int = 64 * 1024, scratchPool: ScratchPool? = nil) {
        precondition(lowWatermark <= highWatermark)
        self.highWatermark = highWatermark
        self.lowWatermark = lowWatermark
        self.scratchPool = scratchPool
    }

    /// `true` when nothing is waiting.
    public var isEmpty: Bool { bufferedBytes == 0 }
    /// `true` when producers should pause.
    public var isAboveHighWatermark: Bool { heldBytes > highWatermark }
    /// `true` when paused producers may resume.
    public var isAtOrBelowLowWatermark: Bool { heldBytes <= lowWatermark }

    /// Queues `buffer`'s readable bytes: copied into scratch if small, else queued as is.
    public mutating func enqueue(_ buffer: ByteBuffer) {
        guard !buffer.isEmpty else { return }
        if buffer.readableBytes < Self.copyThreshold {
            appendToScratch(minimumCapacity: buffer.readableBytes) { $0.writeBuffer(buffer) }
        } else {
            if chunks.count == head || !chunks[chunks.count - 1].sharesStorage(with: buffer) {
                heldBytes += buffer.capacity
            }
            chunks.append(buffer)
            tailIsScratch = false
            bufferedBytes += buffer.readableBytes
        }
    }

    /// Queues `buffer` as it is, however small: for bytes several queues share (a room's
    /// frames, encoded once), where a copy per queue is what sharing avoids.
    public mutating func enqueueShared(_ buffer: ByteBuffer) {
        guard !buffer.isEmpty else { return }
        if chunks.count == head || !chunks[chunks.count - 1].sharesStorage(with: buffer) {
            heldBytes += buffer.capacity
        }
        chunks.append(buffer)
        tailIsScratch = false
        bufferedBytes += buffer.readableBytes
    }

    /// Changes the watermarks (a room member's queue is bounded by `--room-queue`).
    public mutating func setWatermarks(high: Int, low: Int) {
        precondition(low <= high)
        highWatermark = high
        lowWatermark = low
    }

    /// Lets `body` append bytes (e.g. a frame header) straight into the scratch chunk.
    public mutating func appendToScratch(minimumCapacity: Int, _ body: (inout ByteBuffer) -> Void) {
        if !tailIsScratch || chunks.count == head {
            chunks.append(newScratch(minimumCapacity: minimumCapacity))
            tailIsScratch = true
            heldBytes += chunks[chunks.count - 1].capacity
        }
        let last = chunks.count - 1
        let before = (readable: chunks[last].readableBytes, capacity: chunks[last].capacity)
        body(&chunks[last])
        bufferedBytes += chunks[last].readableBytes - before.readable
        heldBytes += chunks[last].capacity - before.capacity
    }

    private func newScratch(minimumCapacity: Int) -> ByteBuffer {
        if let scratchPool, minimumCapacity <= scratchPool.bufferCapacity { return scratchPool.take() }
        return ByteBuffer(capacity: Swift.max(Self.scratchCapacity, minimumCapacity))
    }

    /// Writes as much as the descriptor takes now. Returns `true` when everything was sent,
    /// `false` when bytes remain (wait for writability and call again).
    public mutating func flush(to descriptor: FileDescriptor) throws(IOError) -> Bool {
        while bufferedBytes > 0 {
            guard case .processed(let written) = try writePending(to: descriptor) else { return false }
            consume(written)
            if written == 0 { return false }
        }
        return true
    }

    /// One `write` or `writev` of the pending chunks. A function of its own so the slice of
    /// `chunks` it passes is gone before `consume` mutates them (a live slice would make
    /// that mutation copy the whole array).
    private func writePending(to descriptor: FileDescriptor) throws(IOError) -> IOResult<Int> {
        if chunks.count - head == 1 {
            return try chunks[head].withUnsafeReadableBytes { (bytes) throws(IOError) in
                try descriptor.write(bytes)
            }
        }
        return try descriptor.writev(chunks[head...])
    }

    /// Drops everything queued (the peer is gone).
    public mutating func removeAll() {
        chunks = []
        head = 0
        bufferedBytes = 0
        heldBytes = 0
        tailIsScratch = false
    }

    private mutating func consume(_ count: Int) {
        var remaining = count
        bufferedBytes -= count
        while remaining > 0 {
            let available = chunks[head].readableBytes
            if remaining >= available {
                remaining -= available
                dropSentChunk()
            } else {
                chunks[head].moveReaderIndex(forwardBy: remaining)
                remaining = 0
            }
        }
        if head == chunks.count {
            chunks.removeAll(keepingCapacity: chunks.capacity <= 16)
            head = 0
            tailIsScratch = false
        } else if head >= 32 && head * 2 >= chunks.count {
            chunks.removeFirst(head)
            head = 0
        }
    }

    /// Forgets the fully sent chunk at `head`: its block stops counting unless the next chunk
    /// is a slice of the same block, and a spare scratch block goes back to the pool.
    private mutating func dropSentChunk() {
        let next = head + 1
        if next == chunks.count || !chunks[next].sharesStorage(with: chunks[head]) {
            heldBytes -= chunks[head].capacity
        }
        if let scratchPool {
            scratchPool.recycle(&chunks[head])
        } else {
            chunks[head] = ByteBuffer()
        }
        head = next
    }
}
