/// Go's `strconv.ParseBool` and `strconv.ParseInt(s, 0, 64)`, which websocketd's flags use.
///
/// Why it exists: a websocketd command line must be accepted or refused exactly as websocketd
/// does, and Go's integer syntax is unusual: base prefixes `0x` `0o` `0b`, a bare leading `0`
/// meaning octal (`--port=010` is 8, `--port=08080` is refused), `_` digit separators, a sign.
/// It only reads syntax; ranges are the flag table's business.
enum GoValueSyntax {
    /// The outcome of reading an integer the way Go's `flag.Int` does.
    enum IntegerReading: Equatable {
        case value(Int)
        /// Go's `strconv.ErrSyntax`, reported by `flag` as "parse error".
        case malformed
        /// Go's `strconv.ErrRange`, reported by `flag` as "value out of range".
        case outOfRange
    }

    /// Go's `flag` wording for `IntegerReading.malformed`.
    static let parseError = "parse error"
    /// Go's `flag` wording for `IntegerReading.outOfRange` (also used for wsgate's own ranges).
    static let rangeError = "value out of range"

    /// `strconv.ParseBool`: exactly these twelve spellings.
    static func parseBool(_ text: String) -> Bool? {
        switch text {
        case "1", "t", "T", "TRUE", "true", "True": true
        case "0", "f", "F", "FALSE", "false", "False": false
        default: nil
        }
    }

    /// `strconv.ParseInt(text, 0, 64)`.
    static func parseInt(_ text: String) -> IntegerReading {
        var digits = Substring(text).utf8[...]
        var negative = false
        if let sign = digits.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            digits = digits.dropFirst()
        }
        let magnitude: UInt64
        switch parseUnsigned(Array(digits)) {
        case .malformed: return .malformed
        case .outOfRange: return .outOfRange
        case .magnitude(let value): magnitude = value
        }
        let limit = UInt64(Int64.max)
        if negative {
            guard magnitude <= limit + 1 else { return .outOfRange }
            return magnitude == limit + 1 ? .value(Int(Int64.min)) : .value(-Int(magnitude))
        }
        guard magnitude <= limit else { return .outOfRange }
        return .value(Int(magnitude))
    }

    private enum UnsignedReading {
        case magnitude(UInt64)
        case malformed
        case outOfRange
    }

    /// `strconv.ParseUint(bytes, 0, 64)` on the text after the sign.
    private static func parseUnsigned(_ bytes: [UInt8]) -> UnsignedReading {
        guard let first = bytes.first else { return .malformed }
        var base: UInt64 = 10
        var index = 0
        if first == UInt8(ascii: "0") {
            let prefix = bytes.count >= 3 ? lowercased(bytes[1]) : 0
            switch prefix {
            case UInt8(ascii: "b"): base = 2; index = 2
            case UInt8(ascii: "o"): base = 8; index = 2
            case UInt8(ascii: "x"): base = 16; index = 2
            default: base = 8; index = 1
            }
        }
        let cutoff = UInt64.max / base + 1
        var value: UInt64 = 0
        var sawUnderscore = false
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: "_") {
                sawUnderscore = true
                continue
            }
            guard let digit = digitValue(byte), digit < base else { return .malformed }
            // Go returns the range error as soon as the value overflows, before later bytes.
            if value >= cutoff { return .outOfRange }
            value *= base
            let (sum, overflow) = value.addingReportingOverflow(digit)
            if overflow { return .outOfRange }
            value = sum
        }
        if sawUnderscore && !underscoresAllowed(bytes) { return .malformed }
        return .magnitude(value)
    }

    /// Go's `underscoreOK`: `_` only between digits, or between a base prefix and a digit.
    private static func underscoresAllowed(_ bytes: [UInt8]) -> Bool {
        enum Last { case start, digit, underscore, other }
        var last = Last.start
        var index = 0
        var hex = false
        if bytes.count >= 2, bytes[0] == UInt8(ascii: "0") {
            let marker = lowercased(bytes[1])
            if marker == UInt8(ascii: "b") || marker == UInt8(ascii: "o") || marker == UInt8(ascii: "x") {
                index = 2
                last = .digit
                hex = marker == UInt8(ascii: "x")
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            let lower = lowercased(byte)
            let isDecimal = byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
            if isDecimal || (hex && lower >= UInt8(ascii: "a") && lower <= UInt8(ascii: "f")) {
                last = .digit
                continue
            }
            if byte == UInt8(ascii: "_") {
                guard last == .digit else { return false }
                last = .underscore
                continue
            }
            if last == .underscore { return false }
            last = .other
        }
        return last != .underscore
    }

    private static func digitValue(_ byte: UInt8) -> UInt64? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt64(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt64(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt64(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte | 0x20
    }
}
