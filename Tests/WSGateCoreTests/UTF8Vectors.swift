/// UTF-8 test vectors in the style of Markus Kuhn's UTF-8 decoder stress test, as used by the
/// Autobahn|Testsuite 6.x cases.
struct UTF8Vector: Sendable, CustomStringConvertible {
    let name: String
    let bytes: [UInt8]
    /// Index of the first byte at which a fail-fast validator must say "impossible"; nil when
    /// no byte is impossible (the text is valid, or merely truncated).
    let failIndex: Int?
    /// Whether the whole text is valid UTF-8.
    let isValid: Bool

    static func valid(_ name: String, _ bytes: [UInt8]) -> UTF8Vector {
        UTF8Vector(name: name, bytes: bytes, failIndex: nil, isValid: true)
    }

    static func invalid(_ name: String, _ bytes: [UInt8], failsAt index: Int) -> UTF8Vector {
        UTF8Vector(name: name, bytes: bytes, failIndex: index, isValid: false)
    }

    /// Every byte could still start a valid sequence, but the text ends inside one.
    static func truncated(_ name: String, _ bytes: [UInt8]) -> UTF8Vector {
        UTF8Vector(name: name, bytes: bytes, failIndex: nil, isValid: false)
    }

    var description: String { name }

    static let kosme: [UInt8] = [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5]
    static let edited: [UInt8] = Array("edited".utf8)
}

