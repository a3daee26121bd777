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
/// Backpressure: `bufferedBytes` crossing `highWatermark` means "stop producing for me" (the
/// relay turns the opposite side's read interest off); falling to `lowWatermark` means "resume".
/// The queue only reports the level; acting on it is the owner's job.
public struct WriteQueue {
    /// Chunks in order; the first `head` entries are already sent and about to be dropped.
    private var chunks: [ByteBuffer] = []
    private var head = 0
    /// Whether the last chunk is a scratch buffer this queue made (safe to append to in place).
    private var tailIsScratch = false
    /// Payloads at least this large are queued as they are instead of copied into scratch.
    public static let copyThreshold = 4096
    private static let scratchCapacity = 8192

    /// Bytes queued and not yet accepted by the kernel.
    public private(set) var bufferedBytes = 0
    /// Above this many buffered bytes, producers should pause.
    public let highWatermark: Int
    /// At or below this many buffered bytes, paused producers may resume.
    public let lowWatermark: Int

    public init(highWatermark: Int = 256 * 1024, lowWatermark: Int = 64 * 1024) {
        precondition(lowWatermark <= highWatermark)
        self.highWatermark = highWatermark
        self.lowWatermark = lowWatermark
    }

    /// `true` when nothing is waiting.
    public var isEmpty: Bool { bufferedBytes == 0 }
    /// `true` when producers should pause.
    public var isAboveHighWatermark: Bool { bufferedBytes > highWatermark }
    /// `true` when paused producers may resume.
    public var isAtOrBelowLowWatermark: Bool { bufferedBytes <= lowWatermark }

    /// Queues `buffer`'s readable bytes: copied into scratch if small, else queued as is.
    public mutating func enqueue(_ buffer: ByteBuffer) {
        guard !buffer.isEmpty else { return }
        if buffer.readableBytes < Self.copyThreshold {
            appendToScratch(minimumCapacity: buffer.readableBytes) { $0.writeBuffer(buffer) }
        } else {
            chunks.append(buffer)
            tailIsScratch = false
            bufferedBytes += buffer.readableBytes
        }
    }

    /// Lets `body` append bytes (e.g. a frame header) straight into the scratch chunk.
    public mutating func appendToScratch(minimumCapacity: Int, _ body: (inout ByteBuffer) -> Void) {
        if !tailIsScratch || chunks.count == head {
            chunks.append(ByteBuffer(capacity: Swift.max(Self.scratchCapacity, minimumCapacity)))
            tailIsScratch = true
        }
        let last = chunks.count - 1
        let before = chunks[last].readableBytes
        body(&chunks[last])
        bufferedBytes += chunks[last].readableBytes - before
    }

    /// Writes as much as the descriptor takes now. Returns `true` when everything was sent,
    /// `false` when bytes remain (wait for writability and call again).
    public mutating func flush(to descriptor: FileDescriptor) throws(IOError) -> Bool {
        while bufferedBytes > 0 {
            let pending = chunks[head...]
            let result: IOResult<Int>
            if pending.count == 1 {
                result = try pending.first!.withUnsafeReadableBytes { (bytes) throws(IOError) in
                    try descriptor.write(bytes)
                }
            } else {
                result = try descriptor.writev(pending)
            }
            guard case .processed(let written) = result else { return false }
            consume(written)
            if written == 0 { return false }
        }
        return true
    }

    /// Drops everything queued (the peer is gone).
    public mutating func removeAll() {
        chunks = []
        head = 0
        bufferedBytes = 0
        tailIsScratch = false
    }

    private mutating func consume(_ count: Int) {
        var remaining = count
        bufferedBytes -= count
        while remaining > 0 {
            let available = chunks[head].readableBytes
            if remaining >= available {
                remaining -= available
                chunks[head] = ByteBuffer()
                head += 1
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
}
