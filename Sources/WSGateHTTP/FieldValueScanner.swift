/// A cursor over the bytes of one field value, for the small parsers of HTTP-dates, `Range`,
/// `Content-Range` and entity-tag lists.
///
/// Why it exists: those grammars (RFC 9110 §5.6.7, §8.8.3, §14) are built from the same few
/// pieces (fixed literals, runs of DIGIT, OWS, commas), and each piece must refuse rather than
/// trap on hostile input: an index past the end or a number past `Int.max` is a refusal (nil or
/// false), never a crash. Leading and trailing OWS of the whole value are dropped up front, as
/// field-value excludes them (RFC 9110 §5.5).
struct FieldValueScanner {
    private let bytes: [UInt8]
    private var position: Int
    private let end: Int

    /// A scanner over `text` without its leading and trailing SP and HTAB.
    init(_ text: String) {
        bytes = Array(text.utf8)
        var start = 0
        var end = bytes.count
        while start < end, HTTPGrammar.isWhitespace(bytes[start]) { start += 1 }
        while end > start, HTTPGrammar.isWhitespace(bytes[end - 1]) { end -= 1 }
        position = start
        self.end = end
    }

    /// Whether every byte has been consumed.
    var isAtEnd: Bool { position == end }

    /// The next byte, not consumed.
    func peek() -> UInt8? { position < end ? bytes[position] : nil }

    /// Consumes and returns the next byte.
    mutating func next() -> UInt8? {
        guard position < end else { return nil }
        defer { position += 1 }
        return bytes[position]
    }

    /// Consumes `byte` if it is next.
    mutating func skip(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        position += 1
        return true
    }

    /// Consumes `literal` (compared byte for byte, case-sensitively) if it is next.
    mutating func skip(_ literal: String) -> Bool {
        let count = literal.utf8.count
        guard end - position >= count, bytes[position..<position + count].elementsEqual(literal.utf8) else {
            return false
        }
        position += count
        return true
    }

    /// Consumes the first of `names` that comes next and returns its index, or nil.
    mutating func skipOne(of names: [String]) -> Int? {
        names.firstIndex { skip($0) }
    }

    /// Consumes the longest run of bytes satisfying `belongs` and returns it (maybe empty).
    mutating func take(while belongs: (UInt8) -> Bool) -> ArraySlice<UInt8> {
        let start = position
        while let byte = peek(), belongs(byte) { position += 1 }
        return bytes[start..<position]
    }

    /// Consumes `OWS = *( SP / HTAB )` (RFC 9110 §5.6.3).
    mutating func skipWhitespace() {
        while let byte = peek(), HTTPGrammar.isWhitespace(byte) { position += 1 }
    }

    /// Consumes exactly `count` DIGITs and returns their value; nil (consuming nothing) if fewer
    /// than `count` digits come next. `count` must be small enough for the value to fit an Int.
    mutating func digits(_ count: Int) -> Int? {
        guard end - position >= count else { return nil }
        var value = 0
        for byte in bytes[position..<position + count] {
            guard let digit = Self.digitValue(byte) else { return nil }
            value = value * 10 + digit
        }
        position += count
        return value
    }

    /// Consumes `1*DIGIT` and returns its value; nil if no digit comes next or the value exceeds
    /// `Int.max` (leading zeros are fine: `0007` is 7).
    mutating func number() -> Int? {
        guard let first = peek(), Self.digitValue(first) != nil else { return nil }
        var value = 0
        while let byte = peek(), let digit = Self.digitValue(byte) {
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(digit)
            guard !overflow1, !overflow2 else { return nil }
            value = sum
            position += 1
        }
        return value
    }

    /// `DIGIT = %x30-39` (RFC 5234 B.1) as its value.
    private static func digitValue(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }
}
