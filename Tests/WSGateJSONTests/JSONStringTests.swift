import Testing
import WSGateJSON

@Suite(.timeLimit(.minutes(10))) struct JSONStringTests {
    @Test func decodesEveryEscape() {
        #expect(parse(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{8}\u{C}\n\r\t"))
        #expect(parse(#""\u0000\u001f\u0041\u00e9\u00E9\u20AC\uFFFF""#) == .string("\u{0}\u{1F}A\u{E9}\u{E9}\u{20AC}\u{FFFF}"))
        #expect(parse(#""a\nb""#) == .string("a\nb"))
        #expect(parse(#""\u002F""#) == .string("/"))
    }

    @Test func decodesSurrogatePairs() {
        #expect(parse(#""\uD834\uDD1E""#) == .string("\u{1D11E}"))
        #expect(parse(#""\ud83d\ude00!""#) == .string("\u{1F600}!"))
        #expect(parse(#""\uD800\uDC00\uDBFF\uDFFF""#) == .string("\u{10000}\u{10FFFF}"))
    }

    @Test(arguments: [#""\uD834""#, #""\uDD1E""#, #""\uD834x""#, #""\uD834\n""#, #""\uD834\uD834""#, #""\uD834\u0041""#,
                      #""\uDFFF\uD800""#, #"["\uD800"]"#])
    func refusesLoneSurrogates(_ text: String) {
        #expect(parseError(text)?.reason == .loneSurrogate, "\(text)")
    }

    @Test func refusesBadEscapes() {
        #expect(parseError(#""\x41""#) == JSONParseError(.invalidEscape, at: 1))
        #expect(parseError(#""\a""#)?.reason == .invalidEscape)
        #expect(parseError(#""\'""#)?.reason == .invalidEscape)
        #expect(parseError(#""\U0041""#)?.reason == .invalidEscape)
        #expect(parseError(#""\u12G4""#) == JSONParseError(.invalidUnicodeEscape, at: 5))
        #expect(parseError(#""\u12""#)?.reason == .invalidUnicodeEscape)
        #expect(parseError(#""\u 123""#)?.reason == .invalidUnicodeEscape)
        #expect(parseError("\"\\u12") == JSONParseError(.unexpectedEnd, at: 5))
        #expect(parseError("\"\\uD834\\") == JSONParseError(.unexpectedEnd, at: 8))
    }

    @Test func refusesEveryRawControlCharacter() {
        for byte in UInt8(0) ..< 0x20 {
            #expect(parseError([0x22, 0x61, byte, 0x22]) == JSONParseError(.controlCharacterInString, at: 2), "byte \(byte)")
        }
        #expect(parse("\"\u{7F}\"") == .string("\u{7F}"))  // DEL is not a control character for JSON
    }

    @Test func acceptsWellFormedUTF8() {
        #expect(parse("\"caf\u{E9} \u{20AC} \u{1D11E} \u{10FFFF}\"") == .string("caf\u{E9} \u{20AC} \u{1D11E} \u{10FFFF}"))
        #expect(parse("{\"\u{E9}t\u{E9}\":\"\u{2028}\"}") == object([("\u{E9}t\u{E9}", .string("\u{2028}"))]))
    }

    @Test(arguments: [
        [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF],
        [0xF0, 0x80, 0x80, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xFF], [0xFE], [0xC3],
        [0xE2, 0x82], [0xC3, 0x41], [0xE2, 0x28, 0xA1],
    ] as [[UInt8]])
    func refusesIllFormedUTF8(_ bad: [UInt8]) {
        let text: [UInt8] = [0x22, 0x61] + bad + [0x22]
        #expect(parseError(text) == JSONParseError(.invalidUTF8, at: 2), "\(bad)")
        #expect(parseError([0x5B] + bad + [0x5D]) != nil)  // and outside a string
    }
}
