/// A password hash wsgate checks, told apart by its prefix.
///
/// Why it exists: an htpasswd file may hold hashes of many kinds, some of them weak; the file
/// parser accepts only these, and the verifier needs the kind to apply bcrypt's 72-byte limit.
public enum PasswordHashScheme: Sendable, Equatable {
    /// bcrypt: `$2y$`, `$2b$` or `$2a$`, a two-digit cost, 53 characters of salt and hash
    /// (`htpasswd -B`). It only reads the first 72 bytes of a password.
    case bcrypt
    /// SHA-256-crypt: `$5$`, optional `rounds=N$`, salt, `$`, 43 characters.
    case sha256Crypt
    /// SHA-512-crypt: `$6$`, optional `rounds=N$`, salt, `$`, 86 characters (`mkpasswd -m sha-512`).
    case sha512Crypt

    /// The longest password bcrypt reads; longer ones are refused rather than silently cut.
    public static let bcryptPasswordLimit = 72
    /// The highest bcrypt cost accepted (2^14 rounds, about a second per check): a costlier
    /// hash would let a few clients hold a thread for seconds each.
    static let maximumBcryptCost = 14
    /// The most SHA-crypt rounds accepted, for the same reason (the default is 5,000).
    static let maximumShaCryptRounds = 1_000_000
}
