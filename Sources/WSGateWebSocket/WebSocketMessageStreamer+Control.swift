public import WSGateCore

extension WebSocketMessageStreamer {
    /// Turns a control frame into its event, parsing and validating a Close body.
    static func controlEvent(_ opcode: WebSocketOpcode, payload: ByteBuffer) throws(WebSocketError) -> WebSocketMessageEvent? {
        switch opcode {
        case .ping: return .ping(payload)
        case .pong: return .pong(payload)
        case .close:
            let (code, reason) = try parseClosePayload(payload)
            return .close(code: code, reason: reason)
        default: return nil
        }
    }

    /// §5.5.1: "If there is a body, the first two bytes of the body MUST be a 2-byte unsigned
    /// integer (in network byte order) representing a status code ... Following the 2-byte
    /// integer, the body MAY contain UTF-8-encoded data".
    public static func parseClosePayload(_ payload: ByteBuffer) throws(WebSocketError) -> (code: WebSocketCloseCode?, reason: String) {
        if payload.readableBytes == 0 { return (nil, "") }
        guard let raw = payload.getInteger(at: 0, as: UInt16.self) else { throw .closePayloadTooShort }
        let code = WebSocketCloseCode(rawValue: raw)
        // §7.4.2 and the §7.4.1 reservations: codes that may not appear in a Close frame.
        guard code.isAllowedOnWire else { throw .invalidCloseCode(raw) }
        let reason: String? = payload.withUnsafeReadableBytes { bytes in
            let text = UnsafeRawBufferPointer(rebasing: bytes[2...])
            return UTF8Validator.isValid(text) ? String(decoding: text, as: UTF8.self) : nil
        }
        guard let reason else { throw .invalidCloseReason }
        return (code, reason)
    }
}
