/// An incremental, fail-fast UTF-8 validator (Unicode 15, Table 3-7 "Well-Formed UTF-8 Byte
/// Sequences"; RFC 3629 §4).
///
/// Why it exists: RFC 6455 §8.1 requires text messages (and close reasons, §5.5.1) to be valid
/// UTF-8, and §8.1 says "When an endpoint is to interpret a byte stream as UTF-8 but finds that
/// the byte stream is not, in fact, a valid UTF-8 stream, that endpoint MUST _Fail the
/// WebSocket Connection_". Text arrives in pieces that can split a character anywhere, and a
/// good peer implementation (and Autobahn 6.4.x) expects the failure as soon as the first
/// impossible byte arrives, not when the message is complete. So this validator keeps the
/// position inside the current sequence between calls and rejects a byte the moment it cannot
/// continue any well-formed sequence: overlong forms (C0, C1, E0 80..9F, F0 80..8F),
/// surrogates (ED A0..BF), code points above U+10FFFF (F4 90..BF, F5..FF) and stray
/// continuation bytes.
///
/// It does not decode or copy anything. After it has returned `false` it stays failed (every
/// later call returns `false`) until `reset()`.
public struct UTF8Validator: Sendable {
    /// Continuation bytes still expected in the current sequence (0 = ground state).
    private var remaining: UInt8 = 0
    /// Allowed range of the NEXT continuation byte (narrowed after E0, ED, F0, F4).
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF
    /// Set once an impossible byte was seen.
    public private(set) var hasFailed = false

    /// A validator in the ground state.
    public init() {}

    /// `true` when not inside a multi-byte sequence (and not failed): a complete text must end
    /// here.
    public var isAtCharacterBoundary: Bool { remaining == 0 && !hasFailed }

    /// Back to the ground state, forgetting any failure.
    public mutating func reset() {
        self = UTF8Validator()
    }

    /// Checks the next piece of the text. Returns `false` as soon as a byte is seen that cannot
    /// be part of any valid UTF-8 sequence given everything before it; sequences may be split
    /// across calls.
    public mutating func validate(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if hasFailed { return false }
        let count = bytes.count
        var index = 0
        while index < count {
            if remaining == 0 {
                // ASCII fast path: eight bytes at a time while none has its top bit set.
                while index + 8 <= count,
                      bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self) & 0x8080_8080_8080_8080 == 0 {
                    index += 8
                }
                if index == count { break }
                let byte = bytes[index]
                index += 1
                if !start(byte) {
                    hasFailed = true
                    return false
                }
            } else {
                let byte = bytes[index]
                index += 1
                guard byte >= lower && byte <= upper else {
                    hasFailed = true
                    return false
                }
                remaining -= 1
                lower = 0x80
                upper = 0xBF
            }
        }
        return true
    }

    /// Enters the state after a first byte, or returns `false` if no sequence starts with it.
    @inline(__always) private mutating func start(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x00 ... 0x7F:
            return true
        case 0xC2 ... 0xDF:
            remaining = 1
        case 0xE0:
            remaining = 2; lower = 0xA0  // E0 80..9F would be overlong
        case 0xE1 ... 0xEC, 0xEE ... 0xEF:
            remaining = 2
        case 0xED:
            remaining = 2; upper = 0x9F  // ED A0..BF would be a surrogate (U+D800..DFFF)
        case 0xF0:
            remaining = 3; lower = 0x90  // F0 80..8F would be overlong
        case 0xF1 ... 0xF3:
            remaining = 3
        case 0xF4:
            remaining = 3; upper = 0x8F  // F4 90..BF would be above U+10FFFF
        default:
            // 80..BF: continuation without a lead byte; C0, C1: always overlong;
            // F5..FF: above U+10FFFF or not UTF-8 at all.
            return false
        }
        return true
    }
}
