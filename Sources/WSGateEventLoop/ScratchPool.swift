public import WSGateCore

/// Spare scratch buffers for the write queues of one loop.
///
/// Why it exists: a write queue coalesces small writes into an 8 KiB scratch buffer. Keeping
/// that buffer while the queue is empty would cost 8 KiB per idle connection; freeing it would
/// cost two allocations per small message (the `--echo` steady state). So an emptied queue
/// hands its scratch back here and the next queue that needs one takes it. At most `limit`
/// buffers wait, so a burst that needed many scratch buffers does not hold them forever.
/// Loop-confined like everything the loop owns.
public final class ScratchPool {
    /// Capacity of every pooled buffer.
    public let bufferCapacity: Int
    /// How many spare buffers are kept at most.
    public let limit: Int
    private var spares: [ByteBuffer] = []

    public init(bufferCapacity: Int = 8192, limit: Int = 64) {
        self.bufferCapacity = bufferCapacity
        self.limit = limit
        spares.reserveCapacity(limit)
    }

    /// Spare buffers waiting (for tests).
    public var spareCount: Int { spares.count }

    /// An empty buffer of `bufferCapacity` bytes: a spare one when there is one.
    public func take() -> ByteBuffer {
        spares.popLast() ?? ByteBuffer(capacity: bufferCapacity)
    }

    /// Keeps `buffer`'s memory for reuse if nothing else uses it and it has the pooled size;
    /// `buffer` is left empty either way.
    public func recycle(_ buffer: inout ByteBuffer) {
        var spare = ByteBuffer()
        swap(&spare, &buffer)
        guard spares.count < limit, spare.capacity == bufferCapacity, spare.hasUniquelyOwnedStorage() else { return }
        spare.clear()
        spares.append(spare)
    }
}
