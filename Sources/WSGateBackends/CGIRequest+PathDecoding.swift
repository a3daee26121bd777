// MARK: - The decoded path websocketd puts in PATH_INFO and PATH_TRANSLATED

extension CGIRequest {
    /// The percent-decoded form of a raw URL path, as Go's `URL.Path` gives it: websocketd puts
    /// this (not the raw path) in PATH_TRANSLATED, and in PATH_INFO in command mode.
    ///
    /// Every "%XX" with two hex digits becomes its byte; "+" stays "+" (RFC 3986 §2.1: only
    /// percent-encoding is decoded in a path). A "%" not followed by two hex digits is kept as
    /// it is (Go's server answers 400 to such a request; the HTTP layer decides that, this
    /// function never fails). Decoded bytes that are not UTF-8 become U+FFFD, because the
    /// environment is built from Swift strings.
    public static func decodedPath(_ rawPath: String) -> String {
        // Fast path: nothing to decode.
        guard rawPath.utf8.contains(UInt8(ascii: "%")) else { return rawPath }
        let bytes = Array(rawPath.utf8)
        var decoded: [UInt8] = []
        decoded.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
               let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(byte)
                index += 1
            }
        }
        return String(decoding: decoded, as: UTF8.self)
    }

    /// The value of one hex digit, or nil.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0") ... UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a") ... UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A") ... UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }
}
