// MARK: - request-line (RFC 9112 §3)

extension HTTPRequestParser {
    /// The three parts of a validated request-line.
    struct RequestLine: Sendable {
        /// `HTTP-name = %s"HTTP"` followed by "/" (RFC 9112 §2.3), case-sensitive.
        static let versionPrefix: [UInt8] = Array("HTTP/".utf8)
        /// `HTTP-version = HTTP-name "/" DIGIT "." DIGIT` is exactly 8 bytes.
        static let versionLength = 8

        let method: String
        let target: RequestTarget
        let version: HTTPVersion

        /// Parses `request-line = method SP request-target SP HTTP-version` (CRLF removed).
        init(parsing line: UnsafeRawBufferPointer) throws(HTTPParseError) {
            // RFC 9112 §3: "A request-line begins with a method token, followed by a single space
            // (SP), the request-target, and another single space (SP), and ends with the protocol
            // version." Exactly three non-empty parts: no HTTP/0.9 "GET /", no double spaces.
            // Found by index, not split into an array: this runs for every request.
            guard let firstSpace = line.firstIndex(of: HTTPGrammar.sp),
                  let secondSpace = line[(firstSpace + 1)...].firstIndex(of: HTTPGrammar.sp),
                  !line[(secondSpace + 1)...].contains(HTTPGrammar.sp),
                  firstSpace > 0, secondSpace > firstSpace + 1, secondSpace + 1 < line.count
            else { throw .malformedRequestLine }
            let methodBytes = line[..<firstSpace]

            // RFC 9110 §9.1: "method = token".
            guard HTTPGrammar.isToken(methodBytes) else { throw .invalidMethod }
            method = String(decoding: methodBytes, as: UTF8.self)
            target = try RequestTarget(parsing: String(decoding: line[(firstSpace + 1)..<secondSpace], as: UTF8.self))
            version = try Self.version(line[(secondSpace + 1)...])
        }

        /// `HTTP-version = HTTP-name "/" DIGIT "." DIGIT` (RFC 9112 §2.3); only 1.0 and 1.1
        /// are spoken here (RFC 9110 §15.6.6: 505 for a major version we do not support).
        private static func version(_ bytes: Slice<UnsafeRawBufferPointer>) throws(HTTPParseError) -> HTTPVersion {
            guard bytes.count == versionLength, bytes.starts(with: versionPrefix) else { throw .invalidVersion }
            let major = bytes[bytes.startIndex + 5]
            let dot = bytes[bytes.startIndex + 6]
            let minor = bytes[bytes.startIndex + 7]
            guard isDigit(major), dot == UInt8(ascii: "."), isDigit(minor) else { throw .invalidVersion }
            let version = HTTPVersion(major: Int(major - UInt8(ascii: "0")), minor: Int(minor - UInt8(ascii: "0")))
            guard version == .http1_1 || version == .http1_0 else { throw .unsupportedVersion }
            return version
        }

        private static func isDigit(_ byte: UInt8) -> Bool {
            byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
        }
    }
}
