/// Writes JSON text (RFC 8259) into a byte array, always on one line.
///
/// Why it exists: the room protocol writes one JSON object per line to the backend, so a
/// string must never put a raw newline (or any control character) into the output. Strings
/// get the escapes RFC 8259 §7 requires: `\"`, `\\`, the short forms `\b \f \n \r \t`, and
/// `\u00XX` for the other bytes below 0x20; everything else is copied as UTF-8. No whitespace
/// is written between tokens. Raw bytes given as a string (`writeString(utf8:)`) that are
/// not well-formed UTF-8 become U+FFFD, one per bad byte, so the output is always valid JSON.
public struct JSONWriter: Sendable {
    /// What has been written so far.
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// Appends `value`.
    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: writeRaw("null")
        case .bool(let flag): writeRaw(flag ? "true" : "false")
        case .number(let number): writeNumber(number)
        case .string(let text): writeString(text)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let object):
            bytes.append(UInt8(ascii: "{"))
            for (position, member) in object.members.enumerated() {
                if position > 0 { bytes.append(UInt8(ascii: ",")) }
                writeString(member.key)
                bytes.append(UInt8(ascii: ":"))
                write(member.value)
            }
            bytes.append(UInt8(ascii: "}"))
        }
    }

    /// Appends ASCII text as is: punctuation, literals, pre-escaped keys such as `{"event":`.
    public mutating func writeRaw(_ text: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    public mutating func writeNumber(_ number: JSONNumber) {
        bytes.append(contentsOf: number.text.utf8)
    }

    /// Appends an unsigned integer in decimal.
    public mutating func writeInteger(_ value: UInt64) {
        if value >= 10 { writeInteger(value / 10) }
        bytes.append(UInt8(ascii: "0") + UInt8(value % 10))
    }

    /// Appends `text` as a quoted, escaped JSON string.
    public mutating func writeString(_ text: String) {
        var text = text
        text.withUTF8 { writeEscaped(UnsafeRawBufferPointer($0)) }
    }

    /// Appends bytes meant as UTF-8 text as a quoted, escaped JSON string (ill-formed bytes
    /// become U+FFFD).
    public mutating func writeString(utf8 text: some Collection<UInt8>) {
        if text.withContiguousStorageIfAvailable({ writeEscaped(UnsafeRawBufferPointer($0)) }) == nil {
            Array(text).withUnsafeBytes { writeEscaped($0) }
        }
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func writeEscaped(_ text: UnsafeRawBufferPointer) {
        bytes.reserveCapacity(bytes.count + text.count + 2)
        bytes.append(UInt8(ascii: "\""))
        var index = 0
        var runStart = 0  // bytes copied unchanged go in runs
        while index < text.count {
            let byte = text[index]
            if byte >= 0x20 && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\") && byte < 0x80 {
                index += 1
                continue
            }
            if byte >= 0x80, let length = UTF8Sequence.length(in: text, at: index) {
                index += length
                continue
            }
            bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[runStart ..< index]))
            if byte >= 0x80 {
                bytes.append(contentsOf: [0xEF, 0xBF, 0xBD] as [UInt8])  // U+FFFD for an ill-formed byte
            } else {
                appendEscape(byte)
            }
            index += 1
            runStart = index
        }
        bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: text[runStart ..< index]))
        bytes.append(UInt8(ascii: "\""))
    }

    /// The escape of a quote, a backslash or a control character.
    private mutating func appendEscape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            bytes.append(UInt8(ascii: "u")); bytes.append(UInt8(ascii: "0")); bytes.append(UInt8(ascii: "0"))
            bytes.append(Self.hexDigits[Int(byte >> 4)]); bytes.append(Self.hexDigits[Int(byte & 0xF)])
        }
    }
}

extension JSONValue {
    /// This value as one line of JSON text (no trailing newline).
    public var jsonText: [UInt8] {
        var writer = JSONWriter()
        writer.write(self)
        return writer.bytes
    }
}
