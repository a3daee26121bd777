public import WSGateCore

/// Wraps one output line as `{"stream":"stdout","data":"…"}` for `--passstderr`.
///
/// Why it exists: with `--passstderr`, websocketd main sends every stdout and stderr line to
/// the client as a JSON object so the page can tell the streams apart; clients written for it
/// parse exactly this shape. websocketd builds it with Go's `encoding/json` (`json.Marshal` of
/// a struct with the fields `stream` then `data`), so this encoder reproduces Go's string
/// escaping byte for byte (RFC 8259 §7 plus Go's choices):
/// - `"` and `\` are backslash-escaped; "\n", "\r", "\t", "\u{8}", "\u{C}" use their short
///   escapes (`\b`, `\f` as Go ≥ 1.22 writes them); other bytes below 0x20 become `\u00XX`
///   with lowercase hex;
/// - Go's HTML-safe escaping: `<`, `>`, `&` become `\u003c`, `\u003e`, `\u0026`, and
///   U+2028 / U+2029 become `\u2028` / `\u2029`;
/// - every byte that does not start a well-formed UTF-8 sequence becomes `\ufffd` (one per
///   byte, as Go's `utf8.DecodeRune` advances one byte on error); valid non-ASCII characters
///   are copied unchanged. The result is always valid UTF-8 and goes out as a text message.
///
/// It takes the line without its terminator (the `LineFramer`'s job) and does no I/O.
public enum StreamLineJSON {
    /// Which of the program's output streams a line came from.
    public enum Stream: Sendable {
        case stdout, stderr

        /// The JSON value of the "stream" field.
        public var name: String {
            switch self {
            case .stdout: return "stdout"
            case .stderr: return "stderr"
            }
        }
    }

    /// The JSON object for one line (no trailing newline).
    public static func encode(stream: Stream, line: ByteBuffer) -> ByteBuffer {
        var out = ByteBuffer(capacity: line.readableBytes + 32)
        out.writeString("{\"stream\":\"")
        out.writeString(stream.name)
        out.writeString("\",\"data\":\"")
        line.withUnsafeReadableBytes { writeEscaped($0, into: &out) }
        out.writeString("\"}")
        return out
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Appends `bytes` as the inside of a JSON string, escaped as Go does.
    static func writeEscaped(_ bytes: UnsafeRawBufferPointer, into out: inout ByteBuffer) {
        var index = 0
        var runStart = 0  // bytes copied unchanged are written in runs
        func flushRun(upTo end: Int) {
            if end > runStart { out.writeBytes(UnsafeRawBufferPointer(rebasing: bytes[runStart ..< end])) }
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                if needsEscape(byte) {
                    flushRun(upTo: index)
                    writeEscape(byte, into: &out)
                    runStart = index + 1
                }
                index += 1
                continue
            }
            let length = wellFormedSequenceLength(bytes, at: index)
            if length == 0 {
                flushRun(upTo: index)
                out.writeString("\\ufffd")
                index += 1
                runStart = index
                continue
            }
            // U+2028 LINE SEPARATOR and U+2029 PARAGRAPH SEPARATOR: E2 80 A8 / E2 80 A9.
            if length == 3 && byte == 0xE2 && bytes[index + 1] == 0x80 && (bytes[index + 2] & 0xFE) == 0xA8 {
                flushRun(upTo: index)
                out.writeString(bytes[index + 2] == 0xA8 ? "\\u2028" : "\\u2029")
                runStart = index + 3
            }
            index += length
        }
        flushRun(upTo: bytes.count)
    }

    /// Whether Go escapes this ASCII byte (controls, quote, backslash, and the HTML-unsafe
    /// `<`, `>`, `&`); DEL (0x7F) is copied as is.
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
            || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "&")
    }

    /// Writes Go's escape for an ASCII byte that `needsEscape`.
    private static func writeEscape(_ byte: UInt8, into out: inout ByteBuffer) {
        out.writeInteger(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): out.writeInteger(byte)
        case 0x08: out.writeInteger(UInt8(ascii: "b"))
        case 0x0C: out.writeInteger(UInt8(ascii: "f"))
        case 0x0A: out.writeInteger(UInt8(ascii: "n"))
        case 0x0D: out.writeInteger(UInt8(ascii: "r"))
        case 0x09: out.writeInteger(UInt8(ascii: "t"))
        default:
            out.writeString("u00")
            out.writeInteger(hexDigits[Int(byte >> 4)])
            out.writeInteger(hexDigits[Int(byte & 0xF)])
        }
    }

    /// Length of the well-formed UTF-8 sequence starting at `index` (2…4), or 0 when the byte
    /// there does not start one (Unicode Table 3-7, the same ranges as `UTF8Validator`).
    private static func wellFormedSequenceLength(_ bytes: UnsafeRawBufferPointer, at index: Int) -> Int {
        let lead = bytes[index]
        let length: Int
        var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
        switch lead {
        case 0xC2 ... 0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0
        case 0xE1 ... 0xEC, 0xEE ... 0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F
        case 0xF0: length = 4; lower = 0x90
        case 0xF1 ... 0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F
        default: return 0
        }
        guard index + length <= bytes.count else { return 0 }
        let second = bytes[index + 1]
        guard second >= lower && second <= upper else { return 0 }
        for offset in 2 ..< length where bytes[index + offset] & 0xC0 != 0x80 { return 0 }
        return length
    }
}
