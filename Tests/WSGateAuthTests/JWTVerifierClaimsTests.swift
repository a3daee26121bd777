import Testing
import WSGateAuth

/// The claims on tokens signed in the test, at a fake "now".
@Suite(.timeLimit(.minutes(10))) struct JWTVerifierClaimsTests {
    let now: Int64 = 1_800_000_000
    let verifier: JWTVerifier

    init() throws {
        verifier = JWTVerifier(key: try JWTKey(hmacSecret: JWTFixtures.secret))
    }

    private func verify(_ claims: String, with verifier: JWTVerifier? = nil) throws -> JWTVerification {
        (verifier ?? self.verifier).verify(try TestToken.make(claims: claims), now: now)
    }

    @Test func aGoodTokenGivesItsSubjectAndExpiry() throws {
        #expect(try verify(TestToken.claims(exp: now + 60)) == .valid(subject: "alice", expires: now + 60))
        #expect(try verify(#"{"sub":"bob","exp":1800000060.75,"iat":1799999999,"iss":"app"}"#)
            == .valid(subject: "bob", expires: now + 60))
        #expect(try verify(#"{"sub":"b\u00f6b","exp":18e8,"nbf":17e8}"#, with: JWTVerifier(key: verifier.key, leewaySeconds: 0))
            == .refused(.expired))
        #expect(try verify(#"{"sub":"b\u00f6b","exp":1800000000.5}"#) == .valid(subject: "böb", expires: now))
    }

    @Test func anExpiredTokenIsRefusedAfterTheLeeway() throws {
        #expect(try verify(TestToken.claims(exp: now - 29)) == .valid(subject: "alice", expires: now - 29))
        #expect(try verify(TestToken.claims(exp: now - 30)) == .refused(.expired))
        #expect(try verify(TestToken.claims(exp: now - 3600)) == .refused(.expired))
        let strict = JWTVerifier(key: verifier.key, leewaySeconds: 0)
        #expect(try verify(TestToken.claims(exp: now), with: strict) == .refused(.expired))
        #expect(try verify(TestToken.claims(exp: now + 1), with: strict) == .valid(subject: "alice", expires: now + 1))
    }

    @Test func aTokenNotYetValidIsRefusedBeyondTheLeeway() throws {
        #expect(try verify(TestToken.claims(exp: now + 600, extra: #","nbf":\#(now + 31)"#)) == .refused(.notYetValid))
        #expect(try verify(TestToken.claims(exp: now + 600, extra: #","nbf":\#(now + 30)"#))
            == .valid(subject: "alice", expires: now + 600))
        #expect(try verify(TestToken.claims(exp: now + 600, extra: #","nbf":\#(now - 5)"#))
            == .valid(subject: "alice", expires: now + 600))
    }

    @Test func expIsRequiredAndDatesMustBeNumbers() throws {
        #expect(try verify(#"{"sub":"alice"}"#) == .refused(.malformed(.missingClaim("exp"))))
        #expect(try verify(#"{"sub":"alice","exp":"1900000000"}"#) == .refused(.malformed(.dateNotNumber("exp"))))
        #expect(try verify(#"{"sub":"alice","exp":null}"#) == .refused(.malformed(.dateNotNumber("exp"))))
        #expect(try verify(#"{"sub":"alice","exp":1e999}"#) == .refused(.malformed(.dateNotNumber("exp"))))
        #expect(try verify(TestToken.claims(exp: now + 60, extra: #","nbf":true"#)) == .refused(.malformed(.dateNotNumber("nbf"))))
    }

    @Test func subIsRequiredAsAUsableString() throws {
        #expect(try verify(#"{"exp":1900000000}"#) == .refused(.malformed(.missingClaim("sub"))))
        for sub in ["42", "null", #"["alice"]"#, #""""#, #""ali\nce""#, #""a\u0000""#, #""a\u007f""#, #""a\u0085""#] {
            #expect(try verify(#"{"sub":\#(sub),"exp":1900000000}"#) == .refused(.malformed(.badSubject)), "sub \(sub)")
        }
    }

    @Test func audIsCheckedWhenConfigured() throws {
        let web = JWTVerifier(key: verifier.key, audience: "wsgate")
        let claims = { (aud: String) in TestToken.claims(exp: self.now + 60, extra: #","aud":\#(aud)"#) }
        #expect(try verify(claims(#""wsgate""#), with: web) == .valid(subject: "alice", expires: now + 60))
        #expect(try verify(claims(#"["other","wsgate"]"#), with: web) == .valid(subject: "alice", expires: now + 60))
        #expect(try verify(claims(#""other""#), with: web) == .refused(.wrongAudience))
        #expect(try verify(claims(#"["WSGATE"]"#), with: web) == .refused(.wrongAudience))
        #expect(try verify(claims("[]"), with: web) == .refused(.wrongAudience))
        #expect(try verify(TestToken.claims(exp: now + 60), with: web) == .refused(.wrongAudience))
        // Not configured: any audience passes, but aud must still be a string or strings.
        #expect(try verify(claims(#""other""#)) == .valid(subject: "alice", expires: now + 60))
        #expect(try verify(claims(#"["a",1]"#)) == .refused(.malformed(.badAudience)))
        #expect(try verify(claims("{}"), with: web) == .refused(.malformed(.badAudience)))
    }

    @Test func refusalsReadWellInALogLine() {
        #expect(JWTRefusal.expired.description == "expired")
        #expect(JWTRefusal.notYetValid.description == "not yet valid")
        #expect(JWTRefusal.badSignature.description == "bad signature")
        #expect(JWTRefusal.algorithmMismatch(token: "HS256", key: .es256).description
            == "algorithm mismatch: token says HS256, key is ES256")
        #expect(JWTRefusal.malformed(.partCount(4)).description == "malformed: 4 parts instead of 3")
        #expect(JWTRefusal.signatureLength(bytes: 63, expected: 64).description == "bad signature: 63 bytes instead of 64")
    }
}
