import Testing
import WSGateCore

@Suite(.timeLimit(.minutes(10))) struct Base64Tests {
    /// RFC 4648 §10.
    static let vectors: [(String, String)] = [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="), ("foobar", "Zm9vYmFy"),
    ]

    @Test(arguments: vectors.indices)
    func encodesRFC4648Vector(_ index: Int) {
        let (plain, encoded) = Self.vectors[index]
        #expect(Base64.encode(Array(plain.utf8)) == encoded)
    }

    @Test(arguments: vectors.indices)
    func decodesRFC4648Vector(_ index: Int) {
        let (plain, encoded) = Self.vectors[index]
        #expect(Base64.decode(encoded) == Array(plain.utf8))
    }

    @Test func roundTripsEveryByteValueAndLength() {
        let bytes = (0 ..< 256).map { UInt8($0) }
        for length in 0 ... bytes.count {
            let slice = Array(bytes[..<length].reversed())
            #expect(Base64.decode(Base64.encode(slice)) == slice, "length \(length)")
        }
    }

    @Test func usesTheStandardAlphabet() {
        #expect(Base64.encode([0xFB, 0xFF, 0xBF]) == "+/+/")
        #expect(Base64.decode("+/+/") == [0xFB, 0xFF, 0xBF])
    }

    @Test(arguments: [
        "Zg", "Zg=", "Zm9vY", // length not a multiple of 4
        "Zh==", "Zm9=", // non-zero padding bits
        "Z===", "====", "=Zg=", "Zg==Zg==", "Zm=v", // misplaced padding
        "Zm-v", "Zm_v", "Zm9v\n", "Zm 9", " Zm9v", "Zm9v=", "Zm\u{e9}", // characters outside the alphabet
    ])
    func rejectsNonCanonicalInput(_ text: String) {
        #expect(Base64.decode(text) == nil)
    }

    @Test func decodesSubstrings() {
        let text = "xxZm9vYmFyxx"
        let inner = text.dropFirst(2).dropLast(2)
        #expect(Base64.decode(inner) == Array("foobar".utf8))
    }
}
