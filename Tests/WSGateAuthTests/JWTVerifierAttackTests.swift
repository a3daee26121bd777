import Testing
import WSGateAuth

/// Tokens made to get past the verifier: unsigned, signed with the wrong key or the wrong
/// algorithm, or cut short.
@Suite(.timeLimit(.minutes(10))) struct JWTVerifierAttackTests {
    let now: Int64 = 1_800_000_000
    var claims: String { TestToken.claims(exp: now + 600) }

    private func verifier(_ keyFile: String) throws -> JWTVerifier {
        JWTVerifier(key: try JWTFixtures.key(keyFile))
    }

    @Test func tokensSignedWithEachKeyVerify() throws {
        let hs = try TestToken.make(claims: claims)
        let es = try TestToken.make(header: #"{"alg":"ES256"}"#, claims: claims, signer: .privateKey("es256.key"))
        let rs = try TestToken.make(header: #"{"alg":"RS256"}"#, claims: claims, signer: .privateKey("rs256.key"))
        let valid = JWTVerification.valid(subject: "alice", expires: now + 600)
        #expect(JWTVerifier(key: try JWTKey(hmacSecret: JWTFixtures.secret)).verify(hs, now: now) == valid)
        #expect(try verifier("es256.pem").verify(es, now: now) == valid)
        #expect(try verifier("rs256.pem").verify(rs, now: now) == valid)
    }

    @Test func aTokenSignedWithAnotherKeyIsRefused() throws {
        let otherSecret = TestToken.Signer.hmac(Array("another secret of at least 32 bytes".utf8))
        let hs = try TestToken.make(claims: claims, signer: otherSecret)
        #expect(JWTVerifier(key: try JWTKey(hmacSecret: JWTFixtures.secret)).verify(hs, now: now) == .refused(.badSignature))
        let es = try TestToken.make(header: #"{"alg":"ES256"}"#, claims: claims, signer: .privateKey("es256.key"))
        #expect(try verifier("rfc7515-es256.pem").verify(es, now: now) == .refused(.badSignature))
        let rs = try TestToken.make(header: #"{"alg":"RS256"}"#, claims: claims, signer: .privateKey("rs256.key"))
        #expect(try verifier("rfc7515-rs256.pem").verify(rs, now: now) == .refused(.badSignature))
    }

    /// `alg: none` (RFC 7519 §6), with an empty signature and with one, and in other cases.
    @Test func algNoneIsNeverAccepted() throws {
        for keyFile in ["es256.pem", "rs256.pem"] {
            for alg in ["none", "None", "NONE"] {
                for signer in [TestToken.Signer.raw([]), .raw([UInt8](repeating: 7, count: 64))] {
                    let token = try TestToken.make(header: #"{"alg":"\#(alg)"}"#, claims: claims, signer: signer)
                    #expect(try verifier(keyFile).verify(token, now: now)
                        == .refused(.algorithmMismatch(token: alg, key: try JWTFixtures.key(keyFile).algorithm)))
                }
            }
        }
        let hmac = JWTVerifier(key: try JWTKey(hmacSecret: JWTFixtures.secret))
        let unsigned = try TestToken.make(header: #"{"alg":"none"}"#, claims: claims, signer: .raw([]))
        #expect(unsigned.hasSuffix("."))
        #expect(hmac.verify(unsigned, now: now) == .refused(.algorithmMismatch(token: "none", key: .hs256)))
    }

    /// The confusion attack (RFC 8725 §2.1): HS256 with the public key's PEM text as the
    /// secret. The key is an EC or RSA key, so HS256 is refused before any HMAC is computed.
    @Test func hs256WithThePublicKeyAsSecretIsRefused() throws {
        for keyFile in ["es256.pem", "rs256.pem"] {
            let token = try TestToken.make(claims: claims, signer: .hmac(JWTFixtures.bytes(keyFile)))
            let key = try JWTFixtures.key(keyFile)
            #expect(JWTVerifier(key: key).verify(token, now: now) == .refused(.algorithmMismatch(token: "HS256", key: key.algorithm)))
        }
    }

    @Test func rs256AgainstAnHMACKeyIsRefused() throws {
        let token = try TestToken.make(header: #"{"alg":"RS256"}"#, claims: claims, signer: .privateKey("rs256.key"))
        let hmac = JWTVerifier(key: try JWTKey(hmacSecret: JWTFixtures.secret))
        #expect(hmac.verify(token, now: now) == .refused(.algorithmMismatch(token: "RS256", key: .hs256)))
        let es = try TestToken.make(header: #"{"alg":"ES256"}"#, claims: claims, signer: .privateKey("es256.key"))
        #expect(try verifier("rs256.pem").verify(es, now: now) == .refused(.algorithmMismatch(token: "ES256", key: .rs256)))
    }

    @Test func aTruncatedSignatureIsRefusedByItsLength() throws {
        let input = Base64URL.encode(Array(#"{"alg":"ES256"}"#.utf8)) + "." + Base64URL.encode(Array(claims.utf8))
        let signature = try TestToken.sign(Array(input.utf8), .privateKey("es256.key"))
        let es = try verifier("es256.pem")
        #expect(es.verify(input + "." + Base64URL.encode(signature), now: now) == .valid(subject: "alice", expires: now + 600))
        #expect(es.verify(input + "." + Base64URL.encode(signature.dropLast()), now: now) == .refused(.signatureLength(bytes: 63, expected: 64)))
        #expect(es.verify(input + "." + Base64URL.encode(signature + [0]), now: now) == .refused(.signatureLength(bytes: 65, expected: 64)))
        let hs = try TestToken.make(claims: claims)
        let cut = String(hs.dropLast(3))  // 40 characters: 30 bytes
        #expect(JWTVerifier(key: try JWTKey(hmacSecret: JWTFixtures.secret)).verify(cut, now: now)
            == .refused(.signatureLength(bytes: 30, expected: 32)))
        let rsInput = Base64URL.encode(Array(#"{"alg":"RS256"}"#.utf8)) + "." + Base64URL.encode(Array(claims.utf8))
        let rsSignature = try TestToken.sign(Array(rsInput.utf8), .privateKey("rs256.key"))
        #expect(try verifier("rs256.pem").verify(rsInput + "." + Base64URL.encode(rsSignature.dropLast(3)), now: now)
            == .refused(.signatureLength(bytes: 253, expected: 256)))
    }

    /// An alg full of control characters is shown as printable ASCII, cut at 16 characters.
    @Test func theTokensAlgIsSanitizedInTheRefusal() throws {
        let token = try TestToken.make(header: #"{"alg":"HS256\r\nINFO forged log line"}"#, claims: claims)
        #expect(try verifier("es256.pem").verify(token, now: now)
            == .refused(.algorithmMismatch(token: "HS256??INFO forg…", key: .es256)))
    }

    @Test func malformedTokensAreRefusedBeforeTheKeyIsUsed() throws {
        let hmac = JWTVerifier(key: try JWTKey(hmacSecret: JWTFixtures.secret))
        let good = try TestToken.make(claims: claims)
        #expect(hmac.verify(good + ".x", now: now) == .refused(.malformed(.partCount(4))))
        #expect(hmac.verify(String(good.split(separator: ".")[0]) + ".x", now: now) == .refused(.malformed(.partCount(2))))
        #expect(hmac.verify(good + "+", now: now) == .refused(.malformed(.notBase64URL(.signature))))
        #expect(hmac.verify("Bearer " + good, now: now) == .refused(.malformed(.notBase64URL(.header))))
        let huge = try TestToken.make(claims: TestToken.claims(exp: now + 600, extra: #","pad":"\#(String(repeating: "x", count: 6200))""#))
        #expect(hmac.verify(huge, now: now) == .refused(.malformed(.tooLong(bytes: huge.utf8.count))))
    }
}
