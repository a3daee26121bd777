// MARK: - Appending bytes, integers and strings

extension ByteBuffer {
    /// Appends raw bytes.
    public mutating func writeBytes(_ bytes: UnsafeRawBufferPointer) {
        guard bytes.count > 0 else { return }
        reserveWritableBytes(bytes.count)
        (storage.unsafelyUnwrapped.pointer + writerIndex).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
        moveWriterIndex(forwardBy: bytes.count)
    }

    /// Appends a sequence of bytes (contiguous collections are copied in one step).
    public mutating func writeBytes(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { writeBytes(UnsafeRawBufferPointer($0)) }
        if done != nil { return }
        reserveWritableBytes(bytes.underestimatedCount)
        for byte in bytes { writeInteger(byte) }
    }

    /// Appends the readable bytes of another buffer (the other buffer is not changed).
    public mutating func writeBuffer(_ other: ByteBuffer) {
        other.withUnsafeReadableBytes { writeBytes($0) }
    }

    /// Appends the UTF-8 bytes of `string`.
    public mutating func writeString(_ string: String) {
        var string = string
        string.withUTF8 { writeBytes(UnsafeRawBufferPointer($0)) }
    }

    /// Appends `value` in network (big-endian) byte order, as every wire format here uses.
    public mutating func writeInteger<T: FixedWidthInteger>(_ value: T) {
        let size = MemoryLayout<T>.size
        reserveWritableBytes(size)
        (storage.unsafelyUnwrapped.pointer + writerIndex).storeBytes(of: value.bigEndian, toByteOffset: 0, as: T.self)
        moveWriterIndex(forwardBy: size)
    }
}

// MARK: - Reading

extension ByteBuffer {
    /// Reads a big-endian integer, or returns nil (consuming nothing) if too few bytes are left.
    public mutating func readInteger<T: FixedWidthInteger>(as: T.Type = T.self) -> T? {
        guard let value = getInteger(at: 0, as: T.self) else { return nil }
        readerIndex += MemoryLayout<T>.size
        return value
    }

    /// The big-endian integer `offset` bytes after the reader index, without consuming it.
    @inlinable public func getInteger<T: FixedWidthInteger>(at offset: Int, as: T.Type = T.self) -> T? {
        let size = MemoryLayout<T>.size
        guard offset >= 0, offset <= readableBytes - size else { return nil }
        return T(bigEndian: (storage.unsafelyUnwrapped.pointer + readerIndex + offset).loadUnaligned(as: T.self))
    }

    /// The byte `offset` bytes after the reader index.
    @inlinable public subscript(offset: Int) -> UInt8 {
        precondition(offset >= 0 && offset < readableBytes, "index out of the readable bytes")
        return storage.unsafelyUnwrapped.pointer.load(fromByteOffset: readerIndex + offset, as: UInt8.self)
    }

    /// Consumes and returns `count` bytes as an array, or nil if fewer are readable.
    public mutating func readBytes(_ count: Int) -> [UInt8]? {
        guard count >= 0, count <= readableBytes else { return nil }
        let bytes = [UInt8](unsafeUninitializedCapacity: count) { array, initialized in
            if count > 0 {
                UnsafeMutableRawPointer(array.baseAddress!).copyMemory(from: storage.unsafelyUnwrapped.pointer + readerIndex, byteCount: count)
            }
            initialized = count
        }
        readerIndex += count
        return bytes
    }

    /// Consumes `count` bytes and returns them as a buffer that shares this one's storage
    /// (no copy until one of them is written to), or nil if fewer are readable.
    public mutating func readSlice(_ count: Int) -> ByteBuffer? {
        guard count >= 0, count <= readableBytes else { return nil }
        var slice = self
        slice.readerIndex = readerIndex
        slice.writerIndex = readerIndex + count
        readerIndex += count
        return slice
    }

    /// Consumes `count` bytes and returns them decoded as UTF-8 (invalid sequences repaired).
    public mutating func readString(_ count: Int) -> String? {
        guard count >= 0, count <= readableBytes else { return nil }
        let string = withUnsafeReadableBytes { String(decoding: $0.prefix(count), as: UTF8.self) }
        readerIndex += count
        return string
    }

    /// Every readable byte, copied into an array (for tests and small values).
    public var readableBytesArray: [UInt8] {
        withUnsafeReadableBytes { [UInt8]($0) }
    }
}

// MARK: - Comparison and printing

extension ByteBuffer: Equatable {
    /// Two buffers are equal when their readable bytes are equal.
    public static func == (lhs: ByteBuffer, rhs: ByteBuffer) -> Bool {
        guard lhs.readableBytes == rhs.readableBytes else { return false }
        return lhs.withUnsafeReadableBytes { a in
            rhs.withUnsafeReadableBytes { b in
                a.count == 0 || memcmpEqual(a.baseAddress!, b.baseAddress!, a.count)
            }
        }
    }
}

/// Byte-wise equality without importing libc into this pure target.
@usableFromInline func memcmpEqual(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
    var i = 0
    while i + 8 <= count {
        if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
            return false
        }
        i += 8
    }
    while i < count {
        if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
        i += 1
    }
    return true
}

extension ByteBuffer: CustomStringConvertible {
    /// A short summary: indices, capacity and the first bytes in hex.
    public var description: String {
        let hex = withUnsafeReadableBytes { bytes in
            bytes.prefix(32).map { byte in
                let s = String(byte, radix: 16)
                return byte < 16 ? "0" + s : s
            }.joined(separator: " ")
        }
        return "ByteBuffer(r: \(readerIndex), w: \(writerIndex), cap: \(capacity), [\(hex)\(readableBytes > 32 ? " …" : "")])"
    }
}
