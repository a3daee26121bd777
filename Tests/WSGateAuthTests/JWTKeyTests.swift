import Testing
import WSGateAuth

@Suite(.timeLimit(.minutes(10))) struct JWTKeyTests {
    @Test func aSecretOf32BytesIsAnHS256Key() throws {
        #expect(try JWTKey(hmacSecret: JWTFixtures.secret).algorithm == .hs256)
        #expect(try JWTKey(fileContents: JWTFixtures.secret).algorithm == .hs256)
    }

    /// RFC 7518 §3.2: a key of the same size as the hash output or larger.
    @Test func aShorterSecretIsRefused() {
        #expect(throws: JWTKeyError.secretTooShort(bytes: 31)) { try JWTKey(hmacSecret: JWTFixtures.secret.dropLast()) }
        #expect(throws: JWTKeyError.secretTooShort(bytes: 0)) { try JWTKey(fileContents: [UInt8]()) }
        let huge = [UInt8](repeating: 1, count: JWTKey.maximumBytes + 1)
        #expect(throws: JWTKeyError.tooLarge(bytes: huge.count)) { try JWTKey(fileContents: huge) }
        #expect(throws: JWTKeyError.tooLarge(bytes: huge.count + 10)) { try JWTKey(fileContents: "-----BEGIN".utf8 + huge) }
    }

    @Test func publicKeysChooseTheirAlgorithm() throws {
        #expect(try JWTFixtures.key("es256.pem").algorithm == .es256)
        #expect(try JWTFixtures.key("rfc7515-es256.pem").algorithm == .es256)
        #expect(try JWTFixtures.key("rs256.pem").algorithm == .rs256)
        #expect(try JWTKey(fileContents: JWTFixtures.bytes("rfc7515-rs256.pem")).algorithm == .rs256)
    }

    @Test func otherCurvesSmallRSAKeysAndOtherTypesAreRefused() throws {
        #expect(throws: JWTKeyError.unsupportedCurve("secp384r1")) { try JWTFixtures.key("p384.pem") }
        #expect(throws: JWTKeyError.rsaKeyTooSmall(bits: 1024)) { try JWTFixtures.key("rsa1024.pem") }
        #expect(throws: JWTKeyError.unsupportedKeyType) { try JWTFixtures.key("ed25519.pem") }
    }

    /// A file that looks like PEM is never taken as a secret, even when it is not a public key.
    @Test func aPrivateKeyOrBrokenPEMIsNotAPublicKey() throws {
        for contents in [try JWTFixtures.bytes("es256.key"), Array("-----BEGIN PUBLIC KEY-----\nAAAA\n".utf8)] {
            #expect {
                try JWTKey(fileContents: contents)
            } throws: { error in
                guard case .notAPublicKey? = error as? JWTKeyError else { return false }
                return true
            }
        }
    }
}
