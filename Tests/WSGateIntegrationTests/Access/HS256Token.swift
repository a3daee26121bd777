import COpenSSL
import Foundation

/// HS256 tokens for the gateway's `--auth-token-key` tests, signed with OpenSSL's HMAC.
enum HS256Token {
    /// The key file's contents: 32 bytes of text and a final newline (which is not part of
    /// the secret).
    static let secret = "integration-test-secret-32-bytes"

    /// A token for `sub` that expires `expiresIn` seconds from now, signed with `secret`.
    static func make(sub: String = "alice", expiresIn: Int = 600, secret: String = secret,
                     header: String = #"{"alg":"HS256","typ":"JWT"}"#) -> String {
        let exp = Int(Date().timeIntervalSince1970) + expiresIn
        let input = encode(Data(header.utf8)) + "." + encode(Data(#"{"sub":"\#(sub)","exp":\#(exp)}"#.utf8))
        var mac = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let key = Array(secret.utf8)
        let message = Array(input.utf8)
        _ = HMAC(EVP_sha256(), key, Int32(key.count), message, message.count, &mac, &length)
        return input + "." + encode(Data(mac))
    }

    /// base64url without padding (RFC 7515 §2).
    static func encode(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
