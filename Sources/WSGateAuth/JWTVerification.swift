/// What `JWTVerifier.verify` found: a token that grants access, or why it does not.
public enum JWTVerification: Equatable, Sendable {
    /// The token verifies. `subject` is its `sub` (the future `REMOTE_USER`), `expires` its
    /// `exp` in Unix seconds (rounded down).
    case valid(subject: String, expires: Int64)
    /// The token was refused.
    case refused(JWTRefusal)
}
