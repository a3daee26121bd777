public import WSGateCore
public import WSGateConfig

/// One log event, formatted as websocketd does or as a JSON line.
///
/// Why it exists: people grep websocketd's log format (`TIME | LEVEL | category | k:'v' | msg`),
/// so a drop-in replacement keeps it byte for byte; `--logformat=json` gives the same fields to
/// log shippers. Formatting is pure so both forms are tested without a clock.
public struct LogLine: Sendable {
    public var time: CivilTime
    public var level: LogLevel
    public var category: String
    public var fields: [(key: String, value: String)]
    public var message: String

    public init(time: CivilTime, level: LogLevel, category: String, fields: [(key: String, value: String)], message: String) {
        self.time = time
        self.level = level
        self.category = category
        self.fields = fields
        self.message = message
    }

    /// `Fri, 27 Nov 2026 05:18:41 +0000 | ACCESS | session    | url:'…' id:'…' | CONNECT\n`
    ///
    /// Values come from clients (Host, path, Origin), so they are escaped: a value cannot close
    /// its quote to add a field, add a column, or start a line. The message is the last column
    /// (a program's stderr line may hold `|` and quotes), so only its control characters are.
    public var text: String {
        // Appended into one string: a line per connection event, so no intermediate arrays
        // or strings per field.
        var out = time.rfc1123
        out.reserveCapacity(out.utf8.count + 32 + message.utf8.count
                            + fields.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count + 4 })
        out += " | "
        Self.appendPadded(level.upperCaseName, 6, to: &out)
        out += " | "
        Self.appendPadded(category, 10, to: &out)
        out += " |"
        for field in fields {
            out += " "
            out += field.key
            out += ":'"
            Self.appendTextEscaped(field.value, backslashed: Self.fieldSpecials, to: &out)
            out += "'"
        }
        out += fields.isEmpty ? "  | " : " | "  // websocketd's empty field column: "|  |"
        Self.appendTextEscaped(message, backslashed: [], to: &out)
        out += "\n"
        return out
    }

    /// What a text-format field value escapes besides control characters.
    private static let fieldSpecials: [Unicode.Scalar] = ["\\", "'", "|"]

    /// `{"time":"…","level":"access","category":"session","url":"…","msg":"CONNECT"}\n`
    public var json: String {
        var out = "{\"time\":\(Self.quoted(time.rfc3339)),\"level\":\(Self.quoted(level.name)),\"category\":\(Self.quoted(category))"
        for (key, value) in fields { out += ",\(Self.quoted(key)):\(Self.quoted(value))" }
        out += ",\"msg\":\(Self.quoted(message))}\n"
        return out
    }

    /// Pads `text` (a level or category name: ASCII, so bytes are columns) to `width`.
    private static func appendPadded(_ text: String, _ width: Int, to out: inout String) {
        out += text
        let count = text.utf8.count
        if count < width { out += String(repeating: " ", count: width - count) }
    }

    /// Text-format escaping: control characters (U+0000–U+001F, U+007F) as `\n`, `\r`, `\t`
    /// or `\xHH`, and each of `backslashed` preceded by `\`.
    private static func appendTextEscaped(_ text: String, backslashed: [Unicode.Scalar], to out: inout String) {
        appendEscaped(text, controls: { $0.value < 0x20 || $0.value == 0x7F }, hexPrefix: "\\x", hexDigits: 2,
                      backslashed: backslashed, to: &out)
    }

    /// A JSON string literal (RFC 8259 §7): quotes, backslashes and control characters escaped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        appendEscaped(text, controls: { $0.value < 0x20 }, hexPrefix: "\\u", hexDigits: 4, backslashed: ["\"", "\\"], to: &out)
        out += "\""
        return out
    }

    /// The escaping both formats share: `\n`, `\r`, `\t`, other `controls` as `hexPrefix` and
    /// `hexDigits` lower-case hex digits, and each of `backslashed` preceded by `\`.
    private static func appendEscaped(_ text: String, controls: (Unicode.Scalar) -> Bool, hexPrefix: String, hexDigits: Int,
                                      backslashed: [Unicode.Scalar], to out: inout String) {
        guard mayNeedEscaping(text) else {
            out += text
            return
        }
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where controls(scalar):
                let hex = String(scalar.value, radix: 16)
                out += hexPrefix + String(repeating: "0", count: hexDigits - hex.count) + hex
            case _ where backslashed.contains(scalar): out += "\\" + String(scalar)
            default: out.unicodeScalars.append(scalar)
            }
        }
    }

    /// False when `text` has no byte either format escapes (every one is ASCII): the usual
    /// value is then appended as it is, without a look at each scalar.
    private static func mayNeedEscaping(_ text: String) -> Bool {
        text.utf8.contains { byte in
            switch byte {
            case 0..<0x20, 0x7F, UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "|"), UInt8(ascii: "\""): true
            default: false
            }
        }
    }
}
