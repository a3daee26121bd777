import WSGateCore

/// A buffer a loop lends to one borrower at a time (its read buffer, its TLS plaintext buffer).
///
/// Why it exists: every connection on a loop reads through the same memory instead of keeping
/// a buffer of its own; the borrower gives the buffer back when done, so the next one reuses
/// its allocation.
struct LentBuffer {
    private var buffer: ByteBuffer

    init(capacity: Int = 0) {
        buffer = ByteBuffer(capacity: capacity)
    }

    /// The buffer, emptied (its memory kept when nothing else shares it).
    mutating func lend() -> ByteBuffer {
        var lent = buffer
        buffer = ByteBuffer()
        lent.clear()
        return lent
    }

    mutating func giveBack(_ returned: ByteBuffer) {
        buffer = returned
    }
}
