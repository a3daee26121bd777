/// The JWS algorithms wsgate verifies (RFC 7518 §3.1). `none` is not one of them.
///
/// Why it exists: the key decides the algorithm (an HMAC secret is HS256, a P-256 key ES256,
/// an RSA key RS256); the token's `alg` must name that same one or the token is refused.
public enum JWTAlgorithm: String, Sendable, CaseIterable, CustomStringConvertible {
    /// HMAC with SHA-256 and a shared secret (RFC 7518 §3.2).
    case hs256 = "HS256"
    /// RSASSA-PKCS1-v1_5 with SHA-256 (RFC 7518 §3.3).
    case rs256 = "RS256"
    /// ECDSA on P-256 with SHA-256 (RFC 7518 §3.4).
    case es256 = "ES256"

    public var description: String { rawValue }
}
