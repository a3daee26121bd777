public import WSGateCore

/// Cuts a room backend's output into whole lines for `RoomCommand.parse` under
/// `--room-protocol=json`.
///
/// Why it exists: a command must be one whole line. Plain mode's `LineFramer` cuts a long
/// line into pieces, which is right for messages but wrong here: a piece could itself parse
/// as a command. This splitter hands over whole lines only (without their "\n"; a "\r" before
/// it is JSON whitespace, so it stays), up to `maxLineBytes`. A longer line is reported once,
/// when it passes the limit, and skipped to its end, so memory stays bounded by
/// `maxLineBytes`. A line wholly inside one input is a slice of it (no copy).
public struct CommandLineSplitter: Sendable {
    /// What the splitter found.
    public enum Piece: Equatable, Sendable {
        /// A whole line, without its "\n".
        case line(ByteBuffer)
        /// A line went over the limit: it is skipped up to its "\n".
        case tooLong
    }

    /// The default line limit: 1 MiB, the JSON reader's default.
    public static let defaultMaxLineBytes = 1 << 20

    public let maxLineBytes: Int
    /// The current line's bytes so far (never more than `maxLineBytes`).
    private var pending = ByteBuffer()
    /// The current line went over the limit: bytes are dropped up to its "\n".
    private var isSkipping = false

    public init(maxLineBytes: Int = defaultMaxLineBytes) {
        self.maxLineBytes = max(1, maxLineBytes)
    }

    /// Bytes of an unfinished line held (at most `maxLineBytes`).
    public var bufferedBytes: Int { pending.readableBytes }

    /// Splits every readable byte of `bytes` (leaving it empty), calling `emit` in order.
    public mutating func consume(_ bytes: inout ByteBuffer, emit: (Piece) -> Void) {
        while bytes.readableBytes > 0 {
            let newline = bytes.withUnsafeReadableBytes { $0.firstIndex(of: 0x0A) }
            let length = newline ?? bytes.readableBytes
            if isSkipping {
                bytes.moveReaderIndex(forwardBy: newline.map { $0 + 1 } ?? length)
                if newline != nil { isSkipping = false }
                continue
            }
            guard pending.readableBytes + length <= maxLineBytes else {
                pending.clear()
                isSkipping = true
                emit(.tooLong)
                continue
            }
            guard var line = bytes.readSlice(length) else { return }
            guard newline != nil else {
                pending.writeBuffer(line)
                return
            }
            bytes.moveReaderIndex(forwardBy: 1)
            if pending.readableBytes > 0 {
                pending.writeBuffer(line)
                line = pending
                pending = ByteBuffer()
            }
            emit(.line(line))
        }
    }

    /// The end of output: a last line without "\n" is still a line.
    public mutating func finish(emit: (Piece) -> Void) {
        defer {
            pending = ByteBuffer()
            isSkipping = false
        }
        guard !isSkipping, pending.readableBytes > 0 else { return }
        emit(.line(pending))
    }
}
