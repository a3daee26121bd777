public import WSGateCore

/// Writes WebSocket frames (RFC 6455 §5.2):
///
///      0                   1                   2                   3
///      0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
///     +-+-+-+-+-------+-+-------------+-------------------------------+
///     |F|R|R|R| opcode|M| Payload len |    Extended payload length    |
///     |I|S|S|S|  (4)  |A|     (7)     |             (16/64)           |
///     |N|V|V|V|       |S|             |   (if payload len==126/127)   |
///     | |1|2|3|       |K|             |                               |
///     +-+-+-+-+-------+-+-------------+ - - - - - - - - - - - - - - - +
///     |     Extended payload length continued, if payload len == 127  |
///     + - - - - - - - - - - - - - - - +-------------------------------+
///     |                               |Masking-key, if MASK set to 1  |
///     +-------------------------------+-------------------------------+
///     | Masking-key (continued)       |          Payload Data         |
///     +-------------------------------- - - - - - - - - - - - - - - - +
///     :                     Payload Data continued ...                :
///     + - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - - +
///     |                     Payload Data continued ...                |
///     +---------------------------------------------------------------+
///
/// Why it exists: one place that knows the header layout for everything we send (server
/// frames are unmasked; a client/benchmark tool passes a masking key). It always uses the
/// minimal length encoding (§5.2: "the minimal number of bytes MUST be used to encode the
/// length") and sets no RSV bit but RSV1, for a message compressed with permessage-deflate
/// (RFC 7692 §6). It does not fragment messages or
/// enforce limits: callers decide frame sizes.
public enum WebSocketFrameEncoder {
    /// Largest length carried in the 7-bit field itself (§5.2: "0-125").
    public static let max7BitLength = 125
    /// Largest length carried in the 16-bit extended field.
    public static let max16BitLength = 65_535
    /// §5.5: control frame payloads are at most 125 bytes.
    public static let maxControlPayloadLength = 125
    /// §5.5.1: a Close body is a 2-byte code plus a reason, within the 125-byte control limit.
    public static let maxCloseReasonLength = maxControlPayloadLength - 2

    /// Bytes the header of a frame with this payload length takes.
    public static func headerLength(payloadLength: Int, masked: Bool) -> Int {
        let lengthBytes = payloadLength <= max7BitLength ? 0 : payloadLength <= max16BitLength ? 2 : 8
        return 2 + lengthBytes + (masked ? 4 : 0)
    }

    /// Appends a frame header. The caller appends `payloadLength` payload bytes after it
    /// (masked with `maskingKey` if one is given). `compressed` sets RSV1, "Per-Message
    /// Compressed" (RFC 7692 §6), allowed on a data message's first frame only.
    public static func writeHeader(
        fin: Bool,
        compressed: Bool = false,
        opcode: WebSocketOpcode,
        payloadLength: Int,
        maskingKey: WebSocketMaskingKey?,
        into buffer: inout ByteBuffer
    ) {
        precondition(payloadLength >= 0, "negative payload length")
        precondition(!opcode.isControl || (fin && payloadLength <= maxControlPayloadLength),
                     "control frames are unfragmented and at most 125 bytes (RFC 6455 §5.5)")
        buffer.reserveWritableBytes(headerLength(payloadLength: payloadLength, masked: maskingKey != nil))
        precondition(!compressed || (opcode == .text || opcode == .binary),
                     "only a data message's first frame is compressed (RFC 7692 §6.1)")
        let rsv1: UInt8 = compressed ? WebSocketFrameDecoder.rsv1 << 4 : 0
        buffer.writeInteger((fin ? WebSocketFrameDecoder.finBit : 0) | rsv1 | opcode.rawValue & WebSocketFrameDecoder.opcodeMask)
        let maskBit = maskingKey != nil ? WebSocketFrameDecoder.maskBit : 0
        if payloadLength <= max7BitLength {
            buffer.writeInteger(maskBit | UInt8(payloadLength))
        } else if payloadLength <= max16BitLength {
            buffer.writeInteger(maskBit | WebSocketFrameDecoder.length16Marker)
            buffer.writeInteger(UInt16(payloadLength))
        } else {
            buffer.writeInteger(maskBit | WebSocketFrameDecoder.length64Marker)
            buffer.writeInteger(UInt64(payloadLength))
        }
        if let maskingKey {
            buffer.writeInteger(maskingKey.networkOrder)
        }
    }

    /// Appends a whole frame. With a masking key the payload is masked as it is copied into
    /// `buffer`; the given payload is not changed.
    public static func writeFrame(
        fin: Bool = true,
        compressed: Bool = false,
        opcode: WebSocketOpcode,
        payload: UnsafeRawBufferPointer,
        maskingKey: WebSocketMaskingKey? = nil,
        into buffer: inout ByteBuffer
    ) {
        writeHeader(fin: fin, compressed: compressed, opcode: opcode, payloadLength: payload.count, maskingKey: maskingKey,
                    into: &buffer)
        guard let maskingKey, payload.count > 0 else {
            buffer.writeBytes(payload)
            return
        }
        _ = buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: payload.count) { area in
            let target = UnsafeMutableRawBufferPointer(rebasing: area[0 ..< payload.count])
            target.copyMemory(from: payload)
            WebSocketMasking.apply(key: maskingKey, to: target, startingAt: 0)
            return payload.count
        }
    }

    /// Appends a whole frame whose payload is the readable bytes of `payload`.
    public static func writeFrame(
        fin: Bool = true,
        compressed: Bool = false,
        opcode: WebSocketOpcode,
        payload: ByteBuffer,
        maskingKey: WebSocketMaskingKey? = nil,
        into buffer: inout ByteBuffer
    ) {
        payload.withUnsafeReadableBytes { bytes in
            writeFrame(fin: fin, compressed: compressed, opcode: opcode, payload: bytes, maskingKey: maskingKey, into: &buffer)
        }
    }

    /// The body of a Close frame (§5.5.1): the 2-byte code then the UTF-8 reason, cut at a
    /// character boundary so the body fits the 125-byte control limit. A nil code gives an
    /// empty body (the reason is then dropped: a reason needs a code).
    public static func closePayload(code: WebSocketCloseCode?, reason: String) -> ByteBuffer {
        guard let code else { return ByteBuffer() }
        var utf8 = Array(reason.utf8)
        if utf8.count > maxCloseReasonLength {
            var cut = maxCloseReasonLength
            // Back up over continuation bytes (10xxxxxx) to the start of the cut character.
            while cut > 0 && utf8[cut] & 0xC0 == 0x80 { cut -= 1 }
            utf8.removeSubrange(cut...)
        }
        var buffer = ByteBuffer(capacity: 2 + utf8.count)
        buffer.writeInteger(code.rawValue)
        buffer.writeBytes(utf8)
        return buffer
    }
}
