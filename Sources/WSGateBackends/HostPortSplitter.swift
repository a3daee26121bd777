/// Splits "host:port" text exactly as Go's `net.SplitHostPort` does, including its error cases.
///
/// Why it exists: websocketd derives SERVER_NAME / SERVER_PORT (and its origin checks) from
/// the Host header through `net.SplitHostPort`, falling back to a default port only for the
/// "missing port" error. Reproducing that split byte for byte is what makes the environment a
/// drop-in match, quirks included: "[::1]" (no port) keeps its brackets as the host,
/// "a:b:c" is an error, the port is not checked to be numeric.
///
/// It must not resolve, normalise or lowercase anything.
public enum HostPortSplitter {
    /// What `net.SplitHostPort` returns.
    public enum Outcome: Equatable, Sendable {
        /// Host (brackets removed) and port (possibly empty or not numeric).
        case split(host: String, port: String)
        /// Go's "missing port in address" error: the caller may use the whole text as the host.
        case missingPort
        /// Any other Go error ("too many colons", "missing ']'", "unexpected '['" …).
        case invalid
    }

    public static func split(_ text: String) -> Outcome {
        let bytes = Array(text.utf8)
        let colon = UInt8(ascii: ":"), open = UInt8(ascii: "["), close = UInt8(ascii: "]")
        // The port starts after the last colon.
        guard let lastColon = bytes.lastIndex(of: colon) else { return .missingPort }
        let host: ArraySlice<UInt8>
        var hostSearchStart = 0, closeSearchStart = 0
        if bytes[0] == open {
            // Expect the first "]" just before the last ":".
            guard let end = bytes.firstIndex(of: close) else { return .invalid }
            if end + 1 == bytes.count { return .missingPort }
            if end + 1 != lastColon { return bytes[end + 1] == colon ? .invalid : .missingPort }
            host = bytes[1 ..< end]
            hostSearchStart = 1
            closeSearchStart = end + 1
        } else {
            host = bytes[0 ..< lastColon]
            if host.contains(colon) { return .invalid }
        }
        if bytes[hostSearchStart...].contains(open) { return .invalid }
        if bytes[closeSearchStart...].contains(close) { return .invalid }
        return .split(host: String(decoding: host, as: UTF8.self),
                      port: String(decoding: bytes[(lastColon + 1)...], as: UTF8.self))
    }
}
