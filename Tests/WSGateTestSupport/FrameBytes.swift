public import WSGateWebSocket

/// Builders of client frames as raw bytes, for decoder tests.
///
/// Why it exists: tests must be able to write frames the encoder never would — RSV bits,
/// reserved opcodes, unmasked client frames, non-minimal or lying length fields — so these
/// builders take raw bit values and do no validation at all.
public enum FrameBytes {
    /// The masking key used when a test does not care which one.
    public static let defaultKey = WebSocketMaskingKey(0x37, 0xFA, 0x21, 0x3D)

    /// How the payload length is written (§5.2).
    public enum LengthEncoding: Sendable {
        /// The minimal encoding (7-bit, 16-bit for 126...65535, else 64-bit).
        case minimal
        /// 7-bit field 126 plus a 16-bit length, whatever the length.
        case sixteenBit
        /// 7-bit field 127 plus a 64-bit length, whatever the length.
        case sixtyFourBit
    }

    /// The header bytes of a frame. `declaredLength` is written as is (it may lie about the
    /// payload that follows, or be absurd). `rsv` holds the three RSV bits (0...7).
    public static func header(
        fin: Bool = true,
        rsv: UInt8 = 0,
        opcode: UInt8,
        declaredLength: UInt64,
        maskingKey: WebSocketMaskingKey? = defaultKey,
        lengthEncoding: LengthEncoding = .minimal
    ) -> [UInt8] {
        var bytes: [UInt8] = [(fin ? 0x80 : 0) | (rsv & 0x7) << 4 | opcode & 0x0F]
        let maskBit: UInt8 = maskingKey == nil ? 0 : 0x80
        let encoding: LengthEncoding
        switch lengthEncoding {
        case .minimal: encoding = declaredLength <= 125 ? .minimal : declaredLength <= 0xFFFF ? .sixteenBit : .sixtyFourBit
        default: encoding = lengthEncoding
        }
        switch encoding {
        case .minimal:
            bytes.append(maskBit | UInt8(declaredLength))
        case .sixteenBit:
            bytes.append(maskBit | 126)
            bytes += bigEndian(UInt16(truncatingIfNeeded: declaredLength))
        case .sixtyFourBit:
            bytes.append(maskBit | 127)
            bytes += bigEndian(declaredLength)
        }
        if let maskingKey { bytes += maskingKey.bytes }
        return bytes
    }

    /// A whole frame: header, then `payload` masked with `maskingKey` (nil: unmasked).
    public static func frame(
        fin: Bool = true,
        rsv: UInt8 = 0,
        opcode: UInt8,
        payload: [UInt8],
        maskingKey: WebSocketMaskingKey? = defaultKey,
        lengthEncoding: LengthEncoding = .minimal
    ) -> [UInt8] {
        header(fin: fin, rsv: rsv, opcode: opcode, declaredLength: UInt64(payload.count),
               maskingKey: maskingKey, lengthEncoding: lengthEncoding)
            + mask(payload, with: maskingKey)
    }

    /// A whole frame with a named opcode.
    public static func frame(
        fin: Bool = true,
        _ opcode: WebSocketOpcode,
        _ payload: [UInt8],
        maskingKey: WebSocketMaskingKey? = defaultKey,
        lengthEncoding: LengthEncoding = .minimal
    ) -> [UInt8] {
        frame(fin: fin, opcode: opcode.rawValue, payload: payload, maskingKey: maskingKey, lengthEncoding: lengthEncoding)
    }

    /// A masked text frame.
    public static func text(_ text: String, fin: Bool = true) -> [UInt8] {
        frame(fin: fin, .text, Array(text.utf8))
    }

    /// A masked binary frame.
    public static func binary(_ payload: [UInt8], fin: Bool = true) -> [UInt8] {
        frame(fin: fin, .binary, payload)
    }

    /// A masked continuation frame.
    public static func continuation(_ payload: [UInt8], fin: Bool = true) -> [UInt8] {
        frame(fin: fin, .continuation, payload)
    }

    /// A masked Close frame: no body when `code` is nil, else the code and the raw reason.
    public static func close(code: UInt16?, reason: [UInt8] = []) -> [UInt8] {
        frame(.close, code.map { bigEndian($0) + reason } ?? [])
    }

    /// `payload` XORed with the key, byte by byte (the obvious reference implementation).
    public static func mask(_ payload: [UInt8], with key: WebSocketMaskingKey?, startingAt offset: Int = 0) -> [UInt8] {
        guard let key else { return payload }
        return payload.enumerated().map { $0.element ^ key[(offset + $0.offset) % 4] }
    }

    /// The big-endian bytes of an integer.
    public static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        (0 ..< MemoryLayout<T>.size).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }
}
