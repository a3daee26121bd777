/// Why the header section a CGI script wrote was refused.
///
/// Why it exists: the script is local code, but its output is still input: a stray CR in a
/// field would split the response sent to the client, a missing empty line would pass headers
/// off as body. The gateway answers such output with 502 and logs why, so each case names one
/// rule of RFC 3875 §6 (or a limit) that the output broke. Where the operator needs to see the
/// offending text to fix the script, the case carries a short excerpt of it, escaped: no byte
/// of it can forge or break a log line.
public enum CGIResponseError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The output ended before any header line, or began with an empty line.
    case noHeaderSection
    /// The output ended before the empty line that ends the header section.
    case truncatedHeaderSection
    /// More than `limit` bytes arrived without the end of the header section.
    case headerSectionTooLarge(limit: Int)
    /// More than `limit` header lines.
    case tooManyFields(limit: Int)
    /// A line without a colon, or whose field-name is not a token (whitespace before the colon
    /// included); `excerpt` is the start of the line, escaped.
    case malformedLine(excerpt: String)
    /// A line starting with SP or HTAB: a continuation line, which CGI/1.1 does not have.
    case obsoleteLineFolding
    /// The value of the field `name` holds a control byte (CR, LF, NUL, ...): response splitting.
    case invalidFieldValue(name: String)
    /// `Status` or `Location` more than once.
    case repeatedField(name: String)
    /// `Status` is not a final status code (200–599) with an optional reason phrase.
    case invalidStatus(excerpt: String)
    /// A local redirect whose path is not a valid request-target.
    case invalidLocation(excerpt: String)
    /// `Content-Length` is not a decimal number that fits in an `Int`.
    case invalidContentLength
    /// Several `Content-Length` values that differ.
    case conflictingContentLength
    /// A document without `Status`, `Location` or `Content-Type`.
    case missingContentType

    /// A one-line reason for the log.
    public var description: String {
        switch self {
        case .noHeaderSection: return "no header section"
        case .truncatedHeaderSection: return "output ended inside the header section"
        case .headerSectionTooLarge(let limit): return "header section over \(limit) bytes"
        case .tooManyFields(let limit): return "more than \(limit) header fields"
        case .malformedLine(let excerpt): return "malformed header line: \(excerpt)"
        case .obsoleteLineFolding: return "header line starting with whitespace (continuation line)"
        case .invalidFieldValue(let name): return "response splitting bytes in the value of \(name)"
        case .repeatedField(let name): return "more than one \(name) field"
        case .invalidStatus(let excerpt): return "invalid Status: \(excerpt)"
        case .invalidLocation(let excerpt): return "invalid local Location: \(excerpt)"
        case .invalidContentLength: return "invalid Content-Length"
        case .conflictingContentLength: return "conflicting Content-Length values"
        case .missingContentType: return "missing Content-Type"
        }
    }

    /// The longest excerpt of script output put into an error, in bytes before escaping.
    package static let maxExcerptBytes = 40

    /// `bytes` quoted, cut after `maxExcerptBytes` (marked "..."), with every byte that is not
    /// printable ASCII, and the quote and backslash, written as an escape (`\x0d`, `\"`, `\\`).
    package static func excerpt(_ bytes: some Collection<UInt8>) -> String {
        var text = "\""
        for byte in bytes.prefix(maxExcerptBytes) {
            switch byte {
            case UInt8(ascii: "\""): text += "\\\""
            case UInt8(ascii: "\\"): text += "\\\\"
            case 0x20...0x7E: text.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = String(byte, radix: 16)
                text += "\\x" + (byte < 0x10 ? "0" : "") + hex
            }
        }
        text += "\""
        return bytes.count > maxExcerptBytes ? text + "..." : text
    }
}
