/// Why a JSON text was refused, and the byte offset where the reader noticed.
///
/// Why it exists: a backend that writes a malformed line gets a log line that says what is
/// wrong and where (`description`), and the room goes on; nothing in the reader traps.
public struct JSONParseError: Error, Equatable, Sendable, CustomStringConvertible {
    public enum Reason: Equatable, Sendable {
        /// The input ended inside a value (or held no value at all).
        case unexpectedEnd
        /// A byte that cannot start or continue a value here (the byte is given).
        case unexpectedByte(UInt8)
        /// A value ended but bytes other than whitespace follow it.
        case trailingBytes
        /// Arrays and objects nested deeper than `JSONLimits.maxDepth`.
        case tooDeep
        /// The input is longer than `JSONLimits.maxBytes`.
        case tooLong
        /// A number longer than `JSONLimits.maxNumberBytes`.
        case numberTooLong
        /// A number that breaks RFC 8259 §6 (leading zero, `1.`, `1e`, `-`).
        case invalidNumber
        /// A backslash followed by something other than `"\/bfnrtu`.
        case invalidEscape
        /// `\u` not followed by four hex digits.
        case invalidUnicodeEscape
        /// A `\uD800`-`\uDFFF` escape that is not half of a high-then-low pair.
        case loneSurrogate
        /// A raw byte below 0x20 inside a string (RFC 8259 §7: it must be escaped).
        case controlCharacterInString
        /// Bytes inside a string that are not well-formed UTF-8 (RFC 8259 §8.1).
        case invalidUTF8
        /// A second member with the same name in one object.
        case duplicateKey
    }

    public let reason: Reason
    /// Offset of the offending byte from the start of the input.
    public let offset: Int

    public init(_ reason: Reason, at offset: Int) {
        self.reason = reason
        self.offset = offset
    }

    public var description: String {
        let what: String
        switch reason {
        case .unexpectedEnd: what = "unexpected end of input"
        case .unexpectedByte(let byte):
            what = byte >= 0x20 && byte < 0x7F
                ? "unexpected character '\(Character(Unicode.Scalar(byte)))'" : "unexpected byte 0x\(String(byte, radix: 16))"
        case .trailingBytes: what = "bytes after the value"
        case .tooDeep: what = "nested too deep"
        case .tooLong: what = "input too long"
        case .numberTooLong: what = "number too long"
        case .invalidNumber: what = "invalid number"
        case .invalidEscape: what = "invalid escape"
        case .invalidUnicodeEscape: what = "invalid \\u escape"
        case .loneSurrogate: what = "lone surrogate escape"
        case .controlCharacterInString: what = "unescaped control character in a string"
        case .invalidUTF8: what = "invalid UTF-8 in a string"
        case .duplicateKey: what = "duplicate object key"
        }
        return "\(what) at byte \(offset)"
    }
}

/// The bounds the reader enforces, so what one line costs is bounded by its length.
public struct JSONLimits: Sendable {
    /// Longest input accepted (the caller's line limit).
    public var maxBytes: Int
    /// Deepest nesting of arrays and objects (a top-level container is depth 1). The reader
    /// recurses once per level, so keep it in the tens or hundreds.
    public var maxDepth: Int
    /// Longest number text (RFC 8259 §9 lets a parser limit numbers).
    public var maxNumberBytes: Int

    public init(maxBytes: Int = 1 << 20, maxDepth: Int = 32, maxNumberBytes: Int = 128) {
        self.maxBytes = maxBytes
        self.maxDepth = maxDepth
        self.maxNumberBytes = maxNumberBytes
    }
}
