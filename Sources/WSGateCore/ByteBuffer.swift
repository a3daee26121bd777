/// A growable run of bytes with a read position and a write position.
///
/// Why it exists: the gateway moves bytes between sockets, pipes and codecs all day, and it must
/// do so without Foundation (`Data` drags in ~12 MB) and without the per-byte bounds checks and
/// zero-filling of `[UInt8]`. A `ByteBuffer` owns one heap block: `read(2)` writes straight into
/// its spare capacity, codecs parse and unmask its readable bytes in place, and `writev(2)`
/// sends them without a copy.
///
/// Layout: `0 ..< readerIndex` is consumed, `readerIndex ..< writerIndex` is readable,
/// `writerIndex ..< capacity` is writable.
///
/// It is a value type with copy-on-write storage: copying a buffer is cheap, and the first write
/// to a shared copy duplicates only its readable bytes. It must not be used to share mutable
/// state between threads (each copy is independent, like `Array`).
public struct ByteBuffer: @unchecked Sendable {
    // @unchecked: `storage` is never mutated unless uniquely referenced (copy-on-write), so a
    // copy handed to another thread cannot observe changes, exactly as with Array.
    /// nil for a buffer that never had capacity: empty buffers are made all the time (every
    /// `ByteBuffer()`, every recycled scratch buffer), and one shared empty block cost a lazy
    /// global's check and an atomic reference count written by every loop's CPU.
    @usableFromInline var storage: ByteStorage?
    /// Index of the first readable byte.
    public internal(set) var readerIndex: Int
    /// Index one past the last readable byte; the first writable byte.
    public internal(set) var writerIndex: Int

    /// An empty buffer with room for `capacity` bytes (no allocation when `capacity` is 0).
    public init(capacity: Int = 0) {
        storage = capacity == 0 ? nil : ByteStorage(capacity: capacity)
        readerIndex = 0
        writerIndex = 0
    }

    /// A buffer holding exactly `bytes`.
    public init(bytes: some Sequence<UInt8>) {
        self.init(capacity: bytes.underestimatedCount)
        writeBytes(bytes)
    }

    /// A buffer holding the UTF-8 bytes of `string`.
    public init(string: String) {
        self.init(capacity: string.utf8.count)
        writeString(string)
    }

    /// Bytes between the reader and the writer index.
    @inlinable public var readableBytes: Int { writerIndex - readerIndex }
    /// `true` when nothing is left to read.
    @inlinable public var isEmpty: Bool { writerIndex == readerIndex }
    /// Bytes that can be written before the storage must grow.
    @inlinable public var writableBytes: Int { capacity - writerIndex }
    /// Size of the allocated block.
    @inlinable public var capacity: Int { storage?.capacity ?? 0 }
    /// The start of the block (nil when there is none, and then no byte is readable or
    /// writable).
    @inlinable var base: UnsafeMutableRawPointer? { storage?.pointer }

    // MARK: - Storage management

    /// Makes sure at least `count` bytes can be written without another allocation, moving the
    /// readable bytes to the front (dropping consumed bytes) when that is cheaper than growing.
    public mutating func reserveWritableBytes(_ count: Int) {
        precondition(count >= 0, "negative reservation")
        if count == 0 { return }
        let unique = isKnownUniquelyReferenced(&storage)
        if unique && writableBytes >= count { return }
        let readable = readableBytes
        let (needed, overflow) = readable.addingReportingOverflow(count)
        precondition(!overflow, "reservation of \(count) bytes overflows")
        if unique, let base, capacity >= needed, readerIndex > 0 {
            // Enough room once the consumed prefix is gone: slide the readable bytes down.
            base.copyMemory(from: base + readerIndex, byteCount: readable)
        } else {
            let fresh = ByteStorage(capacity: Self.grownCapacity(from: capacity, toHold: needed))
            if let base { fresh.pointer.copyMemory(from: base + readerIndex, byteCount: readable) }
            storage = fresh
        }
        readerIndex = 0
        writerIndex = readable
    }

    /// The capacity to grow to: doubling (so appends cost amortised O(1)), never past what
    /// `needed` asks for once doubling would overflow.
    static func grownCapacity(from current: Int, toHold needed: Int) -> Int {
        var capacity = Swift.max(current, 64)
        while capacity < needed {
            let (doubled, overflow) = capacity.multipliedReportingOverflow(by: 2)
            capacity = overflow ? needed : doubled
        }
        return capacity
    }

