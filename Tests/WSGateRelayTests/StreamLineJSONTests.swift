import Testing
import WSGateCore
import WSGateRelay

@Suite(.timeLimit(.minutes(10))) struct StreamLineJSONTests {
    func encode(_ stream: StreamLineJSON.Stream, _ line: [UInt8]) -> String {
        let json = StreamLineJSON.encode(stream: stream, line: ByteBuffer(bytes: line))
        let bytes = json.readableBytesArray
        let valid = bytes.withUnsafeBytes { UTF8Validator.isValid($0) }
        #expect(valid, "output must be valid UTF-8")
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func wrapsStdoutAndStderr() {
        #expect(encode(.stdout, Array("stdout-msg".utf8)) == #"{"stream":"stdout","data":"stdout-msg"}"#)
        #expect(encode(.stderr, Array("stderr-msg".utf8)) == #"{"stream":"stderr","data":"stderr-msg"}"#)
        #expect(encode(.stdout, []) == #"{"stream":"stdout","data":""}"#)
    }

    @Test(arguments: [
        ("quote \" backslash \\", #"quote \" backslash \\"#),
        ("\n\r\t", #"\n\r\t"#),
        ("\u{8}\u{C}", #"\b\f"#),
        ("\u{0}\u{1}\u{1B}\u{1F}", #"\u0000\u0001\u001b\u001f"#),
        ("<a href='x'>&amp;</a>", #"\u003ca href='x'\u003e\u0026amp;\u003c/a\u003e"#),
        ("\u{7F} / ~", "\u{7F} / ~"),  // DEL and "/" are not escaped
        ("é € 𝄞 \u{FFFD}", "é € 𝄞 \u{FFFD}"),  // valid characters copied as is
        ("a\u{2028}b\u{2029}c", #"a\u2028b\u2029c"#),
    ])
    func escapesLikeGoEncodingJSON(_ line: String, _ escaped: String) {
        #expect(encode(.stdout, Array(line.utf8)) == #"{"stream":"stdout","data":""# + escaped + #""}"#)
    }

    @Test(arguments: [
        ([0xFF], #"\ufffd"#),
        ([0x61, 0xE2, 0x82], #"a\ufffd\ufffd"#),  // truncated "€": one per byte, as Go
        ([0xE2, 0x82, 0x41], #"\ufffd\ufffdA"#),
        ([0xED, 0xA0, 0x80], #"\ufffd\ufffd\ufffd"#),  // surrogate
        ([0xC0, 0xAF], #"\ufffd\ufffd"#),  // overlong
        ([0xF4, 0x90, 0x80, 0x80], #"\ufffd\ufffd\ufffd\ufffd"#),  // above U+10FFFF
        ([0xE2, 0x80, 0xA8, 0xFF, 0x3C], #"\u2028\ufffd\u003c"#),
    ] as [([UInt8], String)])
    func replacesEachInvalidByte(_ line: [UInt8], _ escaped: String) {
        #expect(encode(.stderr, line) == #"{"stream":"stderr","data":""# + escaped + #""}"#)
    }

    @Test func streamNames() {
        #expect(StreamLineJSON.Stream.stdout.name == "stdout")
        #expect(StreamLineJSON.Stream.stderr.name == "stderr")
    }
}
