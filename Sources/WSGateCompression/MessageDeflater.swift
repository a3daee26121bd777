public import WSGateCore
import CZlib

/// Compresses whole outgoing messages for permessage-deflate.
///
/// Why it exists: RFC 7692 §7.2.1 turns a message's payload into DEFLATE blocks that end with a
/// sync flush whose 4-octet tail is then removed. This class owns the zlib stream that does it
/// and keeps it between messages only under context takeover (§7.1.1), so a connection that
/// agreed to `server_no_context_takeover`, or has not sent a message yet, holds no zlib memory.
/// Under context takeover an idle connection can `hibernate`: zlib's state (about 256 KiB with
/// a 15-bit window) is freed and only the window's bytes (at most 32 KiB) are kept.
///
/// Not thread-safe: one connection's loop uses it.
public final class MessageDeflater {
    private let windowBits: Int32
    private let memLevel: Int32
    private let level: Int32
    private let noContextTakeover: Bool
    /// Without context takeover: reset the stream after a message instead of freeing it (a
    /// busy deflater, such as a room's, then does not allocate for every message).
    private let keepsStateWithoutContext: Bool
    /// nil until a message needs it, and again after each message without context takeover.
    private var stream: UnsafeMutablePointer<z_stream>?
    /// What `hibernate` kept of the window: the next message's stream starts from it.
    private var hibernatedWindow: [UInt8]?

    /// - Parameters:
    ///   - windowBits: the negotiated `server_max_window_bits` (or `client_max_window_bits` for
    ///     a client), 8...15 (§7.1.2).
    ///   - memLevel: zlib's memory level, 1...9. 5 (zlib's default is 8) makes the hash table
    ///     8 KiB instead of 64 KiB, and the pending buffer 8 KiB instead of 64 KiB; on 4 KiB
    ///     JSON messages it compresses within 1 % of 8, at the same speed.
    ///   - level: 0...9; 6 is zlib's default (`Z_DEFAULT_COMPRESSION`).
    ///   - noContextTakeover: the negotiated `server_no_context_takeover` (§7.1.1.1): each
    ///     message is compressed with a fresh window.
    ///   - keepsStateWithoutContext: with `noContextTakeover`, keep zlib's state between messages
    ///     (reset, not freed).
    public init(windowBits: Int, memLevel: Int = 5, level: Int = 6, noContextTakeover: Bool,
                keepsStateWithoutContext: Bool = false) {
        precondition((8...15).contains(windowBits), "window bits \(windowBits) outside 8...15")
        precondition((1...9).contains(memLevel), "memory level \(memLevel) outside 1...9")
        precondition((0...9).contains(level), "compression level \(level) outside 0...9")
        // zlib refuses a 256-byte window for raw deflate. A 512-byte one never refers back more
        // than 250 octets (zlib keeps MIN_LOOKAHEAD = 262 octets of it for lookahead), so a peer
        // that inflates with an 8-bit window still decodes every message.
        self.windowBits = Int32(max(windowBits, 9))
        self.memLevel = Int32(memLevel)
        self.level = Int32(level)
        self.noContextTakeover = noContextTakeover
        self.keepsStateWithoutContext = keepsStateWithoutContext
    }

    deinit { release() }

    /// `true` while zlib state is allocated (for tests of the lazy allocation).
    package var holdsZlibState: Bool { stream != nil }

