import WSGateCore
import WSGateTestSupport
import WSGateWebSocket

/// A buffer holding `bytes`.
func buf(_ bytes: [UInt8]) -> ByteBuffer { ByteBuffer(bytes: bytes) }

/// A buffer holding the UTF-8 of `text`.
func buf(_ text: String) -> ByteBuffer { ByteBuffer(string: text) }

/// The header a client frame built by `FrameBytes` decodes to.
func clientHeader(
    fin: Bool = true,
    _ opcode: WebSocketOpcode,
    length: UInt64,
    key: WebSocketMaskingKey? = FrameBytes.defaultKey
) -> WebSocketFrameHeader {
    WebSocketFrameHeader(fin: fin, opcode: opcode, maskingKey: key, payloadLength: length)
}

/// The frame events of one whole data frame.
func dataFrameEvents(fin: Bool = true, _ opcode: WebSocketOpcode, _ payload: [UInt8],
                     key: WebSocketMaskingKey? = FrameBytes.defaultKey) -> [WebSocketFrameEvent] {
    let header = WebSocketFrameEvent.dataHeader(clientHeader(fin: fin, opcode, length: UInt64(payload.count), key: key))
    return payload.isEmpty ? [header, .dataEnd] : [header, .dataPayload(buf(payload)), .dataEnd]
}

/// Where the first readable byte of `buffer` lives (to tell slices from copies).
func address(of buffer: ByteBuffer) -> UInt {
    buffer.withUnsafeReadableBytes { UInt(bitPattern: $0.baseAddress) }
}