extension UTF8Vector {
    static let table: [UTF8Vector] = [
        // 6.1-6.2: empty and the Greek word "kosme".
        .valid("empty", []),
        .valid("kosme", kosme),
        .valid("Hello-µ@ßöäüàá-UTF-8!!", Array("Hello-µ@ßöäüàá-UTF-8!!".utf8)),
        // 6.5: some valid text.
        .valid("long ASCII", Array("The quick brown fox jumps over the lazy dog, 0123456789.".utf8)),
        // 6.6: kosme, byte by byte prefixes (the truncated prefixes are checked separately).
        .truncated("kosme truncated after CE", [0xCE]),
        .truncated("kosme truncated in E1 BD", [0xCE, 0xBA, 0xE1, 0xBD]),
        // 6.7: first possible sequence of each length.
        .valid("U+0000", [0x00]),
        .valid("U+0080", [0xC2, 0x80]),
        .valid("U+0800", [0xE0, 0xA0, 0x80]),
        .valid("U+10000", [0xF0, 0x90, 0x80, 0x80]),
        .invalid("5-byte U+200000", [0xF8, 0x88, 0x80, 0x80, 0x80], failsAt: 0),
        .invalid("6-byte U+4000000", [0xFC, 0x84, 0x80, 0x80, 0x80, 0x80], failsAt: 0),
        // 6.8: last possible sequence of each length.
        .valid("U+007F", [0x7F]),
        .valid("U+07FF", [0xDF, 0xBF]),
        .valid("U+FFFF", [0xEF, 0xBF, 0xBF]),
        .invalid("U+1FFFFF", [0xF7, 0xBF, 0xBF, 0xBF], failsAt: 0),
        .invalid("5-byte U+3FFFFFF", [0xFB, 0xBF, 0xBF, 0xBF, 0xBF], failsAt: 0),
        .invalid("6-byte U+7FFFFFFF", [0xFD, 0xBF, 0xBF, 0xBF, 0xBF, 0xBF], failsAt: 0),
        // 6.9: other boundary conditions.
        .valid("U+D7FF", [0xED, 0x9F, 0xBF]),
        .valid("U+E000", [0xEE, 0x80, 0x80]),
        .valid("U+FFFD", [0xEF, 0xBF, 0xBD]),
        .valid("U+10FFFF", [0xF4, 0x8F, 0xBF, 0xBF]),
        .invalid("U+110000", [0xF4, 0x90, 0x80, 0x80], failsAt: 1),
        // 6.10-6.11: unexpected continuation bytes.
        .invalid("lone 80", [0x80], failsAt: 0),
        .invalid("lone BF", [0xBF], failsAt: 0),
        .invalid("80 BF", [0x80, 0xBF], failsAt: 0),
        .invalid("80 BF 80 BF", [0x80, 0xBF, 0x80, 0xBF], failsAt: 0),
        .invalid("kosme then 80", kosme + [0x80], failsAt: 11),
        .invalid("2-byte then extra continuation", [0xC2, 0x80, 0x80], failsAt: 2),
        // 6.12: lonely start characters followed by a space.
        .invalid("C0 space", [0xC0, 0x20], failsAt: 0),
        .invalid("C2 space", [0xC2, 0x20], failsAt: 1),
        .invalid("DF space", [0xDF, 0x20], failsAt: 1),
        .invalid("E0 space", [0xE0, 0x20], failsAt: 1),
        .invalid("EF space", [0xEF, 0x20], failsAt: 1),
        .invalid("F0 space", [0xF0, 0x20], failsAt: 1),
        .invalid("F4 space", [0xF4, 0x20], failsAt: 1),
        .invalid("F8 space", [0xF8, 0x20], failsAt: 0),
        .invalid("FC space", [0xFC, 0x20], failsAt: 0),
        // 6.13-6.14: sequences with the last continuation byte missing.
        .truncated("C2 alone", [0xC2]),
        .truncated("DF alone", [0xDF]),
        .truncated("E0 A0", [0xE0, 0xA0]),
        .truncated("EF BF", [0xEF, 0xBF]),
        .truncated("F0 90 80", [0xF0, 0x90, 0x80]),
        .truncated("F4 8F BF", [0xF4, 0x8F, 0xBF]),
        .invalid("C0 alone", [0xC0], failsAt: 0),
        .invalid("F7 BF BF", [0xF7, 0xBF, 0xBF], failsAt: 0),
        // 6.15: concatenation of incomplete sequences.
        .invalid("C2 then E0 A0", [0xC2, 0xE0, 0xA0], failsAt: 1),
        .invalid("E0 A0 then F0 90 80", [0xE0, 0xA0, 0xF0, 0x90, 0x80], failsAt: 2),
        // 6.16: impossible bytes.
        .invalid("FE", [0xFE], failsAt: 0),
        .invalid("FF", [0xFF], failsAt: 0),
        .invalid("FE FE FF FF", [0xFE, 0xFE, 0xFF, 0xFF], failsAt: 0),
        .invalid("F5", [0xF5, 0x80, 0x80, 0x80], failsAt: 0),
        // 6.17-6.19: overlong forms.
        .invalid("overlong / 2 bytes", [0xC0, 0xAF], failsAt: 0),
        .invalid("overlong / 3 bytes", [0xE0, 0x80, 0xAF], failsAt: 1),
        .invalid("overlong / 4 bytes", [0xF0, 0x80, 0x80, 0xAF], failsAt: 1),
        .invalid("overlong / 5 bytes", [0xF8, 0x80, 0x80, 0x80, 0xAF], failsAt: 0),
        .invalid("max overlong 2 bytes", [0xC1, 0xBF], failsAt: 0),
        .invalid("max overlong 3 bytes", [0xE0, 0x9F, 0xBF], failsAt: 1),
        .invalid("max overlong 4 bytes", [0xF0, 0x8F, 0xBF, 0xBF], failsAt: 1),
        .invalid("overlong NUL 2 bytes", [0xC0, 0x80], failsAt: 0),
        .invalid("overlong NUL 3 bytes", [0xE0, 0x80, 0x80], failsAt: 1),
        .invalid("overlong NUL 4 bytes", [0xF0, 0x80, 0x80, 0x80], failsAt: 1),
        // 6.20-6.21: UTF-16 surrogates, single and paired.
        .invalid("U+D800", [0xED, 0xA0, 0x80], failsAt: 1),
        .invalid("U+DB7F", [0xED, 0xAD, 0xBF], failsAt: 1),
        .invalid("U+DB80", [0xED, 0xAE, 0x80], failsAt: 1),
        .invalid("U+DBFF", [0xED, 0xAF, 0xBF], failsAt: 1),
        .invalid("U+DC00", [0xED, 0xB0, 0x80], failsAt: 1),
        .invalid("U+DF80", [0xED, 0xBE, 0x80], failsAt: 1),
        .invalid("U+DFFF", [0xED, 0xBF, 0xBF], failsAt: 1),
        .invalid("U+D800 U+DC00", [0xED, 0xA0, 0x80, 0xED, 0xB0, 0x80], failsAt: 1),
        .invalid("U+DBFF U+DFFF", [0xED, 0xAF, 0xBF, 0xED, 0xBF, 0xBF], failsAt: 1),
        // 6.22: noncharacters are valid UTF-8.
        .valid("U+FFFE", [0xEF, 0xBF, 0xBE]),
        .valid("U+1FFFF", [0xF0, 0x9F, 0xBF, 0xBF]),
        .valid("U+10FFFE", [0xF4, 0x8F, 0xBF, 0xBE]),
        .valid("U+FDD0", [0xEF, 0xB7, 0x90]),
        // 6.3 / 6.4: kosme, a surrogate, then "edited" (fails at the A0).
        .invalid("kosme U+D800 edited", kosme + [0xED, 0xA0, 0x80] + edited, failsAt: 12),
        // Invalid bytes past the 8-byte ASCII fast path.
        .invalid("20 ASCII then FF", Array(repeating: 0x41, count: 20) + [0xFF], failsAt: 20),
        .invalid("8 ASCII, C3, 8 ASCII", Array(repeating: 0x41, count: 8) + [0xC3] + Array(repeating: 0x41, count: 8), failsAt: 9),
        .truncated("16 ASCII then E0 A0", Array(repeating: 0x61, count: 16) + [0xE0, 0xA0]),
        .invalid("E1 80 C0", [0xE1, 0x80, 0xC0], failsAt: 2),
        .invalid("F1 80 7F", [0xF1, 0x80, 0x7F], failsAt: 2),
        .invalid("F0 90 80 C0", [0xF0, 0x90, 0x80, 0xC0], failsAt: 3),
        .valid("F1 80 80 80", [0xF1, 0x80, 0x80, 0x80]),
        .valid("F3 BF BF BF", [0xF3, 0xBF, 0xBF, 0xBF]),
        .valid("F4 80 80 80", [0xF4, 0x80, 0x80, 0x80]),
        .valid("ED 80 80", [0xED, 0x80, 0x80]),
    ]
}
