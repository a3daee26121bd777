// MARK: - Asking whether in-place writes would copy

extension ByteBuffer {
    /// `true` when no other `ByteBuffer` (a copy or a `readSlice`) shares this buffer's storage,
    /// so `withUnsafeMutableReadableBytes` will write in place instead of copying every
    /// readable byte first.
    ///
    /// Why it exists: the WebSocket decoder unmasks payload in place. When the read buffer is
    /// owned alone it unmasks there and hands out a slice (zero copies); when an earlier slice
    /// is still alive, unmasking the read buffer would copy ALL of its readable bytes (for
    /// every frame: quadratic), so it unmasks only the slice instead (one copy of that chunk).
    public mutating func hasUniquelyOwnedStorage() -> Bool {
        isKnownUniquelyReferenced(&storage)
    }

    /// `true` when both are views of the same block: a slice keeps its whole block alive,
    /// which is what a write queue's memory accounting must count.
    public func sharesStorage(with other: ByteBuffer) -> Bool { storage === other.storage }
}
