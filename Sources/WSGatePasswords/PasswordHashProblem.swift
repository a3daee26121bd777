/// Why an htpasswd hash is refused.
///
/// Why it exists: "unsupported hash" alone would leave the administrator guessing; each case
/// names what was found and, through `description`, how to make a supported one.
public enum PasswordHashProblem: Error, Sendable, Equatable, CustomStringConvertible {
    /// A known but weak kind: Apache MD5 (`$apr1$`), MD5-crypt (`$1$`), unsalted SHA-1
    /// (`{SHA}`), DES crypt (13 characters).
    case weak(String)
    /// Another `$id$` kind (yescrypt `$y$`, Argon2 …) that wsgate does not check.
    case unsupported(String)
    /// Not a hash at all: most likely a password in plain text.
    case plainText
    /// A supported kind, but not well formed (length, alphabet, cost, rounds).
    case malformed(PasswordHashScheme, String)

    /// How to make a hash wsgate accepts.
    static let remedy = "make one with `htpasswd -B` (bcrypt) or `mkpasswd -m sha-512`"

    public var description: String {
        switch self {
        case .weak(let kind): "\(kind) is weak and not accepted; \(Self.remedy)"
        case .unsupported(let kind): "\(kind) hashes are not supported; \(Self.remedy)"
        case .plainText: "not a password hash (a plain-text password?); \(Self.remedy)"
        case .malformed(let scheme, let detail): "malformed \(scheme) hash: \(detail)"
        }
    }
}
