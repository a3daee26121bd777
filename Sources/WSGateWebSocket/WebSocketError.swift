/// A violation of RFC 6455 by the peer: the one error type of the WebSocket layer.
///
/// Why it exists: every rule the decoder, the assembler and the close-frame parser enforce ends
/// in "_Fail the WebSocket Connection_" (§7.1.7) with a particular status code. This type is the
/// single place where a violation maps to that code (`closeCode`) and to the short text sent
/// as the close reason (`reason`). It never describes I/O failures (those belong to the I/O
/// layer) and never carries peer bytes that could make a close frame too long.
public enum WebSocketError: Error, Hashable, Sendable {
    /// §5.2: RSV1, RSV2, RSV3 "MUST be 0 unless an extension is negotiated that defines meanings
    /// for non-zero values"; permessage-deflate defines RSV1 on a message's first frame only
    /// (RFC 7692 §6.1). Carries the three bits.
    case reservedBitsSet(UInt8)
    /// RFC 7692 §6.2: a compressed message whose data does not inflate (corrupt deflate data,
    /// or a message ending inside a deflate block); treated as data inconsistent with its
    /// type, 1007.
    case invalidCompressedData
    /// §5.2: "If an unknown opcode is received, the receiving endpoint MUST _Fail the WebSocket
    /// Connection_." Carries the opcode bits.
    case unknownOpcode(UInt8)
    /// §5.5: "Control frames ... MUST NOT be fragmented." (FIN = 0 on a control frame)
    case fragmentedControlFrame(WebSocketOpcode)
    /// §5.5: "All control frames MUST have a payload length of 125 bytes or less".
    case controlFrameTooLong(WebSocketOpcode)
    /// §5.1: "The server MUST close the connection upon receiving a frame that is not masked."
    case unmaskedFrame
    /// §5.1: "A client MUST close a connection if it detects a masked frame." (client role)
    case maskedFrame
    /// §5.2: in the 64-bit payload length "the most significant bit MUST be 0".
    case payloadLengthTooLong
    /// A data frame's payload length exceeds the configured limit (§7.4.1: 1009 "a message
    /// that is too big for it to process"). Checked at the header, before any payload.
    case frameTooBig(length: UInt64, limit: UInt64)
    /// A (possibly fragmented) message would exceed the configured limit (§7.4.1: 1009).
    /// Checked before the bytes are buffered.
    case messageTooBig(limit: Int)
    /// §5.4: a continuation frame (opcode 0) arrived while no fragmented message was in
    /// progress (fragments are "a single frame with the FIN bit clear and an opcode other than
    /// 0, followed by zero or more frames with the FIN bit clear and the opcode set to 0").
    case unexpectedContinuation
    /// §5.4: a text or binary frame arrived before the final fragment of the previous message
    /// ("the fragments of one message MUST NOT be interleaved between the fragments of another
    /// message").
    case expectedContinuation(WebSocketOpcode)
    /// §8.1: a text message contains a byte sequence that is not UTF-8 ("that endpoint MUST
    /// _Fail the WebSocket Connection_"); detected at the first impossible byte.
    case invalidUTF8
    /// §8.1: a text message ended in the middle of a UTF-8 sequence.
    case incompleteUTF8
    /// §5.5.1: a Close body, if present, starts with a 2-byte status code, so 1 byte is invalid.
    case closePayloadTooShort
    /// §7.4.1/§7.4.2: a Close frame carries a status code that must not be sent (e.g. 1005,
    /// 1006, 999, 5000). Carries the code.
    case invalidCloseCode(UInt16)
    /// §5.5.1: the Close reason "is not guaranteed to be human readable" but its data "MUST be
    /// encoded as UTF-8"; it was not.
    case invalidCloseReason

    /// The status code to send in our Close frame (§7.4.1): 1002 for protocol errors, 1007
    /// for data inconsistent with its type, 1009 for size limits.
    public var closeCode: WebSocketCloseCode {
        switch self {
        case .reservedBitsSet, .unknownOpcode, .fragmentedControlFrame, .controlFrameTooLong,
             .unmaskedFrame, .maskedFrame, .payloadLengthTooLong, .unexpectedContinuation,
             .expectedContinuation, .closePayloadTooShort, .invalidCloseCode:
            .protocolError
        case .invalidUTF8, .incompleteUTF8, .invalidCloseReason, .invalidCompressedData:
            .invalidFramePayloadData
        case .frameTooBig, .messageTooBig:
            .messageTooBig
        }
    }

    /// A short ASCII text for the Close frame's reason (always well under the 123 bytes a
    /// Close payload leaves for it, §5.5).
    public var reason: String {
        switch self {
        case .reservedBitsSet: "reserved bits set"
        case .unknownOpcode(let bits): "unknown opcode \(bits)"
        case .fragmentedControlFrame: "fragmented control frame"
        case .controlFrameTooLong: "control frame too long"
        case .unmaskedFrame: "frame not masked"
        case .maskedFrame: "frame masked"
        case .payloadLengthTooLong: "payload length too long"
        case .frameTooBig: "frame too big"
        case .messageTooBig: "message too big"
        case .unexpectedContinuation: "unexpected continuation frame"
        case .expectedContinuation: "expected continuation frame"
        case .invalidUTF8: "invalid UTF-8 in text"
        case .incompleteUTF8: "incomplete UTF-8 in text"
        case .invalidCompressedData: "invalid compressed data"
        case .closePayloadTooShort: "close payload too short"
        case .invalidCloseCode(let code): "invalid close code \(code)"
        case .invalidCloseReason: "invalid UTF-8 in close reason"
        }
    }
}
