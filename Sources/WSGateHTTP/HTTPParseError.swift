/// Why a request head or a chunked request body was refused: the one error type of the HTTP layer.
///
/// Why it exists: the server must answer a bad request with the right status (400, 431 or 505)
/// and log a short reason, without ever echoing peer bytes back. Each case names one rule of
/// RFC 9110 / RFC 9112 that the peer broke; the cases carry no peer data on purpose (nothing
/// attacker-controlled reaches the log line or the response).
public enum HTTPParseError: Error, Equatable, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// The request-line is not `method SP request-target SP HTTP-version` with single spaces
    /// (includes a missing version, as in HTTP/0.9, and more than two empty lines before it).
    case malformedRequestLine
    /// The method is not a token (RFC 9110 §9.1).
    case invalidMethod
    /// The request-target has a forbidden byte, or is neither origin-form nor an absolute-form
    /// http/https/ws/wss URI (asterisk-form and authority-form are refused).
    case invalidTarget
    /// The version is not `HTTP/` DIGIT `.` DIGIT (RFC 9112 §2.3).
    case invalidVersion
    /// The version is well-formed but not HTTP/1.0 or HTTP/1.1.
    case unsupportedVersion
    /// A header line has no colon.
    case malformedHeaderLine
    /// A field-name is empty or not a token (RFC 9110 §5.1).
    case invalidHeaderName
    /// Whitespace between a field-name and its colon (RFC 9112 §5.1).
    case whitespaceBeforeColon
    /// A field-value holds a control byte other than HTAB (NUL, bare CR, DEL, ...) (RFC 9110 §5.5).
    case invalidHeaderValue
    /// A header line starts with SP or HTAB: obsolete line folding (RFC 9112 §5.2) or
    /// whitespace after the request-line (RFC 9112 §2.2).
    case obsoleteLineFolding
    /// A line ends in LF without a CR before it (RFC 9112 §2.2).
    case bareLineFeed
    /// An HTTP/1.1 request without a Host field (RFC 9112 §3.2).
    case missingHost
    /// More than one Host field line (RFC 9112 §3.2).
    case duplicateHost
    /// Content-Length is not a decimal number that fits in an `Int` (RFC 9110 §8.6).
    case invalidContentLength
    /// Several Content-Length values that differ (RFC 9110 §8.6).
    case conflictingContentLength
    /// Both Transfer-Encoding and Content-Length: a request-smuggling vector (RFC 9112 §6.1).
    case contentLengthWithTransferEncoding
    /// Transfer-Encoding in HTTP/1.0, or without chunked as its single, final coding
    /// (RFC 9112 §6.1, §6.3).
    case invalidTransferEncoding
    /// More than the allowed number of bytes arrived without the end of the head.
    case headTooLarge
    /// More than the allowed number of header lines.
    case tooManyHeaders
    /// A chunk-size is not `1*HEXDIG`, has more hex digits than the decoder reads, or does not
    /// fit in an `Int` (RFC 9112 §7.1).
    case invalidChunkSize
    /// A chunk extension is not `;name[=token or quoted-string]` (RFC 9112 §7.1.1).
    case invalidChunkExtension
    /// Chunk data not followed by CRLF, or a CR not followed by LF (RFC 9112 §7.1).
    case invalidChunkedBody
    /// A chunk-size line (with its extensions) longer than the decoder accepts.
    case chunkLineTooLong
    /// A trailer section longer than the decoder accepts (RFC 9112 §7.1.2).
    case trailerSectionTooLarge

    /// The status to answer with: 431 for the limits on fields (RFC 6585 §5), 505 for a version
    /// this server does not speak (RFC 9110 §15.6.6), 400 for everything else (RFC 9110 §15.5.1).
    public var status: HTTPStatus {
        switch self {
        case .headTooLarge, .tooManyHeaders, .trailerSectionTooLarge:
            return .requestHeaderFieldsTooLarge
        case .unsupportedVersion:
            return .httpVersionNotSupported
        case .malformedRequestLine, .invalidMethod, .invalidTarget, .invalidVersion,
             .malformedHeaderLine, .invalidHeaderName, .whitespaceBeforeColon, .invalidHeaderValue,
             .obsoleteLineFolding, .bareLineFeed, .missingHost, .duplicateHost,
             .invalidContentLength, .conflictingContentLength, .contentLengthWithTransferEncoding,
             .invalidTransferEncoding, .invalidChunkSize, .invalidChunkExtension, .invalidChunkedBody,
             .chunkLineTooLong:
            return .badRequest
        }
    }

    /// A short reason for the log line (never contains peer bytes).
    public var description: String {
        switch self {
        case .malformedRequestLine: return "malformed request line"
        case .invalidMethod: return "invalid method"
        case .invalidTarget: return "invalid request target"
        case .invalidVersion: return "invalid HTTP version"
        case .unsupportedVersion: return "unsupported HTTP version"
        case .malformedHeaderLine: return "header line without colon"
        case .invalidHeaderName: return "invalid header name"
        case .whitespaceBeforeColon: return "whitespace between header name and colon"
        case .invalidHeaderValue: return "invalid byte in header value"
        case .obsoleteLineFolding: return "obsolete header line folding"
        case .bareLineFeed: return "line not terminated by CRLF"
        case .missingHost: return "missing Host header"
        case .duplicateHost: return "more than one Host header"
        case .invalidContentLength: return "invalid Content-Length"
        case .conflictingContentLength: return "conflicting Content-Length values"
        case .contentLengthWithTransferEncoding: return "both Transfer-Encoding and Content-Length"
        case .invalidTransferEncoding: return "invalid Transfer-Encoding"
        case .headTooLarge: return "request head too large"
        case .tooManyHeaders: return "too many header fields"
        case .invalidChunkSize: return "invalid chunk size"
        case .invalidChunkExtension: return "invalid chunk extension"
        case .invalidChunkedBody: return "missing CRLF in chunked body"
        case .chunkLineTooLong: return "chunk size line too long"
        case .trailerSectionTooLarge: return "trailer section too large"
        }
    }
}
