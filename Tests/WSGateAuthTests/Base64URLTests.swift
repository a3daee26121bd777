import Testing
import WSGateAuth

@Suite(.timeLimit(.minutes(10))) struct Base64URLTests {
    /// RFC 4648 §10's vectors, unpadded and in the URL-safe alphabet.
    @Test(arguments: [("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"),
                      ("fooba", "Zm9vYmE"), ("foobar", "Zm9vYmFy")])
    func decodesAndEncodesTheRFCVectors(plain: String, encoded: String) {
        #expect(Base64URL.decode(encoded.utf8) == Array(plain.utf8))
        #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
    }

    @Test func usesTheURLSafeAlphabet() {
        #expect(Base64URL.decode("-_8".utf8) == [0xFB, 0xFF])
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64URL.decode("+/8".utf8) == nil)
    }

    @Test(arguments: ["Zg==", "Zg=", "Zm9v\n", " Zm9v", "Zm9vY", "a", "Zm.v", "Zm9v%", "Zé"])
    func refusesPaddingForeignCharactersAndImpossibleLengths(text: String) {
        #expect(Base64URL.decode(text.utf8) == nil)
    }

    /// "Zh" and "Zm9" carry bits after the last byte: another spelling of "f" and "fo".
    @Test func refusesNonZeroTrailingBits() {
        #expect(Base64URL.decode("Zh".utf8) == nil)
        #expect(Base64URL.decode("Zm9".utf8) == nil)
    }

    @Test func roundTripsEveryByte() {
        let bytes = (0 ... 255).map { UInt8($0) }
        for length in 0 ... 6 {
            let slice = Array(bytes.prefix(length + 250))
            #expect(Base64URL.decode(Base64URL.encode(slice).utf8) == slice)
        }
    }
}
