/// Percent-decoding of URL paths (RFC 3986 §2.1; "+" is not a space in a path).
///
/// Why it exists: `--dir` maps URL segments to file names, and a lenient decoder is how path
/// traversal gets in ("%2e%2e", "%2F", "%00"), so routing uses `decode`, which refuses anything
/// doubtful instead of guessing (and `ScriptResolver` checks what the decoded bytes must not
/// contain). The CGI environment only reports a path, as Go's `URL.Path` does, and uses
/// `decodeLeniently`, which keeps a malformed escape as it is.
public enum PercentDecoding {
    /// The decoded bytes, or nil when an escape is malformed. Inlinable, so that callers in
    /// other modules get it specialised for their collection (it runs for every request).
    @inlinable
    public static func decode(_ encoded: some Collection<UInt8>) -> [UInt8]? {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(encoded.count)
        var iterator = encoded.makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                decoded.append(byte)
                continue
            }
            guard let high = iterator.next().flatMap(hexValue), let low = iterator.next().flatMap(hexValue) else {
                return nil
            }
            decoded.append(high << 4 | low)
        }
        return decoded
    }

    /// The decoded bytes; a "%" not followed by two hex digits is kept as it is.
    public static func decodeLeniently(_ encoded: [UInt8]) -> [UInt8] {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(encoded.count)
        var index = 0
        while index < encoded.count {
            if encoded[index] == UInt8(ascii: "%"), index + 2 < encoded.count,
               let high = hexValue(encoded[index + 1]), let low = hexValue(encoded[index + 2]) {
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(encoded[index])
                index += 1
            }
        }
        return decoded
    }

    @usableFromInline
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
