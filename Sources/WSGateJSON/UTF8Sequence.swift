/// UTF-8 sequences one at a time: the length of a well-formed one, and encoding a scalar.
///
/// Why it exists: the reader checks string bytes as it scans them (to report the exact offset
/// of a bad byte) and the writer must never emit ill-formed UTF-8; both need Unicode's
/// Table 3-7 ranges (no overlongs, no surrogates, nothing above U+10FFFF).
enum UTF8Sequence {
    /// The length (2…4) of the well-formed sequence whose lead byte (≥ 0x80) is at `index`,
    /// or nil when none starts there or the input ends inside it.
    static func length(in bytes: UnsafeRawBufferPointer, at index: Int) -> Int? {
        let lead = bytes[index]
        let length: Int
        var lower: UInt8 = 0x80, upper: UInt8 = 0xBF
        switch lead {
        case 0xC2 ... 0xDF: length = 2
        case 0xE0: length = 3; lower = 0xA0  // E0 80..9F: overlong
        case 0xE1 ... 0xEC, 0xEE ... 0xEF: length = 3
        case 0xED: length = 3; upper = 0x9F  // ED A0..BF: surrogates
        case 0xF0: length = 4; lower = 0x90  // F0 80..8F: overlong
        case 0xF1 ... 0xF3: length = 4
        case 0xF4: length = 4; upper = 0x8F  // F4 90..: above U+10FFFF
        default: return nil
        }
        guard index + length <= bytes.count else { return nil }
        let second = bytes[index + 1]
        guard second >= lower && second <= upper else { return nil }
        for offset in 2 ..< length where bytes[index + offset] & 0xC0 != 0x80 { return nil }
        return length
    }

    /// Appends the UTF-8 encoding of `scalar` (a valid scalar value, not a surrogate).
    static func append(_ scalar: UInt32, to out: inout [UInt8]) {
        switch scalar {
        case 0 ..< 0x80:
            out.append(UInt8(scalar))
        case 0x80 ..< 0x800:
            out.append(0xC0 | UInt8(scalar >> 6))
            out.append(0x80 | UInt8(scalar & 0x3F))
        case 0x800 ..< 0x10000:
            out.append(0xE0 | UInt8(scalar >> 12))
            out.append(0x80 | UInt8(scalar >> 6 & 0x3F))
            out.append(0x80 | UInt8(scalar & 0x3F))
        default:
            out.append(0xF0 | UInt8(scalar >> 18))
            out.append(0x80 | UInt8(scalar >> 12 & 0x3F))
            out.append(0x80 | UInt8(scalar >> 6 & 0x3F))
            out.append(0x80 | UInt8(scalar & 0x3F))
        }
    }
}