    /// The payload of the compressed message (RSV1 set) that carries `message`, or nil when zlib
    /// has no memory for its state: the caller then sends `message` uncompressed (RSV1 clear),
    /// which §6 allows for any message. zlib reports a lack of memory only when its state is
    /// allocated, never in the middle of compressing.
    public func compress(_ message: ByteBuffer) -> ByteBuffer? {
        // §7.2.3.6: an empty message is one empty stored block, 0x00 once the tail is removed.
        // (zlib would report Z_BUF_ERROR for a flush with nothing new after a flush.)
        if message.isEmpty { return ByteBuffer(bytes: [0x00]) }
        guard let stream = openedStream() else { return nil }
        defer {
            if noContextTakeover {
                if keepsStateWithoutContext { _ = deflateReset(stream) } else { release() }
            }
        }
        // Text usually shrinks to a third or less; incompressible data grows the buffer once.
        var output = ByteBuffer(capacity: message.readableBytes / 2 + 64)
        message.withUnsafeReadableBytes { input in
            let bytes = input.bindMemory(to: UInt8.self)
            var offset = 0
            repeat {
                // avail_in is 32 bits wide.
                let count = min(bytes.count - offset, Int(UInt32.max))
                stream.pointee.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress! + offset)
                stream.pointee.avail_in = UInt32(count)
                offset += count
                // §7.2.1: the message ends with a sync flush (an empty stored block).
                deflateAll(stream, flush: offset == bytes.count ? Z_SYNC_FLUSH : Z_NO_FLUSH, into: &output)
            } while offset < bytes.count
        }
        // §7.2.1: remove the 0x00 0x00 0xFF 0xFF that the sync flush ends with.
        assert(SyncFlushTail.ends(output), "a sync flush that does not end with 00 00 FF FF: \(output)")
        return output.readSlice(output.readableBytes - 4)
    }

    /// Runs deflate over the stream's input, doubling `output` while zlib fills it.
    private func deflateAll(_ stream: UnsafeMutablePointer<z_stream>, flush: Int32, into output: inout ByteBuffer) {
        repeat {
            let minimum = output.writableBytes > 0 ? 1 : max(output.readableBytes, 64)
            _ = output.writeWithUnsafeMutableBytes(minimumWritableBytes: minimum) { area in
                let room = min(area.count, Int(UInt32.max))
                stream.pointee.next_out = area.bindMemory(to: UInt8.self).baseAddress
                stream.pointee.avail_out = UInt32(room)
                let status = deflate(stream, flush)
                // Z_BUF_ERROR: nothing left to do. Anything else would be a corrupted stream.
                precondition(status == Z_OK || status == Z_BUF_ERROR, "deflate failed with zlib status \(status)")
                return room - Int(stream.pointee.avail_out)
            }
        } while stream.pointee.avail_out == 0
    }

    /// Frees zlib's state but keeps the window's bytes, so the next message may still refer back
    /// to what was sent before it (context takeover holds: the peer's inflater has the same
    /// bytes at the same distances). Costs the next message a rebuild from those bytes. Does
    /// nothing without context takeover or without state.
    public func hibernate() {
        guard !noContextTakeover, let stream else { return }
        var window = [UInt8](repeating: 0, count: 1 << Int(windowBits))
        var length: UInt32 = 0
        let status = window.withUnsafeMutableBufferPointer { deflateGetDictionary(stream, $0.baseAddress, &length) }
        precondition(status == Z_OK, "deflateGetDictionary failed with zlib status \(status)")
        window.removeSubrange(Int(length)...)
        release()
        hibernatedWindow = window
    }

    /// Bytes held while hibernating (for tests and memory accounting).
    package var hibernatedBytes: Int { hibernatedWindow?.count ?? 0 }

    private func openedStream() -> UnsafeMutablePointer<z_stream>? {
        if let stream { return stream }
        guard let opened = ZStream.open("deflateInit2", { czlib_deflate_init_raw($0, level, windowBits, memLevel) }) else {
            return nil
        }
        if let window = hibernatedWindow {
            hibernatedWindow = nil
            let status = window.withUnsafeBufferPointer { deflateSetDictionary(opened, $0.baseAddress, UInt32($0.count)) }
            precondition(status == Z_OK, "deflateSetDictionary failed with zlib status \(status)")
        }
        stream = opened
        return opened
    }

    private func release() {
        guard let stream else { return }
        ZStream.close(stream) { deflateEnd($0) }
        self.stream = nil
    }
}
