public import WSGateCore

/// Reads the PROXY protocol header (HAProxy's specification, versions 1 and 2) that a trusted
/// proxy puts in front of a TCP stream.
///
/// Why it exists: with HAProxy's `send-proxy` or `send-proxy-v2` in front of wsgate, the
/// peer's address is the proxy's; the header carries the real client's. The specification
/// wants the receiver to accept both formats ("it is recommended that they also implement the
/// human-readable header format"), to be strict ("Any sequence which does not exactly match the
/// protocol must be discarded") and to "not start processing the connection before it receives
/// a complete and valid PROXY protocol header" — in whatever pieces TCP delivers it.
///
/// Use: after each read, call `parse` with every byte received on the connection so far (the
/// parser keeps no state: its answer depends only on those bytes, and only on the first
/// `maxV2HeaderBytes` of them). It never consumes anything itself: on `.header` the caller
/// drops `consumed` bytes and reads what follows (HTTP, TLS, ...) from the rest. Cost per call:
/// a v1 line is rescanned (at most 107 bytes); a v2 header is looked at once it is complete.
///
/// Whether to expect a header at all is the caller's choice, never a guess: the specification
/// says the receiver "MUST not try to guess whether the protocol header is present or not" and
/// should only accept it from trusted proxies. `.absent` says the bytes are not a header, so
/// the caller can refuse the connection (a listener that requires the header) or hand the bytes
/// to the HTTP parser (a peer that is not a trusted proxy).
public enum ProxyProtocolParser {
    /// What the bytes received so far amount to.
    public enum Result: Equatable, Hashable, Sendable {
        /// A prefix of a header, or of a signature: call again with more bytes.
        case needMore
        /// The first bytes differ from both signatures (`PROXY ` and the v2 one): no header.
        case absent
        /// A complete, valid header of `consumed` bytes (all of them before the payload).
        case header(ProxyHeader, consumed: Int)
        /// Bytes that began with a signature but are no valid header: close the connection.
        case invalid(ProxyProtocolError)
    }

    /// Section 2.1: the longest line "the receiver must support including the CRLF" is
    /// "PROXY UNKNOWN ffff:f...f:ffff ffff:f...f:ffff 65535 65535\r\n" => 107 chars, and "If
    /// the CRLF sequence is not found in the first 107 characters, the receiver should declare
    /// the line invalid."
    public static let maxV1HeaderBytes = 107

    /// The longest v2 header accepted (16 + the length field). The specification sets none
    /// beyond the 16-bit length; it says headers were designed to fit 536 bytes, but TLVs can
    /// go further: UNIX addresses (216) plus ALPN, authority (an SNI of up to 255), unique ID
    /// (up to 128), CRC32C, SSL with its version, CN, cipher and algorithms, NETNS come to
    /// about 1.4 KiB at most in practice. 4 KiB holds that with room to spare, and keeps what a
    /// caller must buffer before an answer at one page instead of 64 KiB.
    public static let maxV2HeaderBytes = 4096

    /// Section 2.1: "a string identifying the protocol : "PROXY"" followed by "exactly one
    /// space".
    static let v1Signature: [UInt8] = Array("PROXY ".utf8)

    /// Section 2.2: "The binary header format starts with a constant 12 bytes block containing
    /// the protocol signature : \x0D \x0A \x0D \x0A \x00 \x0D \x0A \x51 \x55 \x49 \x54 \x0A".
    static let v2Signature: [UInt8] = [0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A]

    /// The answer for the bytes received so far on a connection, first byte first.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> Result {
        if startsLikeSignature(bytes, v2Signature) {
            return bytes.count < v2Signature.count ? .needMore : parseBinary(bytes)
        }
        if startsLikeSignature(bytes, v1Signature) {
            return bytes.count < v1Signature.count ? .needMore : parseText(bytes)
        }
        return .absent
    }

    /// The answer for the readable bytes of `buffer` (which is left as it is).
    public static func parse(_ buffer: ByteBuffer) -> Result {
        buffer.withUnsafeReadableBytes { parse($0) }
    }

    /// Whether `bytes` and `signature` agree on as many bytes as both have.
    private static func startsLikeSignature(_ bytes: UnsafeRawBufferPointer, _ signature: [UInt8]) -> Bool {
        zip(bytes, signature).allSatisfy { $0 == $1 }
    }
}
