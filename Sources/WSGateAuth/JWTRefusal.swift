/// Why a token was refused.
///
/// Why it exists: the gateway answers every refusal with the same 401 but logs the reason;
/// `description` is that short, log-friendly text ("expired", "bad signature"…). Nothing from
/// the token reaches the text unfiltered (see `algorithmMismatch`).
public enum JWTRefusal: Error, Equatable, Sendable, CustomStringConvertible {
    /// The token is not a JWT we can read (`JWTMalformation` says how).
    case malformed(JWTMalformation)
    /// The token's `alg` is not the key's algorithm (`none` included). `token` is the `alg`
    /// as printable ASCII, at most 16 characters.
    case algorithmMismatch(token: String, key: JWTAlgorithm)
    /// The signature has the wrong length for the key's algorithm.
    case signatureLength(bytes: Int, expected: Int)
    /// The signature does not verify with the key.
    case badSignature
    /// `exp` is past (beyond the leeway).
    case expired
    /// `nbf` is still ahead (beyond the leeway).
    case notYetValid
    /// An audience is configured and `aud` does not name it.
    case wrongAudience

    /// `alg` as it may appear in a log line: printable ASCII only, at most 16 characters.
    static func printable(_ algorithm: String) -> String {
        let shown = algorithm.unicodeScalars.prefix(16).map { $0.value >= 0x20 && $0.value < 0x7F ? Character($0) : "?" }
        return String(shown) + (algorithm.unicodeScalars.count > 16 ? "…" : "")
    }

    public var description: String {
        switch self {
        case .malformed(let malformation): malformation.description
        case .algorithmMismatch(let token, let key): "algorithm mismatch: token says \(token), key is \(key)"
        case .signatureLength(let bytes, let expected): "bad signature: \(bytes) bytes instead of \(expected)"
        case .badSignature: "bad signature"
        case .expired: "expired"
        case .notYetValid: "not yet valid"
        case .wrongAudience: "wrong audience"
        }
    }
}
