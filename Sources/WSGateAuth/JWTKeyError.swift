/// Why a key file cannot be used to verify tokens.
///
/// Why it exists: a bad key is a start-up error; the gateway prints this and exits, so each
/// case says what to change.
public enum JWTKeyError: Error, Equatable, Sendable, CustomStringConvertible {
    /// An HMAC secret shorter than the 32 bytes HS256 requires (RFC 7518 §3.2).
    case secretTooShort(bytes: Int)
    /// A key file over `JWTKey.maximumBytes`: not a key.
    case tooLarge(bytes: Int)
    /// PEM that OpenSSL cannot read as a public key (a private key or a certificate included).
    case notAPublicKey(reason: String)
    /// A public key of a type other than EC and RSA (Ed25519, DSA, RSA-PSS…).
    case unsupportedKeyType
    /// An EC key on a curve other than P-256 (ES256 is P-256 only).
    case unsupportedCurve(String)
    /// An RSA key under 2048 bits (RFC 7518 §3.3).
    case rsaKeyTooSmall(bits: Int)

    public var description: String {
        switch self {
        case .secretTooShort(let bytes): "the HMAC secret has \(bytes) bytes; HS256 needs at least 32"
        case .tooLarge(let bytes): "the key file has \(bytes) bytes; a key has at most \(JWTKey.maximumBytes)"
        case .notAPublicKey(let reason): "not a PEM public key: \(reason)"
        case .unsupportedKeyType: "the public key is neither EC P-256 (ES256) nor RSA (RS256)"
        case .unsupportedCurve(let curve): "the EC key is on \(curve); ES256 needs P-256 (prime256v1)"
        case .rsaKeyTooSmall(let bits): "the RSA key has \(bits) bits; RS256 needs at least 2048"
        }
    }
}
