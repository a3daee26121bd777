/// Base64 with the standard alphabet and `=` padding (RFC 4648 §4).
///
/// Why it exists: the WebSocket handshake base64-decodes `Sec-WebSocket-Key` (it must be 16
/// bytes, RFC 6455 §4.2.1 item 5) and base64-encodes `Sec-WebSocket-Accept` (§4.2.2), and the
/// pure layers may not use Foundation. Decoding is strict on purpose (no whitespace, no missing
/// padding, no URL-safe alphabet, non-zero padding bits rejected): a key that is not canonical
/// base64 is a malformed handshake. It is not meant for bulk data.
public enum Base64 {
    /// The 64 characters of RFC 4648 Table 1.
    static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    /// The pad character (RFC 4648 §4).
    static let pad = UInt8(ascii: "=")

    /// Encodes `bytes`, padding the last group with `=`.
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        // Through a buffer pointer: the generic iterator is not specialized across modules and
        // allocated per byte (22 allocations for one Sec-WebSocket-Accept).
        if let encoded = bytes.withContiguousStorageIfAvailable(encode(buffer:)) { return encoded }
        return Array(bytes).withUnsafeBufferPointer(encode(buffer:))
    }

    private static func encode(buffer bytes: UnsafeBufferPointer<UInt8>) -> String {
        let length = (bytes.count + 2) / 3 * 4
        return String(unsafeUninitializedCapacity: length) { out in
            var written = 0
            var index = 0
            while index < bytes.count {
                let b1 = index + 1 < bytes.count ? bytes[index + 1] : nil
                let b2 = index + 2 < bytes.count ? bytes[index + 2] : nil
                let group = UInt32(bytes[index]) << 16 | UInt32(b1 ?? 0) << 8 | UInt32(b2 ?? 0)
                out[written] = alphabet[Int(group >> 18 & 0x3F)]
                out[written + 1] = alphabet[Int(group >> 12 & 0x3F)]
                out[written + 2] = b1 == nil ? pad : alphabet[Int(group >> 6 & 0x3F)]
                out[written + 3] = b2 == nil ? pad : alphabet[Int(group & 0x3F)]
                written += 4
                index += 3
            }
            return written
        }
    }

    /// Decodes canonical padded base64, or returns nil on any character outside the alphabet,
    /// a length that is not a multiple of 4, misplaced padding or non-zero padding bits
    /// (RFC 4648 §3.5: such encodings are not canonical).
    public static func decode(_ text: some StringProtocol) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 4 == 0 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(chars.count / 4 * 3)
        var index = 0
        while index < chars.count {
            let isLast = index + 4 == chars.count
            let padding: Int
            if isLast && chars[index + 2] == pad && chars[index + 3] == pad {
                padding = 2
            } else if isLast && chars[index + 3] == pad {
                padding = 1
            } else {
                padding = 0
            }
            var group: UInt32 = 0
            for offset in 0 ..< 4 {
                let value: UInt8
                if offset >= 4 - padding {
                    value = 0
                } else {
                    guard let decoded = sextet(chars[index + offset]) else { return nil }
                    value = decoded
                }
                group = group << 6 | UInt32(value)
            }
            // The bits that padding leaves over must be zero (RFC 4648 §3.5).
            if padding == 2 && group & 0xFFFF != 0 { return nil }
            if padding == 1 && group & 0xFF != 0 { return nil }
            out.append(UInt8(truncatingIfNeeded: group >> 16))
            if padding < 2 { out.append(UInt8(truncatingIfNeeded: group >> 8)) }
            if padding < 1 { out.append(UInt8(truncatingIfNeeded: group)) }
            index += 4
        }
        return out
    }

    /// The 6-bit value of one alphabet character, or nil (also for `=`).
    private static func sextet(_ char: UInt8) -> UInt8? {
        switch char {
        case UInt8(ascii: "A") ... UInt8(ascii: "Z"): return char - UInt8(ascii: "A")
        case UInt8(ascii: "a") ... UInt8(ascii: "z"): return char - UInt8(ascii: "a") + 26
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): return char - UInt8(ascii: "0") + 52
        case UInt8(ascii: "+"): return 62
        case UInt8(ascii: "/"): return 63
        default: return nil
        }
    }
}
