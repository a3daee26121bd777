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
        return String(decoding: PercentDecoding.decodeLeniently(Array(rawPath.utf8)), as: UTF8.self)
    }
}
