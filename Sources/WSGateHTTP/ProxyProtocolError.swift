/// Why a connection's first bytes, which began like a PROXY protocol header, were refused.
///
/// Why it exists: the specification says "Any sequence which does not exactly match the
/// protocol must be discarded and cause the receiver to abort the connection"; the caller
/// closes the connection and logs one of these short reasons. The cases carry no peer bytes,
/// so nothing the peer sent reaches the log line.
public enum ProxyProtocolError: Error, Equatable, Hashable, Sendable, CaseIterable, CustomStringConvertible {
    /// v1: no CRLF within the first 107 bytes (section 2.1).
    case lineTooLong
    /// v1: not `PROXY SP family SP addr SP addr SP port SP port CRLF` with single spaces, or a
    /// lone CR or LF in the line.
    case malformedLine
    /// v1: the family is not `TCP4`, `TCP6` or `UNKNOWN`.
    case unknownFamily
    /// v1: an address is not a canonical IPv4 or IPv6 text of the announced family.
    case invalidAddress
    /// v1: a port is not a decimal number in 0...65535 without leading zeros.
    case invalidPort
    /// v2: the version nibble of the 13th byte is not 2.
    case unsupportedVersion
    /// v2: the command nibble is neither LOCAL (0) nor PROXY (1).
    case unknownCommand
    /// v2: the 14th byte is none of the seven family/protocol bytes the specification lists.
    case unknownAddressFamily
    /// v2: the header would be longer than `ProxyProtocolParser.maxV2HeaderBytes`.
    case headerTooLarge
    /// v2: the length leaves less room than the announced family's addresses take.
    case addressBlockTooShort
    /// v2: a TLV after the addresses does not end where the header ends.
    case malformedTLV

    /// A short reason for the log line (never contains peer bytes).
    public var description: String {
        switch self {
        case .lineTooLong: return "PROXY line without CRLF in 107 bytes"
        case .malformedLine: return "malformed PROXY line"
        case .unknownFamily: return "unknown PROXY line family"
        case .invalidAddress: return "invalid address in PROXY line"
        case .invalidPort: return "invalid port in PROXY line"
        case .unsupportedVersion: return "unsupported PROXY header version"
        case .unknownCommand: return "unknown PROXY header command"
        case .unknownAddressFamily: return "unknown PROXY header address family"
        case .headerTooLarge: return "PROXY header too large"
        case .addressBlockTooShort: return "PROXY header address block too short"
        case .malformedTLV: return "PROXY header TLV overruns the header"
        }
    }
}
