import Testing
import WSGateAuth

/// RFC 7515 Appendix A's examples. Their claims have no `sub`, so a verified example ends in
/// "no sub claim": the refusal that comes after the signature, which proves it verified.
@Suite(.timeLimit(.minutes(10))) struct JWTVerifierRFCTests {
    static let claims = "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtcGxlLmNvbS9pc19yb290Ijp0cnVlfQ"
    /// Before the examples' exp (1300819380).
    static let before = Int64(1_300_819_000)

    static let hs256 = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9." + claims + ".dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk"
    static let rs256 = "eyJhbGciOiJSUzI1NiJ9." + claims + "."
        + "cC4hiUPoj9Eetdgtv3hF80EGrhuB__dzERat0XF9g2VtQgr9PJbu3XOiZj5RZmh7AAuHIm4Bh-0Qc_lF5YKt_O8W2Fp5jujGbds9uJdbF9CU"
        + "Ar7t1dnZcAcQjbKBYNX4BAynRFdiuB--f_nZLgrnbyTyWzO75vRK5h6xBArLIARNPvkSjtQBMHlb1L07Qe7K0GarZRmB_eSN9383LcOLn6_"
        + "dO--xi12jzDwusC-eOkHWEsqtFZESc6BfI7noOPqvhJ1phCnvWh6IeYI2w9QOYEUipUTI8np6LbgGY9Fs98rqVt5AXLIhWkWywlVmtVrBp0i"
        + "gcN_IoypGlUPQGe77Rw"
    static let es256 = "eyJhbGciOiJFUzI1NiJ9." + claims + "."
        + "DtEhU3ljbEg8L38VWAfUAqOyKAM6-Xx-F4GawxaepmXFCgfTjDxw5djxLa8ISlSApmWQxfKTUJqPP3-Kg6NU1Q"

    /// A.1.1's JWK `k`.
    static let hmacKey = "AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow"

    /// `token` with one character of its signature changed.
    static func tampered(_ token: String) -> String {
        var characters = Array(token)
        characters[characters.count - 2] = characters[characters.count - 2] == "A" ? "B" : "A"
        return String(characters)
    }

    @Test func appendixA1HS256() throws {
        let secret = try #require(Base64URL.decode(Self.hmacKey.utf8))
        #expect(secret.count == 64)
        let input = Self.hs256.split(separator: ".").prefix(2).joined(separator: ".")
        let signature = try TestToken.sign(Array(input.utf8), .hmac(secret))
        #expect(Base64URL.encode(signature) == "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk")
        let verifier = JWTVerifier(key: try JWTKey(hmacSecret: secret))
        #expect(verifier.verify(Self.hs256, now: Self.before) == .refused(.malformed(.missingClaim("sub"))))
        #expect(verifier.verify(Self.tampered(Self.hs256), now: Self.before) == .refused(.badSignature))
    }

    @Test func appendixA2RS256() throws {
        let verifier = JWTVerifier(key: try JWTFixtures.key("rfc7515-rs256.pem"))
        #expect(verifier.verify(Self.rs256, now: Self.before) == .refused(.malformed(.missingClaim("sub"))))
        #expect(verifier.verify(Self.tampered(Self.rs256), now: Self.before) == .refused(.badSignature))
    }

    @Test func appendixA3ES256() throws {
        let verifier = JWTVerifier(key: try JWTFixtures.key("rfc7515-es256.pem"))
        #expect(verifier.verify(Self.es256, now: Self.before) == .refused(.malformed(.missingClaim("sub"))))
        #expect(verifier.verify(Self.tampered(Self.es256), now: Self.before) == .refused(.badSignature))
    }

    /// Each example against the others' keys: the algorithm is the key's, so all are refused
    /// before any signature is checked.
    @Test func eachExampleIsRefusedByTheOtherKeys() throws {
        let hmac = JWTVerifier(key: try JWTKey(hmacSecret: #require(Base64URL.decode(Self.hmacKey.utf8))))
        let rsa = JWTVerifier(key: try JWTFixtures.key("rfc7515-rs256.pem"))
        let ec = JWTVerifier(key: try JWTFixtures.key("rfc7515-es256.pem"))
        #expect(hmac.verify(Self.rs256, now: Self.before) == .refused(.algorithmMismatch(token: "RS256", key: .hs256)))
        #expect(rsa.verify(Self.es256, now: Self.before) == .refused(.algorithmMismatch(token: "ES256", key: .rs256)))
        #expect(ec.verify(Self.hs256, now: Self.before) == .refused(.algorithmMismatch(token: "HS256", key: .es256)))
    }
}
