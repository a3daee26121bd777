/// Base64 with the URL- and filename-safe alphabet and no padding (RFC 4648 §5, as JWS uses it:
/// RFC 7515 §2).
///
/// Why it exists: each part of a token is base64url, and `WSGateCore.Base64` is the strict
/// padded standard alphabet of the handshake. Decoding is strict: `=`, whitespace and the
/// standard alphabet's `+` and `/` are refused, as are impossible lengths (one character left
/// over) and non-zero bits after the last byte, so one token has exactly one spelling.
public enum Base64URL {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Each byte's value in the alphabet, or 0xFF.
    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, character) in alphabet.enumerated() { table[Int(character)] = UInt8(value) }
        return table
    }()

    /// The bytes `text` encodes, or nil when it is not canonical unpadded base64url. The output
    /// is at most three quarters of the input.
    public static func decode(_ text: some Collection<UInt8>) -> [UInt8]? {
        guard text.count % 4 != 1 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(text.count / 4 * 3 + 2)
        var group: UInt32 = 0
        var held = 0
        for character in text {
            let value = values[Int(character)]
            guard value != 0xFF else { return nil }
            group = group << 6 | UInt32(value)
            held += 1
            if held == 4 {
                out.append(UInt8(truncatingIfNeeded: group >> 16))
                out.append(UInt8(truncatingIfNeeded: group >> 8))
                out.append(UInt8(truncatingIfNeeded: group))
                group = 0
                held = 0
            }
        }
        switch held {
        case 2:  // 12 bits: one byte and 4 zero bits
            guard group & 0xF == 0 else { return nil }
            out.append(UInt8(truncatingIfNeeded: group >> 4))
        case 3:  // 18 bits: two bytes and 2 zero bits
            guard group & 0x3 == 0 else { return nil }
            out.append(UInt8(truncatingIfNeeded: group >> 10))
            out.append(UInt8(truncatingIfNeeded: group >> 2))
        default:
            break
        }
        return out
    }

    /// `bytes` in unpadded base64url (tests and fuzzing build tokens with it).
    public static func encode(_ bytes: some Collection<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var group: UInt32 = 0
        var held = 0
        for byte in bytes {
            group = group << 8 | UInt32(byte)
            held += 1
            if held == 3 {
                for shift in [18, 12, 6, 0] as [UInt32] { out.append(alphabet[Int(group >> shift & 0x3F)]) }
                group = 0
                held = 0
            }
        }
        if held == 1 {
            out.append(alphabet[Int(group >> 2 & 0x3F)])
            out.append(alphabet[Int(group << 4 & 0x3F)])
        } else if held == 2 {
            out.append(alphabet[Int(group >> 10 & 0x3F)])
            out.append(alphabet[Int(group >> 4 & 0x3F)])
            out.append(alphabet[Int(group << 2 & 0x3F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
