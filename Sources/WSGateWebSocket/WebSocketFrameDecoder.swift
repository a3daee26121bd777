public import WSGateCore

/// A streaming push decoder of WebSocket frames (RFC 6455 §5.2).
///
/// Why it exists: it is the only code that looks at raw frame bytes. It enforces every rule
/// that can be checked from a frame header as soon as the header bytes arrive — before any
/// payload is buffered — and streams data-frame payloads out in the pieces they arrive in, so
/// a 16 MiB frame never has to be held in full here. Control frames (≤ 125 bytes) are
/// delivered whole.
///
/// Usage: append received bytes to a `ByteBuffer` and call `next(_:)` until it returns nil
/// (more bytes needed). It consumes exactly the bytes it used and never bytes of the next
/// frame, except after a failure: it then discards whatever it is given and throws the same
/// error again whenever it is given more bytes (so an I/O object in the closing state sees the
/// peer's further traffic as an error and closes; see `WebSocketStateMachine`).
///
/// Payload chunks are slices of the input buffer, unmasked in place: no payload byte is
/// copied when the caller owns the input buffer alone, and at most once otherwise. It does not
/// know about messages, fragmentation or UTF-8 (see `WebSocketMessageAssembler`).
public struct WebSocketFrameDecoder: Sendable {
    /// Which end of the connection decodes; it decides the masking rule (§5.1).
    public enum Role: Sendable, Hashable {
        /// Frames come from a client and MUST be masked.
        case server
        /// Frames come from a server and MUST NOT be masked (for a client/benchmark tool).
        case client
    }

    /// §5.5: "All control frames MUST have a payload length of 125 bytes or less".
    public static let maxControlPayloadLength: UInt64 = 125
    /// §5.2: a 7-bit length of 126 means "the following 2 bytes interpreted as a 16-bit
    /// unsigned integer are the payload length".
    static let length16Marker: UInt8 = 126
    /// §5.2: a 7-bit length of 127 means "the following 8 bytes interpreted as a 64-bit
    /// unsigned integer (the most significant bit MUST be 0) are the payload length".
    static let length64Marker: UInt8 = 127
    /// The most significant bit of the 64-bit length, seen in its first byte.
    static let length64HighBit: UInt8 = 0x80
    /// §5.2 first octet: FIN, RSV1-3 and opcode bits.
    static let finBit: UInt8 = 0x80
    static let rsvMask: UInt8 = 0x70
    /// The RSV bits shifted down: RSV1 alone, permessage-deflate's "Per-Message Compressed" bit.
    static let rsv1: UInt8 = 0x4
    static let opcodeMask: UInt8 = 0x0F
    /// §5.2 second octet: MASK bit and the 7-bit payload length.
    static let maskBit: UInt8 = 0x80
    static let length7Mask: UInt8 = 0x7F

    public let role: Role
    /// The largest data-frame payload accepted; larger frames fail with 1009 at the header.
    public let maxPayloadLength: UInt64
    /// permessage-deflate was negotiated: RSV1 may mark a message's first frame as compressed
    /// (RFC 7692 §6); everywhere else it is still an error.
    public let allowsCompressedMessages: Bool

    private enum State: Sendable {
        /// Waiting for (the rest of) a frame header.
        case header
        /// Inside a data frame's payload: `position` bytes delivered, `remaining` to come.
        case payload(key: WebSocketMaskingKey?, position: UInt64, remaining: UInt64)
        /// A rule was broken; the stream cannot be trusted any more.
        case failed(WebSocketError)
    }

    private var state: State = .header

    public init(role: Role, maxPayloadLength: UInt64, allowsCompressedMessages: Bool = false) {
        self.role = role
        self.maxPayloadLength = maxPayloadLength
        self.allowsCompressedMessages = allowsCompressedMessages
    }

    /// Decodes the next event from the front of `buffer`, or returns nil when more bytes are
    /// needed. Call it in a loop until nil.
    public mutating func next(_ buffer: inout ByteBuffer) throws(WebSocketError) -> WebSocketFrameEvent? {
        switch state {
        case .failed(let error):
            guard !buffer.isEmpty else { return nil }
            buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
            throw error
        case .header:
            do {
                return try decodeHeader(&buffer)
            } catch {
                state = .failed(error)
                buffer.moveReaderIndex(forwardBy: buffer.readableBytes)
                throw error
            }
        case .payload(let key, let position, let remaining):
            if remaining == 0 {
                state = .header
                return .dataEnd
            }
            guard !buffer.isEmpty else { return nil }
            let count = Int(Swift.min(UInt64(buffer.readableBytes), remaining))
            let chunk = Self.readPayload(&buffer, count: count, key: key, position: position)
            state = .payload(key: key, position: position + UInt64(count), remaining: remaining - UInt64(count))
            return .dataPayload(chunk)
        }
    }

