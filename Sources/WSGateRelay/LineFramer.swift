public import WSGateCore

/// Turns a program's stdout bytes into WebSocket messages in line mode (the default mode).
///
/// Why it exists: websocketd sends each output line as one text message, and programs and
/// pages depend on that framing. wsgate keeps it and fixes websocketd's defects
/// (docs/behaviour.md, 'Line framing'), on the hot path of the product:
///
/// - Each line, without its "\n" or "\r\n", is one message; an empty line is an empty text
///   message; a lone "\r" anywhere else stays in the message (websocketd).
/// - (better) `finish()` sends a final line that has no "\n" (websocketd drops it). A final
///   "\r" with no "\n" after it is content, so it stays.
/// - (better) A message is text only if its bytes are valid UTF-8 on their own, else binary
///   with the bytes unchanged: never an invalid text frame (RFC 6455 §8.1).
/// - (better) Memory is bounded: a line longer than `maxMessageSize` goes out in pieces of at
///   most `maxMessageSize` bytes as it arrives, and the framer never holds more than
///   `maxMessageSize` bytes (websocketd buffers a line until its "\n", however long).
///
/// How a long line is cut. A piece is cut only once more than `maxMessageSize` bytes of the
/// line are known to be content (so a line of exactly `maxMessageSize` bytes is one message,
/// whatever its terminator and however the reads split it). The piece is the first
/// `maxMessageSize` bytes, except that when they are valid UTF-8 up to a character that is cut
/// short at the end, the piece ends before that character's first byte and the 1…3 bytes of
/// it begin the next piece; so valid text stays valid text in every piece. When the first
/// bytes are invalid UTF-8, or one character is longer than the whole piece (only possible
/// with `maxMessageSize` < 4), the piece is exactly `maxMessageSize` bytes and goes out as
/// binary.
///
/// "\r" at a read boundary. A "\r" that is the last byte of a read may be the first half of
/// "\r\n", so it is held back as a flag (not counted in `bufferedBytes`) until the next byte
/// arrives: "\n" makes it part of the terminator; anything else makes it content, placed
/// before that byte (which may then start a new piece). So "abcd\r" + "\n" with a 4-byte
/// limit is the single message "abcd", exactly as if it had come in one read.
///
/// Copies. A line that lies wholly inside one `consume` input is emitted as a `readSlice` of
/// that input (no copy), and so are full pieces of a long line inside one input. Only the
/// unfinished end of an input (a line still waiting for its "\n") is copied, into a buffer of
/// at most `maxMessageSize` bytes. Each byte goes through the UTF-8 validator once.
///
/// It must not do I/O or decide the opcode's framing (fragmentation is the encoder's job).
public struct LineFramer: Sendable {
    /// Line feed: ends a line.
    public static let newline: UInt8 = 0x0A
    /// Carriage return: dropped when it comes right before the "\n".
    public static let carriageReturn: UInt8 = 0x0D
    /// Piece size used when `init` is given a non-positive limit (outgoing pieces are always
    /// bounded).
    public static let defaultMaxMessageSize = 1 << 20

    /// The largest message (and piece) this framer emits, in bytes.
    public let maxMessageSize: Int
    /// The current line's bytes not sent yet (at most `maxMessageSize`).
    private var pending = ByteBuffer()
    /// Has seen exactly `pending`'s bytes (plus, inside `take`, some bytes ahead in the input).
    private var validator = UTF8Validator()
    /// The last byte seen was a "\r" not yet known to be content or half of "\r\n".
    private var holdsCarriageReturn = false

    /// A framer whose messages are at most `maxMessageSize` bytes (the `--maxframesize`
    /// value); values below 1 mean `defaultMaxMessageSize`.
    public init(maxMessageSize: Int) {
        self.maxMessageSize = maxMessageSize > 0 ? maxMessageSize : Self.defaultMaxMessageSize
    }

    /// Bytes of an unfinished line held by the framer (never more than `maxMessageSize`).
    public var bufferedBytes: Int { pending.readableBytes }

    /// Frames every readable byte of `bytes` (leaving it empty), calling `emit` for each
    /// finished line and each full piece of a long line, in order.
    public mutating func consume(_ bytes: inout ByteBuffer, emit: (LineMessage) -> Void) {
        while bytes.readableBytes > 0 {
            let end = bytes.withUnsafeReadableBytes { Self.firstNewline(in: $0) }
            if let end {
                var length = end
                if holdsCarriageReturn {
                    holdsCarriageReturn = false
                    // "\r" then "\n" at once: the "\r" was half of the terminator.
                    if length > 0 { takeHeldCarriageReturn(emit: emit) }
                }
                // RFC-style "\r\n" endings lose both bytes (websocketd's trimEOL).
                if length > 0 && bytes[length - 1] == Self.carriageReturn { length -= 1 }
                take(&bytes, length, endsLine: true, emit: emit)
                bytes.moveReaderIndex(forwardBy: end - length + 1)
            } else {
                var length = bytes.readableBytes
                if holdsCarriageReturn {
                    holdsCarriageReturn = false
                    takeHeldCarriageReturn(emit: emit)
                }
                let endsWithCarriageReturn = bytes[length - 1] == Self.carriageReturn
                if endsWithCarriageReturn { length -= 1 }
                take(&bytes, length, endsLine: false, emit: emit)
                if endsWithCarriageReturn {
                    bytes.moveReaderIndex(forwardBy: 1)
                    holdsCarriageReturn = true
                }
            }
        }
    }

