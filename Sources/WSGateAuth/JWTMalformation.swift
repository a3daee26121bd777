public import WSGateJSON

/// Why a token is not a well-formed JWT wsgate can use.
///
/// Why it exists: a refused client sees only a 401, so the log line must say what was wrong;
/// each case is one short reason, and tests match the case rather than the text.
public enum JWTMalformation: Error, Equatable, Sendable, CustomStringConvertible {
    /// Longer than `JSONWebToken.maxBytes` (refused before decoding anything).
    case tooLong(bytes: Int)
    /// Not three parts separated by dots.
    case partCount(Int)
    /// A part that is not canonical unpadded base64url.
    case notBase64URL(JWTPart)
    /// The header or the claims are not a JSON text.
    case notJSON(JWTPart, JSONParseError)
    /// The header or the claims are JSON but not an object.
    case notAnObject(JWTPart)
    /// The header has no `alg`, or it is not a string.
    case missingAlgorithm
    /// The header's `typ` is there but is not `JWT`.
    case wrongType
    /// The header has `crit`: extensions the sender requires us to understand; we know none.
    case criticalHeader
    /// A required claim is missing (`exp`, `sub`).
    case missingClaim(String)
    /// `exp` or `nbf` is not a finite JSON number.
    case dateNotNumber(String)
    /// `sub` is not a string, is empty or holds control characters.
    case badSubject
    /// `aud` is neither a string nor an array of strings.
    case badAudience

    public var description: String {
        let reason = switch self {
        case .tooLong(let bytes): "token of \(bytes) bytes, over \(JSONWebToken.maxBytes)"
        case .partCount(let count): "\(count) parts instead of 3"
        case .notBase64URL(let part): "the \(part) is not base64url"
        case .notJSON(let part, let error): "the \(part) is not JSON: \(error)"
        case .notAnObject(let part): "the \(part) is not a JSON object"
        case .missingAlgorithm: "no alg in the header"
        case .wrongType: "typ is not JWT"
        case .criticalHeader: "crit in the header"
        case .missingClaim(let name): "no \(name) claim"
        case .dateNotNumber(let name): "\(name) is not a number"
        case .badSubject: "sub is not a usable user name"
        case .badAudience: "aud is not a string or an array of strings"
        }
        return "malformed: " + reason
    }
}
