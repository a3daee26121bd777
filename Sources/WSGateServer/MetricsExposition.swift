/// Writes metric families in the Prometheus text exposition format, version 0.0.4.
///
/// Why it exists: the format is small but strict (Prometheus rejects a whole scrape over one
/// bad line), so its rules live in one tested place: a `# HELP` line (backslash and newline
/// escaped) and a `# TYPE` line before each family's samples, label values with backslash,
/// double quote and newline escaped, integers written exactly and reals as Go's `ParseFloat`
/// reads them. A family without samples is left out (a labelled counter nobody hit yet).
enum MetricsExposition {
    /// The `Content-Type` of a scrape.
    static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    static func text(_ families: [MetricFamily]) -> String {
        var out = ""
        for family in families where !family.samples.isEmpty {
            out += "# HELP \(family.name) \(escapeHelp(family.help))\n"
            out += "# TYPE \(family.name) \(family.kind.rawValue)\n"
            for sample in family.samples {
                out += family.name
                if !sample.labels.isEmpty {
                    out += "{"
                    out += sample.labels.map { "\($0.name)=\"\(escapeLabelValue($0.value))\"" }.joined(separator: ",")
                    out += "}"
                }
                out += " " + format(sample.value) + "\n"
            }
        }
        return out
    }

    /// A label value: `\` → `\\`, `"` → `\"`, newline → `\n`.
    static func escapeLabelValue(_ value: String) -> String {
        escape(value, quote: true)
    }

    /// A HELP text: `\` → `\\`, newline → `\n` (quotes stay).
    static func escapeHelp(_ help: String) -> String {
        escape(help, quote: false)
    }

    private static func escape(_ text: String, quote: Bool) -> String {
        guard text.contains(where: { $0 == "\\" || $0 == "\n" || (quote && $0 == "\"") }) else { return text }
        var out = ""
        for character in text {
            switch character {
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\"" where quote: out += "\\\""
            default: out.append(character)
            }
        }
        return out
    }

    static func format(_ value: MetricFamily.Value) -> String {
        switch value {
        case .integer(let number):
            return String(number)
        case .real(let number):
            if number.isNaN { return "NaN" }
            if number.isInfinite { return number > 0 ? "+Inf" : "-Inf" }
            // Swift's shortest round-trip spelling ("1.5", "1e-05", "1712345678.25") is valid
            // for Go's ParseFloat.
            return number.description
        }
    }
}
