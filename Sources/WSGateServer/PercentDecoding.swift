/// Strict percent-decoding of one URL path segment (RFC 3986 §2.1), for routing.
///
/// Why it exists: `--dir` maps URL segments to file names, and a lenient decoder is how path
/// traversal gets in ("%2e%2e", "%2F", "%00"). This one refuses anything doubtful instead of
/// guessing: a "%" not followed by two hex digits, and (in `ScriptResolver`) what the decoded
/// bytes must not contain. "+" is not a space in a path.
enum PercentDecoding {
    /// The decoded bytes, or nil when an escape is malformed.
    static func decode(_ encoded: some Collection<UInt8>) -> [UInt8]? {
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

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
