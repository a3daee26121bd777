/// One of the three parts of a compact JWS (RFC 7515 §7.1), for refusal texts.
public enum JWTPart: String, Sendable, CustomStringConvertible {
    case header
    case claims
    case signature

    public var description: String { rawValue }
}
