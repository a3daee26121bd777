/// Decides whether a token grants access: parsed, signed by the key, within its validity.
///
/// Why it exists: the one place the checks run, in an order that keeps the unauthenticated
/// work small: the shape (`JSONWebToken`), then the algorithm against the key's, then the
/// signature, and only then the claims. Times are Unix seconds given by the caller (the
/// gateway's clock, a fake one in tests); `leewaySeconds` forgives that much clock skew
/// between the issuer and the gateway in both directions (RFC 7519 §4.1.4 allows "some
/// small leeway").
public struct JWTVerifier: Sendable {
    public let key: JWTKey
    /// When set, `aud` must name it; when nil, `aud` is not checked (only its shape).
    public let audience: String?
    public let leewaySeconds: Int64

    /// The default leeway: 30 seconds.
    public static let defaultLeewaySeconds: Int64 = 30

    public init(key: JWTKey, audience: String? = nil, leewaySeconds: Int64 = defaultLeewaySeconds) {
        self.key = key
        self.audience = audience
        self.leewaySeconds = max(0, leewaySeconds)
    }

    /// Whether `token` grants access at `now` (Unix seconds), and to whom.
    public func verify(_ token: some Collection<UInt8>, now: Int64) -> JWTVerification {
        let parsed: JSONWebToken
        do {
            parsed = try JSONWebToken(parsing: token)
        } catch {
            return .refused(.malformed(error))
        }
        guard parsed.algorithm == key.algorithm.rawValue else {
            return .refused(.algorithmMismatch(token: JWTRefusal.printable(parsed.algorithm), key: key.algorithm))
        }
        if let refusal = key.refusal(ofSignature: parsed.signature, over: parsed.signingInput) {
            return .refused(refusal)
        }
        let claims: JWTClaims
        do {
            claims = try JWTClaims(parsed.claims)
        } catch {
            return .refused(.malformed(error))
        }
        let time = Double(now)
        let leeway = Double(leewaySeconds)
        // RFC 7519 §4.1.4: valid only before exp; §4.1.5: not before nbf.
        if time >= claims.expires + leeway { return .refused(.expired) }
        if let notBefore = claims.notBefore, time + leeway < notBefore { return .refused(.notYetValid) }
        if let audience, !claims.audiences.contains(where: { $0.utf8.elementsEqual(audience.utf8) }) {
            return .refused(.wrongAudience)
        }
        let expires = claims.expires >= 9.2e18 ? .max : claims.expires <= -9.2e18 ? .min : Int64(claims.expires.rounded(.down))
        return .valid(subject: claims.subject, expires: expires)
    }

    /// The same for a token given as text.
    public func verify(_ token: String, now: Int64) -> JWTVerification {
        verify(token.utf8, now: now)
    }
}
