public import WSGateCore
import CZlib

/// Inflates incoming compressed messages in pieces of bounded size.
///
/// Why it exists: a small compressed message can expand enormously (a 1 MiB payload can hold
/// 1 GiB of zeros). Handing out pieces no larger than the caller asks for lets the caller stop
/// at its message-size limit before the memory is spent, and lets a session whose backend is
/// full pause in the middle of a message and resume later. The zlib state is allocated by the
/// first message and, without context takeover (RFC 7692 §7.1.1), freed after each message.
///
/// After an `InflateError` the inflater holds no zlib state, ignores what is fed and keeps
/// throwing that error until `reset()`; the caller is expected to close the connection.
///
/// Not thread-safe: one connection's loop uses it.
public final class MessageInflater {
    /// The most one piece holds, whatever `maxBytes` allows. zlib writes into a scratch area of
    /// this size and each piece is a copy of what came out, so a piece allocates exactly its size.
    public static let largestPiece = 16 * 1024

    private let windowBits: Int32
    private let noContextTakeover: Bool
    /// nil until a message needs it, and again after each message without context takeover.
    private var stream: UnsafeMutablePointer<z_stream>?
    /// Where zlib writes a piece; allocated and freed with `stream`.
    private var scratch = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    private var input = CompressedInput()
    /// `finishMessage` was called: the message ends once its input (the tail too) is consumed.
    private var messageFinished = false
    /// The last piece was full, so zlib may hold more output for bytes it already consumed.
    private var outputMayBePending = false
    /// The stream stands between two blocks, the only place where a message may end.
    private var atBlockBoundary = true
    private var failure: InflateError?
    /// An error zlib found after a piece's bytes came out: thrown by the next call, so the
    /// bytes before the corrupt spot always come out first, however the input was cut.
    private var failureAfterPiece: InflateError?

    /// - Parameters:
    ///   - windowBits: the negotiated `client_max_window_bits` (or `server_max_window_bits` for
    ///     a client), 8...15 (§7.1.2); data that refers back further is `.corruptData`.
    ///   - noContextTakeover: the negotiated `client_no_context_takeover` (§7.1.1.2): each
    ///     message starts with an empty window.
    public init(windowBits: Int, noContextTakeover: Bool) {
        precondition((8...15).contains(windowBits), "window bits \(windowBits) outside 8...15")
        self.windowBits = Int32(windowBits)
        self.noContextTakeover = noContextTakeover
    }

    deinit { release() }

    /// `true` while zlib state is allocated (for tests of the lazy allocation).
    package var holdsZlibState: Bool { stream != nil }

    /// `true` while `nextPiece` may still return bytes of what was fed: compressed bytes zlib has
    /// not consumed yet, or output it may hold back because the last piece was full.
    public var hasQueuedInput: Bool { !input.isEmpty || outputMayBePending || failureAfterPiece != nil }

    /// Queues compressed bytes of the current message (a slice of the read buffer; kept, not
    /// copied, until consumed).
    public func feed(_ chunk: ByteBuffer) {
        precondition(!messageFinished, "feed after finishMessage: take the message's pieces until nil first")
        if failure == nil { input.append(chunk) }
    }

    /// The message's compressed data is complete: queues the 0x00 0x00 0xFF 0xFF tail (§7.2.2).
    public func finishMessage() {
        precondition(!messageFinished, "finishMessage twice for one message")
        if failure != nil { return }
        input.append(SyncFlushTail.buffer)
        messageFinished = true
    }

    /// The next piece of inflated bytes, at most `maxBytes` (> 0) and `largestPiece`, or nil
    /// when every queued byte is consumed and nothing more comes out until more is fed. After
    /// `finishMessage`, nil means the message is over: the inflater is ready for the next one
    /// and, without context takeover, holds no zlib state.
    public func nextPiece(maxBytes: Int) throws(InflateError) -> ByteBuffer? {
        precondition(maxBytes > 0, "a piece of at most \(maxBytes) bytes")
        if let failure { throw failure }
        guard hasQueuedInput else { return nil }
        do throws(InflateError) {
            if let failureAfterPiece { throw failureAfterPiece }
            let stream = try openedStream()
            let room = min(maxBytes, Self.largestPiece)
            let produced = try inflateIntoScratch(stream, room: room)
            var piece: ByteBuffer?
            if produced > 0 {
                piece = ByteBuffer(capacity: produced)
                piece!.writeBytes(UnsafeRawBufferPointer(rebasing: scratch[..<produced]))
            }
            outputMayBePending = produced == room
            if failureAfterPiece == nil && !outputMayBePending && input.isEmpty && messageFinished { try endMessage() }
            return piece
        } catch {
            fail(error)
            throw error
        }
    }

