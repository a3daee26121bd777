import COpenSSL
import CWSGateTLS

/// The BIO a `TLSEngine` gives OpenSSL: reads take the ciphertext lent to the engine's
/// `receive`, writes append to the engine's outgoing buffer.
///
/// Why it exists: OpenSSL's memory BIO keeps its own growing buffer, zeroes each area before
/// copying into it and wipes it when freed, so every byte crossed it with a memset and two
/// copies, and a connection kept the largest burst's buffer. This one holds nothing: OpenSSL
/// copies ciphertext straight from the loop's read buffer into its record buffer, and writes
/// records straight into the buffer the transport queues (one copy per direction fewer, no
/// memset, no wipe, no memory kept between calls).
enum CiphertextChannel {
    /// The BIO type, made once per process (it is never freed: every engine's BIO uses it).
    nonisolated(unsafe) static let method: OpaquePointer = makeMethod()

    /// A BIO reporting to `engine`, which must outlive it (the engine's `SSL` owns it).
    static func makeBIO(for engine: TLSEngine) -> OpaquePointer? {
        guard let bio = BIO_new(method) else { return nil }
        BIO_set_data(bio, Unmanaged.passUnretained(engine).toOpaque())
        BIO_set_init(bio, 1)
        return bio
    }

    private static func makeMethod() -> OpaquePointer {
        let type = BIO_get_new_index() | BIO_TYPE_SOURCE_SINK
        guard let method = BIO_meth_new(type, "wsgate ciphertext channel"),
              BIO_meth_set_read_ex(method, read) == 1,
              BIO_meth_set_write_ex(method, write) == 1,
              BIO_meth_set_ctrl(method, control) == 1
        else { fatalError("OpenSSL refused a BIO method (out of memory)") }
        return method
    }

    private static func engine(of bio: OpaquePointer?) -> TLSEngine {
        Unmanaged<TLSEngine>.fromOpaque(BIO_get_data(bio)!).takeUnretainedValue()
    }

    /// Ciphertext from the peer: what is left of the lent bytes, or "retry" (want read).
    private static let read: @convention(c) (OpaquePointer?, UnsafeMutablePointer<CChar>?, Int, UnsafeMutablePointer<Int>?)
        -> Int32 = { bio, destination, wanted, count in
            CWSGateTLS_BIO_clear_retry_flags(bio)
            let taken = engine(of: bio).takeLentCiphertext(into: UnsafeMutableRawPointer(destination), upTo: wanted)
            count?.pointee = taken
            if taken > 0 { return 1 }
            CWSGateTLS_BIO_set_retry_read(bio)
            return 0
        }

    /// Ciphertext for the peer: always taken whole (the transport's write queue bounds it).
    private static let write: @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, Int, UnsafeMutablePointer<Int>?)
        -> Int32 = { bio, source, length, count in
            CWSGateTLS_BIO_clear_retry_flags(bio)
            engine(of: bio).appendOutgoingCiphertext(UnsafeRawBufferPointer(start: source, count: length))
            count?.pointee = length
            return 1
        }

    /// The few questions OpenSSL asks a source/sink BIO.
    private static let control: @convention(c) (OpaquePointer?, Int32, Int, UnsafeMutableRawPointer?) -> Int = {
        bio, command, _, _ in
        switch command {
        case BIO_CTRL_FLUSH: 1  // nothing is held back
        case BIO_CTRL_PENDING: engine(of: bio).lentCiphertextBytes
        case BIO_CTRL_WPENDING: engine(of: bio).pendingCiphertextBytes
        default: 0  // not supported (end of file: never, the transport sees the peer's FIN)
        }
    }
}
