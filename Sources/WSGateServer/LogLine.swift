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
    public var text: String {
        let pairs = fields.map { "\($0.key):'\($0.value)'" }.joined(separator: " ")
        return "\(time.rfc1123) | \(Self.padded(level.name.uppercased(), 6)) | \(Self.padded(category, 10)) | \(pairs) | \(message)\n"
    }

    /// `{"time":"…","level":"access","category":"session","url":"…","msg":"CONNECT"}\n`
    public var json: String {
        var out = "{\"time\":\(Self.quoted(time.rfc3339)),\"level\":\(Self.quoted(level.name)),\"category\":\(Self.quoted(category))"
        for (key, value) in fields { out += ",\(Self.quoted(key)):\(Self.quoted(value))" }
        out += ",\"msg\":\(Self.quoted(message))}\n"
        return out
    }

    private static func padded(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : text + String(repeating: " ", count: width - text.count)
    }

    /// A JSON string literal (RFC 8259 §7): quotes, backslashes and control characters escaped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
