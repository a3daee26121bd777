import Testing
import WSGateAuth
import WSGateJSON

private func malformation(_ token: String) -> JWTMalformation? {
    do {
        _ = try JSONWebToken(parsing: token.utf8)
        return nil
    } catch {
        return error
    }
}

private func part(_ json: String) -> String { Base64URL.encode(Array(json.utf8)) }

@Suite(.timeLimit(.minutes(10))) struct JSONWebTokenTests {
    private let claims = part(#"{"sub":"a","exp":1}"#)

    @Test func readsTheHeaderAndClaims() throws {
        let token = try JSONWebToken(parsing: (part(#"{"alg":"ES256","kid":"x"}"#) + "." + claims + ".AAAA").utf8)
        #expect(token.algorithm == "ES256")
        #expect(token.header["kid"]?.stringValue == "x")
        #expect(token.claims["sub"]?.stringValue == "a")
    }

    @Test(arguments: [("a.b", 2), ("a.b.c.d", 4), ("abc", 1), ("....", 5)])
    func refusesAnythingButThreeParts(token: String, parts: Int) {
        #expect(malformation(token) == .partCount(parts))
    }

    @Test func refusesMalformedBase64InEachPart() {
        let header = part(#"{"alg":"HS256"}"#)
        #expect(malformation("eyJ+." + claims + ".") == .notBase64URL(.header))
        #expect(malformation(header + ".e=." ) == .notBase64URL(.claims))
        #expect(malformation(header + "." + claims + ".AAAA=") == .notBase64URL(.signature))
        #expect(malformation(header + "." + claims + ".A") == .notBase64URL(.signature))
    }

    /// A huge token is refused on its length alone: its parts are never decoded.
    @Test func refusesAHugeTokenBeforeDecoding() {
        let huge = String(repeating: "!", count: JSONWebToken.maxBytes + 1)
        #expect(malformation(huge) == .tooLong(bytes: JSONWebToken.maxBytes + 1))
        #expect(malformation(String(repeating: "A", count: 1 << 20)) == .tooLong(bytes: 1 << 20))
        #expect(malformation(String(repeating: "!", count: JSONWebToken.maxBytes)) == .partCount(1))
    }

    @Test(arguments: [#"["alg","HS256"]"#, #""HS256""#, "null", "1"])
    func refusesAHeaderThatIsNotAnObject(header: String) {
        #expect(malformation(part(header) + "." + claims + ".") == .notAnObject(.header))
    }

    @Test func refusesHeaderAndClaimsThatAreNotJSON() {
        guard case .notJSON(.header, _)? = malformation(part("{alg:1}") + "." + claims + ".") else {
            Issue.record("not JSON in the header")
            return
        }
        guard case .notJSON(.claims, _)? = malformation(part(#"{"alg":"HS256"}"#) + "." + part("{") + ".") else {
            Issue.record("not JSON in the claims")
            return
        }
        #expect(malformation(part(#"{"alg":"HS256"}"#) + "." + part("[]") + ".") == .notAnObject(.claims))
        #expect(malformation(part(#"{"alg":"HS256","alg":"none"}"#) + "." + claims + ".")
            == .notJSON(.header, JSONParseError(.duplicateKey, at: 15)))
    }

    @Test(arguments: ["{}", #"{"alg":null}"#, #"{"alg":256}"#])
    func refusesAHeaderWithoutAStringAlg(header: String) {
        #expect(malformation(part(header) + "." + claims + ".") == .missingAlgorithm)
    }

    @Test func refusesCrit() {
        #expect(malformation(part(#"{"alg":"HS256","crit":["exp"],"exp":1}"#) + "." + claims + ".") == .criticalHeader)
        #expect(malformation(part(#"{"alg":"HS256","b64":false,"crit":["b64"]}"#) + "." + claims + ".") == .criticalHeader)
    }

    @Test(arguments: [#""JWT""#, #""jwt""#, #""application/JWT""#])
    func acceptsTypJWTInAnyCase(type: String) {
        #expect(malformation(part(#"{"alg":"HS256","typ":\#(type)}"#) + "." + claims + ".") == nil)
    }

    @Test(arguments: [#""JWS""#, #""at+jwt""#, "1", #""ｊwt""#])
    func refusesAnotherTyp(type: String) {
        #expect(malformation(part(#"{"alg":"HS256","typ":\#(type)}"#) + "." + claims + ".") == .wrongType)
    }
}
