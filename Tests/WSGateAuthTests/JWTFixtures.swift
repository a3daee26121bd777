import COpenSSL
import Foundation
import WSGateAuth

/// The keys in `Tests/Fixtures/JWT` (made by its `make-fixtures.py`) and a signer that makes
/// tokens with them through OpenSSL.
enum JWTFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Fixtures/JWT")

    static func bytes(_ name: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(name)))
    }

    static func key(_ name: String) throws -> JWTKey {
        try JWTKey(publicKeyPEM: bytes(name))
    }

    /// A secret for HS256 tests (32 bytes).
    static let secret = Array("0123456789abcdef0123456789abcdef".utf8)
}

/// Builds compact tokens from header and claims text, signed as the test asks.
enum TestToken {
    /// How to sign: HMAC with a secret, a private key file (RS256 or ES256), or bytes given.
    enum Signer {
        case hmac([UInt8])
        case privateKey(String)
        case raw([UInt8])
    }

    static func make(header: String = #"{"alg":"HS256","typ":"JWT"}"#, claims: String,
                     signer: Signer = .hmac(JWTFixtures.secret)) throws -> String {
        let input = Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(claims.utf8))
        return input + "." + Base64URL.encode(try sign(Array(input.utf8), signer))
    }

    /// Claims for `sub` expiring at `exp`, with `extra` members.
    static func claims(sub: String = "alice", exp: Int64, extra: String = "") -> String {
        #"{"sub":"\#(sub)","exp":\#(exp)\#(extra)}"#
    }

    static func sign(_ input: [UInt8], _ signer: Signer) throws -> [UInt8] {
        switch signer {
        case .raw(let bytes):
            return bytes
        case .hmac(let secret):
            var mac = [UInt8](repeating: 0, count: 32)
            var length: UInt32 = 0
            guard HMAC(EVP_sha256(), secret, Int32(secret.count), input, input.count, &mac, &length) != nil else {
                throw SigningError()
            }
            return mac
        case .privateKey(let name):
            return try signWithPrivateKey(input, pem: JWTFixtures.bytes(name))
        }
    }

    /// RS256 or ES256 (R || S) with the PEM private key `pem`.
    private static func signWithPrivateKey(_ input: [UInt8], pem: [UInt8]) throws -> [UInt8] {
        let bio = pem.withUnsafeBytes { BIO_new_mem_buf($0.baseAddress, Int32($0.count)) }
        defer { BIO_free(bio) }
        guard let key = PEM_read_bio_PrivateKey(bio, nil, nil, nil) else { throw SigningError() }
        defer { EVP_PKEY_free(key) }
        let context = EVP_MD_CTX_new()
        defer { EVP_MD_CTX_free(context) }
        guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, key) == 1 else { throw SigningError() }
        var length = 0
        guard EVP_DigestSign(context, nil, &length, input, input.count) == 1 else { throw SigningError() }
        var signature = [UInt8](repeating: 0, count: length)
        guard EVP_DigestSign(context, &signature, &length, input, input.count) == 1 else { throw SigningError() }
        signature.removeLast(signature.count - length)
        return EVP_PKEY_get_base_id(key) == EVP_PKEY_EC ? try joseFromDER(signature) : signature
    }

    /// A DER ECDSA-Sig-Value as JOSE's 64 bytes R || S.
    private static func joseFromDER(_ der: [UInt8]) throws -> [UInt8] {
        var pointer: UnsafePointer<UInt8>? = nil
        let sig = der.withUnsafeBufferPointer { buffer -> OpaquePointer? in
            pointer = buffer.baseAddress
            return d2i_ECDSA_SIG(nil, &pointer, buffer.count)
        }
        guard let sig else { throw SigningError() }
        defer { ECDSA_SIG_free(sig) }
        var out = [UInt8](repeating: 0, count: 64)
        guard BN_bn2binpad(ECDSA_SIG_get0_r(sig), &out, 32) == 32,
              out.withUnsafeMutableBufferPointer({ BN_bn2binpad(ECDSA_SIG_get0_s(sig), $0.baseAddress! + 32, 32) }) == 32
        else { throw SigningError() }
        return out
    }

    struct SigningError: Error {}
}