    /// Drops the current message (queued input, held output) and any error, and frees the zlib
    /// state. The next message starts with an empty window, so under context takeover this
    /// only makes sense where the peer's context restarts as well.
    public func reset() {
        input.removeAll()
        messageFinished = false
        outputMayBePending = false
        failure = nil
        failureAfterPiece = nil
        release()
    }

    /// Inflates queued input into the scratch area until `room` bytes came out or zlib needs
    /// more input; returns how many came out.
    private func inflateIntoScratch(_ stream: UnsafeMutablePointer<z_stream>, room: Int) throws(InflateError) -> Int {
        var produced = 0
        while produced < room {
            var status = Z_OK
            var progress = false
            input.consumeFront { bytes in
                // avail_in and avail_out are 32 bits wide.
                let offered = min(bytes.count, Int(UInt32.max))
                stream.pointee.next_in = UnsafeMutablePointer(mutating: bytes.bindMemory(to: UInt8.self).baseAddress)
                stream.pointee.avail_in = UInt32(offered)
                stream.pointee.next_out = (scratch.baseAddress! + produced).assumingMemoryBound(to: UInt8.self)
                stream.pointee.avail_out = UInt32(room - produced)
                status = inflate(stream, Z_SYNC_FLUSH)
                let consumed = offered - Int(stream.pointee.avail_in)
                let made = room - produced - Int(stream.pointee.avail_out)
                produced += made
                progress = consumed > 0 || made > 0
                return consumed
            }
            // zlib.h: data_type has 128 added when inflate stopped right before a block header.
            // A call that did nothing may turn that state into another name for it, so only a
            // call that moved tells where the stream stands.
            if progress { atBlockBoundary = stream.pointee.data_type & 128 != 0 }
            switch status {
            case Z_OK, Z_BUF_ERROR: if !progress { return produced }
            case Z_STREAM_END: finalBlockEnded(stream)
            case Z_DATA_ERROR, Z_NEED_DICT:
                guard produced == 0 else {
                    failureAfterPiece = .corruptData
                    return produced
                }
                throw .corruptData
            case Z_MEM_ERROR: throw .outOfMemory
            default: preconditionFailure("inflate failed with zlib status \(status)")
            }
        }
        return produced
    }

    /// §7.2.1 and §7.2.3.4: a block with BFINAL set may end a flush, and blocks that follow it
    /// (in this message, or in later ones under context takeover) may refer to what came before.
    /// zlib stops after such a block, so it is restarted with its window as the dictionary.
    private func finalBlockEnded(_ stream: UnsafeMutablePointer<z_stream>) {
        if messageFinished && input.isExactly(SyncFlushTail.buffer) {
            // The sender ended the message with the final block and left out the empty stored
            // block §7.2.3.4 puts after it: nothing is lost by accepting that.
            input.removeAll()
        }
        let window = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: 1 << windowBits)
        defer { window.deallocate() }
        var length: UInt32 = 0
        let restarted = inflateGetDictionary(stream, window.baseAddress, &length) == Z_OK
            && inflateReset(stream) == Z_OK
            && inflateSetDictionary(stream, window.baseAddress, length) == Z_OK
        precondition(restarted, "zlib refused to restart a raw inflate stream")
        atBlockBoundary = true
    }

    /// §7.2.2: the message's data and the tail must leave the stream between two blocks;
    /// anything else is a truncated or malformed message.
    private func endMessage() throws(InflateError) {
        messageFinished = false
        let complete = atBlockBoundary
        if noContextTakeover { release() }
        if !complete { throw .corruptData }
    }

    private func fail(_ error: InflateError) {
        reset()
        failure = error
    }

    private func openedStream() throws(InflateError) -> UnsafeMutablePointer<z_stream> {
        if let stream { return stream }
        guard let opened = ZStream.open("inflateInit2", { czlib_inflate_init_raw($0, windowBits) }) else {
            throw .outOfMemory
        }
        stream = opened
        scratch = .allocate(byteCount: Self.largestPiece, alignment: 16)
        atBlockBoundary = true
        return opened
    }

    private func release() {
        guard let stream else { return }
        ZStream.close(stream) { inflateEnd($0) }
        self.stream = nil
        scratch.deallocate()
        scratch = UnsafeMutableRawBufferPointer(start: nil, count: 0)
    }
}
