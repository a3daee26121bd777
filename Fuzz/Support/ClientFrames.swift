import WSGateCompression
import WSGateCore
import WSGateWebSocket

/// `message` as one masked client frame; with a deflater, a data message goes compressed
/// (RSV1, RFC 7692).
///
/// Why it exists: the frame targets check that what they decoded, sent again, decodes to
/// itself; they build those frames alike.
func encodeAsClient(_ message: WebSocketMessageEvent, deflater: MessageDeflater? = nil) -> [UInt8] {
    var buffer = ByteBuffer()
    let key = WebSocketMaskingKey(0x0A, 0x1B, 0x2C, 0x3D)
    switch message {
    case .message(let opcode, let payload):
        if let deflater, let deflated = deflater.compress(payload) {
            WebSocketFrameEncoder.writeFrame(compressed: true, opcode: opcode, payload: deflated, maskingKey: key, into: &buffer)
        } else {
            WebSocketFrameEncoder.writeFrame(opcode: opcode, payload: payload, maskingKey: key, into: &buffer)
        }
    case .ping(let payload):
        WebSocketFrameEncoder.writeFrame(opcode: .ping, payload: payload, maskingKey: key, into: &buffer)
    case .pong(let payload):
        WebSocketFrameEncoder.writeFrame(opcode: .pong, payload: payload, maskingKey: key, into: &buffer)
    case .close(let code, let reason):
        WebSocketFrameEncoder.writeFrame(opcode: .close, payload: WebSocketFrameEncoder.closePayload(code: code, reason: reason),
                                         maskingKey: key, into: &buffer)
    }
    return buffer.readableBytesArray
}
