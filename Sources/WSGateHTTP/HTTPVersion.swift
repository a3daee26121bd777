/// The protocol version of a request line, e.g. `HTTP/1.1` (RFC 9112 §2.3).
///
/// Why it exists: the version decides framing rules (HTTP/1.0 may omit Host and must not use
/// Transfer-Encoding) and whether the gateway answers at all (only 1.0 and 1.1 are spoken
/// here). It holds only the two digits; it does not say whether the version is supported.
public struct HTTPVersion: Comparable, Hashable, Sendable, CustomStringConvertible {
    /// The digit before the dot.
    public let major: Int
    /// The digit after the dot.
    public let minor: Int

    public init(major: Int, minor: Int) {
        self.major = major
        self.minor = minor
    }

    /// HTTP/1.0 (RFC 1945).
    public static let http1_0 = HTTPVersion(major: 1, minor: 0)
    /// HTTP/1.1 (RFC 9112).
    public static let http1_1 = HTTPVersion(major: 1, minor: 1)

    /// Orders by major, then minor version (1.0 < 1.1 < 2.0).
    public static func < (lhs: HTTPVersion, rhs: HTTPVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }

    /// "HTTP/1.1".
    public var description: String { "HTTP/\(major).\(minor)" }
}
