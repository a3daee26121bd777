import WSGateCore

/// The compressed bytes queued for the message being inflated and not yet taken by zlib.
///
/// Why it exists: the session hands over slices of its read buffer as frames arrive and may
/// stop asking for output at any point; keeping the slices (no copy) until zlib has consumed
/// them is what lets inflation pause in the middle of a message.
struct CompressedInput {
    private var chunks: [ByteBuffer] = []
    /// Index of the first chunk with unconsumed bytes (consumed ones are dropped, not removed,
    /// so taking from the front costs O(1)).
    private var head = 0

    var isEmpty: Bool { head == chunks.count }

    /// `true` when all that is left is exactly `bytes`.
    func isExactly(_ bytes: ByteBuffer) -> Bool { head == chunks.count - 1 && chunks[head] == bytes }

    mutating func append(_ chunk: ByteBuffer) {
        if !chunk.isEmpty { chunks.append(chunk) }
    }

    /// Calls `body` with the first unconsumed bytes (an empty buffer when none are queued) and
    /// consumes as many as it returns.
    mutating func consumeFront<E: Error>(_ body: (UnsafeRawBufferPointer) throws(E) -> Int) throws(E) {
        if isEmpty {
            _ = try body(UnsafeRawBufferPointer(start: nil, count: 0))
            return
        }
        let consumed = try chunks[head].withUnsafeReadableBytes { bytes throws(E) in try body(bytes) }
        chunks[head].moveReaderIndex(forwardBy: consumed)
        guard chunks[head].isEmpty else { return }
        chunks[head] = ByteBuffer() // lets the read buffer's block go as soon as possible
        head += 1
        if isEmpty { removeAll() }
    }

    mutating func removeAll() {
        chunks.removeAll(keepingCapacity: chunks.capacity <= 16)
        head = 0
    }
}
