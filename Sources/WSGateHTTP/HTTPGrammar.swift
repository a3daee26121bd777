/// Byte classes and delimiters of the HTTP/1.1 message grammar (RFC 9110 §5.6, RFC 9112 §2–§5,
/// core rules of RFC 5234 Appendix B.1).
///
/// Why it exists: the parser, the header lookups and the response writer must agree on what a
/// token, whitespace and a legal field byte are; keeping the classes in one place (with the RFC
/// text beside each) avoids three slightly different definitions. It only classifies bytes: it
/// never allocates, decodes or throws.
enum HTTPGrammar {
    /// CR (%x0D), the first half of the CRLF line terminator (RFC 9112 §2.1).
    static let cr: UInt8 = 0x0D
    /// LF (%x0A), the second half of the CRLF line terminator (RFC 9112 §2.1).
    static let lf: UInt8 = 0x0A
    /// SP (%x20): the only separator allowed inside the request-line (RFC 9112 §3).
    static let sp: UInt8 = 0x20
    /// HTAB (%x09): with SP, the "optional whitespace" OWS (RFC 9110 §5.6.3).
    static let htab: UInt8 = 0x09
    /// ":" ends a field-name (RFC 9112 §5).
    static let colon: UInt8 = 0x3A
    /// "," separates list elements (RFC 9110 §5.6.1).
    static let comma: UInt8 = 0x2C
    /// "/" starts an origin-form request-target (RFC 9112 §3.2.1).
    static let slash: UInt8 = 0x2F
    /// "?" starts the query of a request-target (RFC 3986 §3.4).
    static let questionMark: UInt8 = 0x3F
    /// "#" starts a fragment, which a request-target never carries (RFC 9112 §3.2).
    static let numberSign: UInt8 = 0x23
    /// "@" ends a userinfo, which an http(s) authority must not carry (RFC 9110 §4.2.4).
    static let atSign: UInt8 = 0x40

    /// `tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" /
    /// "|" / "~" / DIGIT / ALPHA` (RFC 9110 §5.6.2).
    static func isTokenChar(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// `token = 1*tchar` (RFC 9110 §5.6.2): non-empty, every byte a tchar.
    static func isToken(_ bytes: some Sequence<UInt8>) -> Bool {
        var sawByte = false
        for byte in bytes {
            guard isTokenChar(byte) else { return false }
            sawByte = true
        }
        return sawByte
    }

    /// `OWS = *( SP / HTAB )` (RFC 9110 §5.6.3).
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == sp || byte == htab
    }

    /// `field-vchar = VCHAR / obs-text`, plus SP and HTAB inside `field-content`
    /// (RFC 9110 §5.5); VCHAR is %x21-7E and obs-text %x80-FF. Everything else (NUL, CR, LF,
    /// other controls, DEL) is excluded.
    static func isFieldValueByte(_ byte: UInt8) -> Bool {
        byte == sp || byte == htab || (byte >= 0x21 && byte != 0x7F)
    }

    /// A byte allowed anywhere in a request-target: a visible US-ASCII character (no SP, no
    /// CTL, no DEL, nothing >= 0x80; RFC 3986 §2 and RFC 9112 §3.2).
    static func isTargetByte(_ byte: UInt8) -> Bool {
        byte >= 0x21 && byte <= 0x7E
    }

    /// ASCII-lowercases one byte (field names and tokens compare case-insensitively,
    /// RFC 9110 §5.1).
    static func lowercased(_ byte: UInt8) -> UInt8 {
        (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) ? byte | 0x20 : byte
    }

    /// Byte-wise equality ignoring ASCII case (non-ASCII bytes must match exactly).
    static func equalsIgnoringASCIICase(_ a: some Collection<UInt8>, _ b: some Collection<UInt8>) -> Bool {
        guard a.count == b.count else { return false }
        for (x, y) in zip(a, b) where lowercased(x) != lowercased(y) {
            return false
        }
        return true
    }

    /// Removes leading and trailing OWS.
    static func trimmingWhitespace(_ bytes: Substring.UTF8View) -> Substring.UTF8View {
        var start = bytes.startIndex
        var end = bytes.endIndex
        while start < end, isWhitespace(bytes[start]) { start = bytes.index(after: start) }
        while end > start, isWhitespace(bytes[bytes.index(before: end)]) { end = bytes.index(before: end) }
        return bytes[start..<end]
    }
}
