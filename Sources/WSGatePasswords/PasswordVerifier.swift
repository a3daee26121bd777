/// Checks a user's password against an htpasswd file.
///
/// Why it exists: the check must not tell an attacker more than yes or no. Every call computes
/// exactly one hash, also for an unknown user (with the file's first entry as a decoy setting),
/// for a password with a NUL byte and for one bcrypt would truncate; the result is compared in
/// constant time. Passwords over 72 bytes against a bcrypt hash are refused: bcrypt ignores
/// what follows, so accepting them would accept wrong passwords. Not thread-safe (it owns a
/// crypt_r work area): one per thread.
public final class PasswordVerifier {
    public let file: HtpasswdFile
    private let hasher = CryptHasher()

    /// The setting hashed against when the file has no entry at all: a bcrypt hash of cost 5
    /// (`/usr/bin/python3 -c 'import crypt; print(crypt.crypt("x", "$2y$05$wsgatedecoysaltwsgateu"))'`).
    static let emptyFileDecoy = HtpasswdEntry(
        hash: Array("$2y$05$wsgatedecoysaltwsgateudHTSgL0FE.p4iWkJamX1c7poAYyoH.S".utf8), scheme: .bcrypt)

    /// The longest password crypt_r takes (`CRYPT_MAX_PASSPHRASE_SIZE` less the NUL).
    static let longestPhrase = 511

    public init(file: HtpasswdFile) { self.file = file }

    /// Whether `password` is `user`'s (both UTF-8 bytes, as sent).
    public func verify(user: some Sequence<UInt8>, password: some Sequence<UInt8>) -> Bool {
        let known = file.entry(for: user)
        let entry = known ?? file.decoy ?? Self.emptyFileDecoy
        let password = Array(password)
        let usable = !password.contains(0) && password.count <= Self.longestPhrase
            && !(entry.scheme == .bcrypt && password.count > PasswordHashScheme.bcryptPasswordLimit)
        // Hashed even when the answer is already no, so the time is the same.
        let phrase = Array(password.prefix { $0 != 0 }.prefix(Self.longestPhrase))
        guard let computed = hasher.hash(phrase, setting: entry.hash) else { return false }
        let matches = ConstantTime.equal(computed, entry.hash)
        return matches && usable && known != nil
    }
}
