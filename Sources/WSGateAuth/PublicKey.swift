import COpenSSL

/// An OpenSSL public key (`EVP_PKEY`) that is a P-256 or an RSA key of at least 2048 bits,
/// freed with its owner.
///
/// Why it exists: ES256 and RS256 verification goes through OpenSSL's EVP interface, which
/// needs the key as an `EVP_PKEY`; loading checks the type and size once, so `algorithm` is
/// settled before any token is seen. Sendable: after loading the key is only read, and
/// OpenSSL 3 allows one `EVP_PKEY` to verify on several threads at once (each verification
/// has its own `EVP_MD_CTX`).
final class PublicKey: @unchecked Sendable {
    let key: OpaquePointer
    let algorithm: JWTAlgorithm

    init(pem: [UInt8]) throws(JWTKeyError) {
        ERR_clear_error()
        let loaded: OpaquePointer? = pem.withUnsafeBytes { bytes in
            guard let bio = BIO_new_mem_buf(bytes.baseAddress, Int32(bytes.count)) else { return nil }
            defer { BIO_free(bio) }
            return PEM_read_bio_PUBKEY(bio, nil, nil, nil)
        }
        guard let loaded else { throw .notAPublicKey(reason: Self.takeErrorReason()) }
        key = loaded
        do {
            algorithm = try Self.algorithm(of: loaded)
        } catch {
            EVP_PKEY_free(loaded)
            throw error
        }
    }

    deinit {
        EVP_PKEY_free(key)
    }

    /// ES256 for a P-256 key, RS256 for an RSA key of 2048 bits or more.
    private static func algorithm(of key: OpaquePointer) throws(JWTKeyError) -> JWTAlgorithm {
        switch EVP_PKEY_get_base_id(key) {
        case EVP_PKEY_EC:
            var name = [CChar](repeating: 0, count: 64)
            var length = 0
            guard EVP_PKEY_get_group_name(key, &name, name.count, &length) == 1 else {
                ERR_clear_error()
                throw .unsupportedCurve("an unnamed curve")
            }
            let curve = String(decoding: name.prefix(length).map { UInt8(bitPattern: $0) }, as: UTF8.self)
            guard curve == "prime256v1" else { throw .unsupportedCurve(curve) }
            return .es256
        case EVP_PKEY_RSA:
            let bits = Int(EVP_PKEY_get_bits(key))
            guard bits >= 2048 else { throw .rsaKeyTooSmall(bits: bits) }
            return .rs256
        default:
            throw .unsupportedKeyType
        }
    }

    /// Whether `signature` (DER for ECDSA, the raw block for RSA) signs SHA-256 of `data`.
    func verifies(_ signature: [UInt8], sha256Of data: [UInt8]) -> Bool {
        guard let context = EVP_MD_CTX_new() else { return false }
        defer {
            EVP_MD_CTX_free(context)
            ERR_clear_error()  // a failed verification leaves reasons no one will read
        }
        guard EVP_DigestVerifyInit(context, nil, EVP_sha256(), nil, key) == 1 else { return false }
        return EVP_DigestVerify(context, signature, signature.count, data, data.count) == 1
    }

    /// The size of a signature in bytes (the RSA modulus' length).
    var signatureBytes: Int { Int(EVP_PKEY_get_size(key)) }

    /// The newest reason on OpenSSL's error queue (the queue is emptied).
    private static func takeErrorReason() -> String {
        var reason = "no PUBLIC KEY block"
        while case let code = ERR_get_error(), code != 0 {
            if let text = ERR_reason_error_string(code) { reason = String(cString: text) }
        }
        return reason
    }
}
