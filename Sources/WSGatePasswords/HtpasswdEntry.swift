/// One user's stored hash, as read from an htpasswd line.
///
/// Why it exists: the verifier needs the hash bytes (the `setting` crypt_r reads salt and cost
/// from, and what the result is compared to) and the scheme (bcrypt's 72-byte limit).
public struct HtpasswdEntry: Sendable, Equatable {
    /// The hash as written, ASCII from the crypt alphabet and `$`.
    public let hash: [UInt8]
    public let scheme: PasswordHashScheme

    public init(hash: [UInt8], scheme: PasswordHashScheme) {
        self.hash = hash
        self.scheme = scheme
    }
}