    /// The output has ended: sends the unfinished last line, if any (websocketd drops it),
    /// and leaves the framer empty.
    public mutating func finish(emit: (LineMessage) -> Void) {
        if holdsCarriageReturn {
            holdsCarriageReturn = false
            takeHeldCarriageReturn(emit: emit)
        }
        if pending.readableBytes > 0 { emitPending(emit: emit) }
    }

    // MARK: - Moving content into messages

    /// A one-byte "\r" to feed when a held "\r" turns out to be content.
    private static let carriageReturnBuffer = ByteBuffer(bytes: [carriageReturn])

    private mutating func takeHeldCarriageReturn(emit: (LineMessage) -> Void) {
        var byte = Self.carriageReturnBuffer
        take(&byte, 1, endsLine: false, emit: emit)
    }

    /// Moves the first `count` bytes of `input`, known to be content of the current line, into
    /// messages: emits every piece that is known to be full and, when `endsLine`, the rest of
    /// the line; otherwise the rest waits in `pending`.
    private mutating func take(_ input: inout ByteBuffer, _ count: Int, endsLine: Bool, emit: (LineMessage) -> Void) {
        let limit = maxMessageSize
        var remaining = count
        // Bytes at the front of `input` the validator has already seen (a character carried
        // over from a zero-copy piece); only non-zero while `pending` is empty.
        var validatedAhead = 0
        while true {
            if pending.readableBytes == 0 {
                if remaining <= limit {
                    if endsLine {
                        // The (rest of the) line is inside the input: hand out a slice.
                        validate(input, from: validatedAhead, to: remaining)
                        let isText = validator.isAtCharacterBoundary
                        validator.reset()
                        emit(Self.message(input.readSlice(remaining)!, isText: isText))
                    } else {
                        append(&input, remaining, validatedAhead: validatedAhead)
                    }
                    return
                }
                // More than a piece of content is in the input: cut a full piece from it.
                validate(input, from: validatedAhead, to: limit)
                let (length, isText) = input.withUnsafeReadableBytes {
                    cutPiece(UnsafeRawBufferPointer(rebasing: $0[..<limit]))
                }
                emit(Self.message(input.readSlice(length)!, isText: isText))
                remaining -= length
                validatedAhead = limit - length
                continue
            }
            let room = limit - pending.readableBytes
            if remaining <= room {
                append(&input, remaining, validatedAhead: 0)
                if endsLine { emitPending(emit: emit) }
                return
            }
            // `pending` fills up and more content follows: a full piece is known.
            append(&input, room, validatedAhead: 0)
            remaining -= room
            cutPending(emit: emit)
        }
    }

    /// Runs the validator over `input`'s bytes `start ..< end` (the earlier ones were seen).
    private mutating func validate(_ input: ByteBuffer, from start: Int, to end: Int) {
        guard start < end else { return }
        input.withUnsafeReadableBytes { bytes in
            _ = validator.validate(UnsafeRawBufferPointer(rebasing: bytes[start ..< end]))
        }
    }

    /// Copies `count` bytes of `input` into `pending`, validating those not seen yet.
    private mutating func append(_ input: inout ByteBuffer, _ count: Int, validatedAhead: Int) {
        guard count > 0 else { return }
        validate(input, from: validatedAhead, to: count)
        input.withUnsafeReadableBytes { bytes in
            pending.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[..<count]))
        }
        input.moveReaderIndex(forwardBy: count)
    }

    /// `pending` is full and more content follows: emits its piece, keeps the carried bytes.
    private mutating func cutPending(emit: (LineMessage) -> Void) {
        var full = pending
        pending = ByteBuffer()
        let (length, isText) = full.withUnsafeReadableBytes { cutPiece($0) }
        let piece = full.readSlice(length)!
        pending.writeBuffer(full)
        emit(Self.message(piece, isText: isText))
    }

    /// Where a full piece (`piece.count == maxMessageSize` bytes, all seen by the validator,
    /// more content after it) ends, and whether it is text. Leaves the validator in the state
    /// for the bytes carried into the next piece (reset when none are).
    private mutating func cutPiece(_ piece: UnsafeRawBufferPointer) -> (length: Int, isText: Bool) {
        let count = piece.count
        if validator.hasFailed {
            validator.reset()
            return (count, false)
        }
        if validator.isAtCharacterBoundary {
            validator.reset()
            return (count, true)
        }
        // Valid so far, but the last character is unfinished: end before its first byte.
        // Continuation bytes are 10xxxxxx (RFC 3629 §3); a well-formed prefix has at most 3.
        var start = count - 1
        while start > 0 && piece[start] & 0xC0 == 0x80 { start -= 1 }
        if start > 0 { return (start, true) }
        // One character is longer than a piece (maxMessageSize < 4): no boundary to cut at.
        validator.reset()
        return (count, false)
    }

    /// Emits the whole of `pending` as the last piece of the line.
    private mutating func emitPending(emit: (LineMessage) -> Void) {
        let bytes = pending
        pending = ByteBuffer()
        let isText = validator.isAtCharacterBoundary
        validator.reset()
        emit(Self.message(bytes, isText: isText))
    }

    private static func message(_ bytes: ByteBuffer, isText: Bool) -> LineMessage {
        isText ? .text(bytes) : .binary(bytes)
    }
}
