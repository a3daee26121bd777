import Testing
import WSGatePasswords

@Suite struct BasicCredentialsTests {
    private func parse(_ value: String, maxLength: Int = BasicCredentials.defaultMaxLength) -> Result<BasicCredentials, BasicCredentialsError> {
        Result { () throws(BasicCredentialsError) in try BasicCredentials(authorization: value, maxLength: maxLength) }
    }

    @Test func rfc7617Example() {
        #expect(parse("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==") == .success(BasicCredentials(user: "Aladdin", password: "open sesame")))
    }

    @Test func theSchemeIsCaseInsensitiveAndSpacesMayRepeat() {
        let expected = Result<BasicCredentials, BasicCredentialsError>.success(BasicCredentials(user: "Aladdin", password: "open sesame"))
        #expect(parse("basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==") == expected)
        #expect(parse("BASIC  QWxhZGRpbjpvcGVuIHNlc2FtZQ==") == expected)
    }

    @Test func thePasswordMayHoldColonsAndBeEmptyAndUTF8() {
        // "u:p:q", "u:", "zoë:pässwörd"
        #expect(parse("Basic dTpwOnE=") == .success(BasicCredentials(user: "u", password: "p:q")))
        #expect(parse("Basic dTo=") == .success(BasicCredentials(user: "u", password: "")))
        #expect(parse("Basic em/Dqzpww6Rzc3fDtnJk") == .success(BasicCredentials(user: "zoë", password: "pässwörd")))
    }

    @Test(arguments: [
        ("Bearer abc.def.ghi", BasicCredentialsError.notBasic),
        ("Basically dTpw", .notBasic),
        ("", .notBasic),
        ("Basic", .missingCredentials),
        ("Basic ", .missingCredentials),
        ("Basic\tdTpw", .notBasic),
        ("Basic dTpw!", .badBase64),
        ("Basic dTpwOnE", .badBase64),           // padding missing
        ("Basic dTpwOnE= ", .badBase64),         // trailing space
        ("Basic dT-w", .badBase64),              // URL-safe alphabet
        ("Basic dXNlcg==", .noColon),            // "user"
        ("Basic OnBhc3M=", .emptyUser),          // ":pass"
        ("Basic dTpwCg==", .controlCharacter),   // "u:p\n"
        ("Basic dQA6cA==", .controlCharacter),   // "u\0:p"
        ("Basic dTrCgQ==", .controlCharacter),   // "u:" U+0081
        ("Basic dTr/", .notUTF8),                // "u:" 0xFF
    ])
    func refusals(value: String, error: BasicCredentialsError) {
        #expect(parse(value) == .failure(error))
    }

    @Test func theLengthCapCountsTheWholeValue() {
        let value = "Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ=="
        #expect((try? parse(value, maxLength: value.utf8.count).get()) != nil)
        #expect(parse(value, maxLength: value.utf8.count - 1) == .failure(.tooLong))
        #expect(parse("Basic " + String(repeating: "A", count: 8192)) == .failure(.tooLong))
    }
}
