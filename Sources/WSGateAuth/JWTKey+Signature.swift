import COpenSSL

extension JWTKey {
    /// Nil when `signature` is the key's signature of `input`, else why not. The length is
    /// checked first: 32 bytes for HS256, 64 for ES256 (R || S), the modulus' for RS256.
    func refusal(ofSignature signature: [UInt8], over input: [UInt8]) -> JWTRefusal? {
        guard let key = publicKey else {
            guard signature.count == 32 else { return .signatureLength(bytes: signature.count, expected: 32) }
            return Self.hmacSHA256(secret, input).map { CRYPTO_memcmp($0, signature, 32) == 0 } == true ? nil : .badSignature
        }
        if algorithm == .es256 {
            guard let der = ECDSASignatureDER.fromJOSE(signature) else {
                return .signatureLength(bytes: signature.count, expected: 64)
            }
            return key.verifies(der, sha256Of: input) ? nil : .badSignature
        }
        guard signature.count == key.signatureBytes else {
            return .signatureLength(bytes: signature.count, expected: key.signatureBytes)
        }
        return key.verifies(signature, sha256Of: input) ? nil : .badSignature
    }

    /// HMAC-SHA-256 of `data` under `secret` (nil only if OpenSSL fails).
    private static func hmacSHA256(_ secret: [UInt8], _ data: [UInt8]) -> [UInt8]? {
        var mac = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let done = HMAC(EVP_sha256(), secret, Int32(secret.count), data, data.count, &mac, &length)
        return done != nil && length == 32 ? mac : nil
    }
}
