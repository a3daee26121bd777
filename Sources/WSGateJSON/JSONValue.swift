/// One JSON value (RFC 8259 §3), as the reader produces it and the writer consumes it.
///
/// Why it exists: `--room-protocol=json` reads one JSON text per backend output line and the
/// gateway may not use Foundation. Objects keep their members in input order (`JSONObject`);
/// numbers keep their text (`JSONNumber`), so a value written back is byte for byte what was
/// read. Equality compares strings and keys by their UTF-8 bytes (not by Swift's canonical
/// equivalence), so two values are equal exactly when they serialize to the same text.
public indirect enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)

    public static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): return true
        case let (.bool(left), .bool(right)): return left == right
        case let (.number(left), .number(right)): return left == right
        case let (.string(left), .string(right)): return left.utf8.elementsEqual(right.utf8)
        case let (.array(left), .array(right)): return left == right
        case let (.object(left), .object(right)): return left == right
        default: return false
        }
    }

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The number, when this is a number.
    public var numberValue: JSONNumber? {
        if case .number(let value) = self { return value }
        return nil
    }
}
