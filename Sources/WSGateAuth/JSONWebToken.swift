public import WSGateJSON

/// A JWT in the JWS compact serialization (RFC 7519 §3, RFC 7515 §7.1), parsed but not verified.
///
/// Why it exists: the token comes from anyone who connects, so parsing is strict and bounded
/// before any cryptography runs: at most `maxBytes` (checked before decoding), exactly three
/// dot-separated base64url parts, a header and claims that are JSON objects within
/// `jsonLimits`, a header that names its `alg`, says `typ` JWT if it says anything, and has no
/// `crit` (RFC 7515 §4.1.11: an extension we do not understand must be refused). Which key
/// or which algorithm the header asks for (`alg`, `kid`, `jku`, `jwk`…) never chooses the
/// key: `JWTVerifier` compares `algorithm` with its own key's.
public struct JSONWebToken: Sendable {
    /// The longest token read: far above a few claims with an RSA-4096 signature (about 1 KiB).
    public static let maxBytes = 8192
    /// Limits for the header and the claims: no longer than the token, shallow, short numbers.
    static let jsonLimits = JSONLimits(maxBytes: maxBytes, maxDepth: 16, maxNumberBytes: 64)

    /// The header's `alg`, as sent.
    public let algorithm: String
    /// The JOSE header.
    public let header: JSONObject
    /// The claims set.
    public let claims: JSONObject
    /// What the signature covers: the header and claims parts as sent, with the dot.
    let signingInput: [UInt8]
    /// The decoded signature (empty for an unsecured token).
    let signature: [UInt8]

    /// Parses `token`'s bytes, or throws why they are not a usable JWT.
    public init(parsing token: some Collection<UInt8>) throws(JWTMalformation) {
        guard token.count <= Self.maxBytes else { throw .tooLong(bytes: token.count) }
        let bytes = Array(token)
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3 else { throw .partCount(parts.count) }
        guard let headerBytes = Base64URL.decode(parts[0]) else { throw .notBase64URL(.header) }
        guard let claimsBytes = Base64URL.decode(parts[1]) else { throw .notBase64URL(.claims) }
        guard let signature = Base64URL.decode(parts[2]) else { throw .notBase64URL(.signature) }

        header = try Self.object(headerBytes, .header)
        guard let algorithm = header["alg"]?.stringValue else { throw .missingAlgorithm }
        if let type = header["typ"] {
            guard let name = type.stringValue, Self.isJWTType(name) else { throw .wrongType }
        }
        guard header["crit"] == nil else { throw .criticalHeader }
        claims = try Self.object(claimsBytes, .claims)

        self.algorithm = algorithm
        self.signature = signature
        signingInput = Array(bytes[..<parts[1].endIndex])
    }

    /// `bytes` read as a JSON object.
    private static func object(_ bytes: [UInt8], _ part: JWTPart) throws(JWTMalformation) -> JSONObject {
        let value: JSONValue
        do {
            value = try JSONReader.parse(bytes, limits: jsonLimits)
        } catch {
            throw .notJSON(part, error)
        }
        guard case .object(let object) = value else { throw .notAnObject(part) }
        return object
    }

    /// `JWT` or `application/jwt` in any case (RFC 7519 §5.1, RFC 7515 §4.1.9).
    private static func isJWTType(_ name: String) -> Bool {
        guard name.utf8.allSatisfy({ $0 < 0x80 }) else { return false }
        let lower = name.lowercased()
        return lower == "jwt" || lower == "application/jwt"
    }
}
