import WSGateJSON

/// The registered claims wsgate acts on (RFC 7519 §4.1), read from a verified token.
///
/// Why it exists: `exp` is required (the gateway accepts signed, expiring tokens, so a token
/// without an end is refused), `nbf` is optional, both are JSON numbers (integer or decimal
/// seconds, §2 NumericDate); `sub` is required and becomes `REMOTE_USER`, so it must be a
/// non-empty string without control characters (it reaches environments and log lines); `aud`
/// is a string or an array of strings.
struct JWTClaims {
    let expires: Double
    let notBefore: Double?
    let subject: String
    /// The audiences named, empty when there is no `aud`.
    let audiences: [String]

    init(_ claims: JSONObject) throws(JWTMalformation) {
        guard let exp = claims["exp"] else { throw .missingClaim("exp") }
        expires = try Self.date(exp, "exp")
        notBefore = try claims["nbf"].map { value throws(JWTMalformation) in try Self.date(value, "nbf") }
        guard let sub = claims["sub"] else { throw .missingClaim("sub") }
        guard let subject = sub.stringValue, Self.isUsableSubject(subject) else { throw .badSubject }
        self.subject = subject
        switch claims["aud"] {
        case nil: audiences = []
        case .string(let one)?: audiences = [one]
        case .array(let many)?:
            audiences = try many.map { value throws(JWTMalformation) in
                guard let name = value.stringValue else { throw .badAudience }
                return name
            }
        case _?: throw .badAudience
        }
    }

    /// A NumericDate: a finite number of seconds.
    private static func date(_ value: JSONValue, _ name: String) throws(JWTMalformation) -> Double {
        guard let seconds = value.numberValue?.doubleValue, seconds.isFinite else { throw .dateNotNumber(name) }
        return seconds
    }

    /// Not empty, and no C0, DEL or C1 control character.
    private static func isUsableSubject(_ subject: String) -> Bool {
        !subject.isEmpty && !subject.unicodeScalars.contains { $0.value < 0x20 || (0x7F ... 0x9F).contains($0.value) }
    }
}
