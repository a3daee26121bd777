import CZlib

/// Allocation and release of a `z_stream`, shared by the deflater and the inflater.
///
/// Why it exists: zlib keeps a pointer back to its `z_stream` and refuses calls made through a
/// moved copy, so the struct needs a heap block of its own (a Swift stored property may move).
/// Both codecs open one only when a message needs it and close it as soon as they may.
enum ZStream {
    /// A zeroed stream set up by `initialize` (deflateInit2 or inflateInit2), or nil when zlib
    /// found no memory for its state.
    static func open(_ what: StaticString, _ initialize: (UnsafeMutablePointer<z_stream>) -> Int32)
        -> UnsafeMutablePointer<z_stream>? {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = initialize(stream)
        if status == Z_OK { return stream }
        // Z_STREAM_ERROR (bad parameters) or Z_VERSION_ERROR: a bug or a broken install.
        precondition(status == Z_MEM_ERROR, "\(what) failed with zlib status \(status)")
        stream.deinitialize(count: 1)
        stream.deallocate()
        return nil
    }

    /// Frees zlib's state with `end` (deflateEnd or inflateEnd), then the block itself.
    static func close(_ stream: UnsafeMutablePointer<z_stream>, _ end: (UnsafeMutablePointer<z_stream>) -> Int32) {
        // Ignored: Z_DATA_ERROR only says that unsent output or input was dropped.
        _ = end(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }
}
