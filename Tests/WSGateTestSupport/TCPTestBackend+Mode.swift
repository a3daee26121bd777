extension TCPTestBackend {
    /// What the backend does with each connection it accepts (every connection of a backend
    /// gets the same mode).
    public enum Mode: Sendable, Equatable, CustomStringConvertible {
        /// Writes back every byte as it reads it; closes at the gateway's EOF.
        case echo
        /// Writes back each complete line, its `\n` included, once the `\n` arrived; at the
        /// gateway's EOF writes back an unterminated rest as it is, then closes.
        case lineEcho
        /// Writes the text at once, then ends its side (FIN: shutdown(SHUT_WR)), records what
        /// still arrives until the gateway closes, then closes. Never an RST: whatever the
        /// gateway sent is read first.
        case greetThenClose(String)
        /// Closes each connection as soon as it is accepted, with SO_LINGER 0 (an RST).
        case reset
        /// Waits for the first bytes from the gateway (recorded), then resets (RST): a
        /// mid-session reset at the moment the test chooses by sending.
        case resetAfterFirstRead
        /// Reads (and records) until the gateway ends its side (shutdown(SHUT_WR) or close),
        /// then writes the text and closes.
        case answerAfterHalfClose(String)
        /// Writes this many bytes of `TCPTestBackend.floodBytes` as fast as the gateway takes
        /// them, reading and recording what the gateway sends all along (so a stalled flood
        /// still shows whether the client's messages get through), then keeps the connection
        /// open until the gateway closes it (so a gateway that buffered everything still
        /// holds it).
        case flood(Int)
        /// Like `flood`, but ends its side (FIN) after the last byte, then reads until the
        /// gateway closes.
        case floodThenClose(Int)
        /// Accepts and never reads: the gateway's writes fill the socket buffers and stall. The
        /// connection stays open until the backend stops (or the gateway resets it).
        case neverRead
        /// Reads the first line, up to and including its `\n` (at most
        /// `proxyHeaderLimit` bytes, the PROXY protocol v1 maximum) into
        /// `Connection.proxyHeader`, then echoes everything after it, as `echo` does.
        case recordProxyHeader

        public var description: String {
            switch self {
            case .echo: "echo"
            case .lineEcho: "lineEcho"
            case .greetThenClose(let text): "greetThenClose(\(text.debugDescription))"
            case .reset: "reset"
            case .resetAfterFirstRead: "resetAfterFirstRead"
            case .answerAfterHalfClose(let text): "answerAfterHalfClose(\(text.debugDescription))"
            case .flood(let count): "flood(\(count))"
            case .floodThenClose(let count): "floodThenClose(\(count))"
            case .neverRead: "neverRead"
            case .recordProxyHeader: "recordProxyHeader"
            }
        }
    }

    /// The longest PROXY protocol v1 line, CRLF included (the spec's worst case, 107 bytes);
    /// a first line without `\n` in that many bytes is recorded cut at this length.
    public static let proxyHeaderLimit = 107

    /// The flood pattern: byte `i` of a flood is `i % floodPeriod`. A prime period makes a
    /// lost, repeated or reordered chunk of any power-of-two size visible.
    public static let floodPeriod = 251

    /// `count` bytes of the flood pattern starting at byte `offset` of the flood.
    public static func floodBytes(from offset: Int, count: Int) -> [UInt8] {
        (0..<count).map { UInt8((offset + $0) % floodPeriod) }
    }
}
