/// A JSON number (RFC 8259 §6), kept as its text.
///
/// Why text: RFC 8259 §6 leaves range and precision to the implementation, and a backend may
/// write an ID or a code that a Double would round. Keeping the text makes a round trip exact
/// and lets each caller pick its reading: `uint64Value`/`int64Value` accept only the plain
/// integer form (no fraction, no exponent) in range, `doubleValue` any number. Two numbers are
/// equal when their texts are (`1.0` and `1` differ).
public struct JSONNumber: Hashable, Sendable, CustomStringConvertible {
    /// The number as written, always matching RFC 8259's `number` rule.
    public let text: String

    /// Text the reader has already checked against the grammar.
    init(checkedText: String) {
        text = checkedText
    }

    public init(_ value: Int64) {
        text = String(value)
    }

    public init(_ value: UInt64) {
        text = String(value)
    }

    /// The shortest text that reads back as `value`; nil for infinities and NaN, which JSON
    /// cannot write.
    public init?(_ value: Double) {
        guard value.isFinite else { return nil }
        text = value.description  // "1.0", "1e-05", "-0.0": all valid JSON numbers
    }

    /// The number written as `text`, or nil when it is not RFC 8259's `number` (leading zeros,
    /// a bare `.`, `+`, whitespace…).
    public init?(text: String) {
        var copy = text
        let valid = copy.withUTF8 { JSONNumberGrammar.length(of: UnsafeRawBufferPointer($0), from: 0) == $0.count }
        guard valid, !text.isEmpty else { return nil }
        self.text = text
    }

    /// The value when the text is a plain integer (`-?digits`) within UInt64; nil otherwise.
    public var uint64Value: UInt64? {
        guard text.utf8.first != UInt8(ascii: "-") else { return nil }
        return plainIntegerDigits.flatMap { UInt64($0) }
    }

    /// The value when the text is a plain integer within Int64; nil otherwise.
    public var int64Value: Int64? {
        plainIntegerDigits == nil ? nil : Int64(text)
    }

    /// The nearest Double (±infinity beyond its range).
    public var doubleValue: Double {
        Double(text) ?? 0  // never nil: the text is a valid number
    }

    public var description: String { text }

    /// The text when it has neither fraction nor exponent.
    private var plainIntegerDigits: Substring? {
        for byte in text.utf8 where byte == UInt8(ascii: ".") || byte | 0x20 == UInt8(ascii: "e") { return nil }
        return text.utf8.first == UInt8(ascii: "-") ? text.dropFirst() : text[...]
    }
}

/// RFC 8259 §6's `number` rule: `-? (0 | [1-9] DIGIT*) (. DIGIT+)? ([eE] [+-]? DIGIT+)?`.
enum JSONNumberGrammar {
    /// How many bytes from `start` form the longest valid number, or nil when none starts there
    /// (or it is malformed: `01`, `1.`, `1e`, `-`). The caller checks what follows.
    static func length(of bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start
        func digits() -> Int {
            let first = index
            while index < bytes.count, isDigit(bytes[index]) { index += 1 }
            return index - first
        }
        if index < bytes.count && bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, isDigit(bytes[index]) else { return nil }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            // A leading zero may not be followed by more digits.
            if index < bytes.count && isDigit(bytes[index]) { return nil }
        } else {
            _ = digits()
        }
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { return nil }
        }
        if index < bytes.count && bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count && (bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-")) { index += 1 }
            guard digits() > 0 else { return nil }
        }
        return index - start
    }

    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}
