/// The one key tokens are verified with, and so the one algorithm they may use.
///
/// Why it exists: the algorithm comes from the key, never from the token, which is what
/// defeats `alg: none` and the HS256-signed-with-the-RSA-public-key confusion (RFC 8725 §2.1,
/// §3.1). A key file holds either a PEM public key (EC P-256: ES256; RSA of 2048 bits or more:
/// RS256) or an HMAC secret taken as raw bytes, a trailing newline included (HS256).
public struct JWTKey: Sendable {
    /// The only algorithm tokens may use with this key.
    public let algorithm: JWTAlgorithm
    // Two properties rather than an enum with payloads: such an enum keeps its case in the
    // pointer's spare bits, where LeakSanitizer (the fuzzers) no longer sees the reference.
    /// The HMAC secret (HS256), empty otherwise.
    let secret: [UInt8]
    /// The public key (ES256, RS256), nil for HS256.
    let publicKey: PublicKey?

    /// The shortest HMAC secret accepted: the hash's size (RFC 7518 §3.2).
    public static let minimumSecretBytes = 32

    /// The largest key accepted, a secret or a PEM (OpenSSL takes lengths as 32-bit integers).
    public static let maximumBytes = 1 << 20

    /// An HS256 key from a shared secret of at least `minimumSecretBytes` bytes.
    public init(hmacSecret: some Collection<UInt8>) throws(JWTKeyError) {
        guard hmacSecret.count <= Self.maximumBytes else { throw .tooLarge(bytes: hmacSecret.count) }
        guard hmacSecret.count >= Self.minimumSecretBytes else { throw .secretTooShort(bytes: hmacSecret.count) }
        algorithm = .hs256
        secret = Array(hmacSecret)
        publicKey = nil
    }

    /// An ES256 or RS256 key from a PEM `PUBLIC KEY` (SubjectPublicKeyInfo).
    public init(publicKeyPEM: some Collection<UInt8>) throws(JWTKeyError) {
        guard publicKeyPEM.count <= Self.maximumBytes else { throw .tooLarge(bytes: publicKeyPEM.count) }
        let key = try PublicKey(pem: Array(publicKeyPEM))
        algorithm = key.algorithm
        secret = []
        publicKey = key
    }

    /// The key in a key file: PEM when it starts with `-----BEGIN` (so a PEM that is not a
    /// usable public key is an error, never a secret), an HMAC secret otherwise.
    public init(fileContents: some Collection<UInt8>) throws(JWTKeyError) {
        if fileContents.starts(with: "-----BEGIN".utf8) {
            try self.init(publicKeyPEM: fileContents)
        } else {
            try self.init(hmacSecret: fileContents)
        }
    }
}