    /// Validates and consumes a frame header (and a whole control frame), or returns nil and
    /// consumes nothing if it has not fully arrived. Each rule is checked as soon as the bytes
    /// it needs are present.
    private mutating func decodeHeader(_ buffer: inout ByteBuffer) throws(WebSocketError) -> WebSocketFrameEvent? {
        guard buffer.readableBytes >= 2 else { return nil }
        let first = buffer[0]
        let second = buffer[1]
        let fin = first & Self.finBit != 0
        let rsv = (first & Self.rsvMask) >> 4
        let opcode = WebSocketOpcode(rawValue: first & Self.opcodeMask)
        let masked = second & Self.maskBit != 0
        let length7 = second & Self.length7Mask

        // §5.2 RSV1-3: "If a nonzero value is received and none of the negotiated extensions
        // defines the meaning of such a nonzero value, the receiving endpoint MUST _Fail the
        // WebSocket Connection_."
        // RFC 7692 §6: permessage-deflate gives RSV1 a meaning on "the first frame of a
        // message" only; §6.1: "An endpoint MUST NOT set the "Per-Message Compressed" bit of
        // control frames and non-first fragments of a data message."
        let compressed = rsv == Self.rsv1 && allowsCompressedMessages
            && opcode != .continuation && !opcode.isControl
        guard rsv == 0 || compressed else { throw .reservedBitsSet(rsv) }
        // §5.2 Opcode: "If an unknown opcode is received, the receiving endpoint MUST _Fail the
        // WebSocket Connection_."
        guard opcode.isKnown else { throw .unknownOpcode(opcode.rawValue) }
        if opcode.isControl {
            // §5.5: "All control frames MUST have a payload length of 125 bytes or less and
            // MUST NOT be fragmented." The length must then be in the 7-bit field: 126 and
            // 127 announce an extended length, which §5.2 allows only above 125 ("the minimal
            // number of bytes MUST be used"), so they are refused without reading it.
            guard fin else { throw .fragmentedControlFrame(opcode) }
            guard UInt64(length7) <= Self.maxControlPayloadLength else { throw .controlFrameTooLong(opcode) }
        }
        switch role {
        case .server:
            // §5.1: "The server MUST close the connection upon receiving a frame that is not
            // masked."
            guard masked else { throw .unmaskedFrame }
        case .client:
            // §5.1: "A client MUST close a connection if it detects a masked frame."
            guard !masked else { throw .maskedFrame }
        }

        var headerLength = 2
        let payloadLength: UInt64
        switch length7 {
        case Self.length16Marker:
            guard let value = buffer.getInteger(at: 2, as: UInt16.self) else { return nil }
            payloadLength = UInt64(value)
            headerLength += 2
        case Self.length64Marker:
            // §5.2: "the most significant bit MUST be 0" — checked on its own byte, early.
            if buffer.readableBytes > 2, buffer[2] & Self.length64HighBit != 0 { throw .payloadLengthTooLong }
            guard let value = buffer.getInteger(at: 2, as: UInt64.self) else { return nil }
            payloadLength = value
            headerLength += 8
        default:
            payloadLength = UInt64(length7)
        }
        // The message-size limit (§7.4.1, 1009), before a single payload byte is buffered.
        if !opcode.isControl && payloadLength > maxPayloadLength {
            throw .frameTooBig(length: payloadLength, limit: maxPayloadLength)
        }

        var maskingKey: WebSocketMaskingKey?
        if masked {
            guard let key = buffer.getInteger(at: headerLength, as: UInt32.self) else { return nil }
            maskingKey = WebSocketMaskingKey(networkOrder: key)
            headerLength += 4
        }
        guard buffer.readableBytes >= headerLength else { return nil }

        if opcode.isControl {
            // Delivered whole: wait until all (≤ 125) payload bytes are here.
            let count = Int(payloadLength)
            guard buffer.readableBytes - headerLength >= count else { return nil }
            buffer.moveReaderIndex(forwardBy: headerLength)
            let payload = count == 0
                ? ByteBuffer()
                : Self.readPayload(&buffer, count: count, key: maskingKey, position: 0)
            return .control(opcode, payload: payload)
        }

        buffer.moveReaderIndex(forwardBy: headerLength)
        state = .payload(key: maskingKey, position: 0, remaining: payloadLength)
        return .dataHeader(WebSocketFrameHeader(
            fin: fin, rsv1: compressed, opcode: opcode, maskingKey: maskingKey, payloadLength: payloadLength))
    }

    /// Consumes `count` (> 0) readable bytes and returns them unmasked, as a slice of `buffer`.
    private static func readPayload(
        _ buffer: inout ByteBuffer,
        count: Int,
        key: WebSocketMaskingKey?,
        position: UInt64
    ) -> ByteBuffer {
        guard let key else { return buffer.readSlice(count)! }
        let phase = Int(position & 3)
        if buffer.hasUniquelyOwnedStorage() {
            // Unmask in the input itself, then slice: no copy at all.
            buffer.withUnsafeMutableReadableBytes { bytes in
                WebSocketMasking.apply(key: key, to: UnsafeMutableRawBufferPointer(rebasing: bytes[0 ..< count]), startingAt: phase)
            }
            return buffer.readSlice(count)!
        }
        // An earlier slice still shares the input: unmasking the input would copy all of it,
        // so unmask the slice, which copies just these `count` bytes (once).
        var slice = buffer.readSlice(count)!
        slice.withUnsafeMutableReadableBytes { bytes in
            WebSocketMasking.apply(key: key, to: bytes, startingAt: phase)
        }
        return slice
    }
}