    /// Forgets every byte; keeps the allocation when this copy owns it alone.
    public mutating func clear() {
        if !isKnownUniquelyReferenced(&storage) { storage = nil }
        readerIndex = 0
        writerIndex = 0
    }

    /// Drops the consumed prefix so the readable bytes start at index 0.
    public mutating func discardReadBytes() {
        guard readerIndex > 0 else { return }
        if readerIndex == writerIndex, isKnownUniquelyReferenced(&storage) {
            readerIndex = 0
            writerIndex = 0
            return
        }
        reserveWritableBytes(capacity - readableBytes)
    }

    /// Releases the allocation if it is larger than `limit` and nothing is left to read, so an
    /// idle connection does not keep the memory of its largest burst.
    public mutating func shrinkIfEmpty(above limit: Int) {
        if isEmpty && capacity > limit {
            self = ByteBuffer()
        } else if isEmpty {
            readerIndex = 0
            writerIndex = 0
        }
    }

    // MARK: - Moving the indices

    /// Marks `count` readable bytes as consumed.
    public mutating func moveReaderIndex(forwardBy count: Int) {
        precondition(count >= 0 && count <= readableBytes, "reader index moved past the writer index")
        readerIndex += count
    }

    /// Marks `count` bytes of the writable area as written (after filling them in place).
    public mutating func moveWriterIndex(forwardBy count: Int) {
        precondition(count >= 0 && count <= writableBytes, "writer index moved past the capacity")
        writerIndex += count
    }

    // MARK: - Raw access

    /// Calls `body` with the readable bytes.
    @inlinable public func withUnsafeReadableBytes<R, E: Error>(
        _ body: (UnsafeRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        try body(UnsafeRawBufferPointer(start: base.map { $0 + readerIndex }, count: readableBytes))
    }

    /// Calls `body` with the readable bytes, writable in place (e.g. to unmask a payload).
    public mutating func withUnsafeMutableReadableBytes<R, E: Error>(
        _ body: (UnsafeMutableRawBufferPointer) throws(E) -> R
    ) throws(E) -> R {
        makeUnique()
        return try body(UnsafeMutableRawBufferPointer(start: base.map { $0 + readerIndex }, count: readableBytes))
    }

    /// Lets `body` fill up to `minimumWritableBytes` (or more, if room exists) of the writable
    /// area; `body` returns how many bytes it wrote, which become readable.
    public mutating func writeWithUnsafeMutableBytes<E: Error>(
        minimumWritableBytes: Int,
        _ body: (UnsafeMutableRawBufferPointer) throws(E) -> Int
    ) throws(E) -> Int {
        // Even with a zero minimum, the area handed out must not be shared with a copy or slice.
        let mustCopy = !isKnownUniquelyReferenced(&storage)
        reserveWritableBytes(Swift.max(minimumWritableBytes, mustCopy ? 1 : 0))
        let area = UnsafeMutableRawBufferPointer(start: base.map { $0 + writerIndex }, count: writableBytes)
        let written = try body(area)
        moveWriterIndex(forwardBy: written)
        return written
    }

    @usableFromInline mutating func makeUnique() {
        if readableBytes > 0 && !isKnownUniquelyReferenced(&storage) {
            let fresh = ByteStorage(capacity: readableBytes)
            fresh.pointer.copyMemory(from: storage.unsafelyUnwrapped.pointer + readerIndex, byteCount: readableBytes)
            storage = fresh
            writerIndex = readableBytes
            readerIndex = 0
        }
    }
}

/// The heap block behind a `ByteBuffer`; freed when the last buffer using it goes away.
@usableFromInline final class ByteStorage: @unchecked Sendable {
    // @unchecked: the bytes behind `pointer` are only written through a ByteBuffer that holds
    // the sole reference (see ByteBuffer's copy-on-write).
    @usableFromInline let pointer: UnsafeMutableRawPointer
    @usableFromInline let capacity: Int

    @usableFromInline init(capacity: Int) {
        self.capacity = capacity
        pointer = UnsafeMutableRawPointer.allocate(byteCount: Swift.max(capacity, 1), alignment: 16)
    }

    deinit { pointer.deallocate() }
}
