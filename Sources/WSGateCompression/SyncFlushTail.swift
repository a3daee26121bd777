import WSGateCore

/// The four octets `0x00 0x00 0xFF 0xFF` that end every sync flush: the LEN and NLEN of an
/// empty stored block.
///
/// Why it exists: RFC 7692 removes them from each compressed message (§7.2.1) and the receiver
/// puts them back (§7.2.2); both sides must agree on the same bytes.
enum SyncFlushTail {
    /// The tail as a buffer; queued by the inflater after each message (never written to).
    static let buffer = ByteBuffer(bytes: [0x00, 0x00, 0xFF, 0xFF])

    /// `true` when `bytes` ends with the tail.
    static func ends(_ bytes: ByteBuffer) -> Bool {
        bytes.readableBytes >= 4 && bytes.getInteger(at: bytes.readableBytes - 4, as: UInt32.self) == 0x0000_FFFF
    }
}
