/// Strings: escapes, surrogate pairs, UTF-8 validation (RFC 8259 §7 and §8).
extension JSONScanner {
    /// The string starting at the current `"`, decoded; the position moves past its closing `"`.
    mutating func readString() throws(JSONParseError) -> String {
        index += 1  // opening quote
        var decoded: [UInt8] = []  // used only once an escape is met
        var runStart = index
        var escaped = false
        while true {
            guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                let run = UnsafeRawBufferPointer(rebasing: bytes[runStart ..< index])
                index += 1
                if !escaped { return String(decoding: run, as: UTF8.self) }
                decoded.append(contentsOf: run)
                return String(decoding: decoded, as: UTF8.self)
            case UInt8(ascii: "\\"):
                if !escaped {
                    escaped = true
                    decoded.reserveCapacity(index - runStart + 16)
                }
                decoded.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[runStart ..< index]))
                try readEscape(into: &decoded)
                runStart = index
            case 0x00 ..< 0x20:
                throw JSONParseError(.controlCharacterInString, at: index)
            case 0x20 ..< 0x80:
                index += 1
            default:
                guard let length = UTF8Sequence.length(in: bytes, at: index) else {
                    throw JSONParseError(.invalidUTF8, at: index)
                }
                index += length
            }
        }
    }

    /// One escape at the current backslash, appended to `out` as UTF-8.
    private mutating func readEscape(into out: inout [UInt8]) throws(JSONParseError) {
        let start = index
        index += 1
        guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
        let letter = bytes[index]
        index += 1
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(letter)
        case UInt8(ascii: "b"): out.append(0x08)
        case UInt8(ascii: "f"): out.append(0x0C)
        case UInt8(ascii: "n"): out.append(0x0A)
        case UInt8(ascii: "r"): out.append(0x0D)
        case UInt8(ascii: "t"): out.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try readHexQuad()
            var scalar = UInt32(unit)
            if unit >= 0xDC00 && unit <= 0xDFFF { throw JSONParseError(.loneSurrogate, at: start) }
            if unit >= 0xD800 && unit <= 0xDBFF {
                // A high surrogate must be followed at once by an escaped low one.
                guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
                guard bytes[index] == UInt8(ascii: "\\") else { throw JSONParseError(.loneSurrogate, at: start) }
                guard index + 1 < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index + 1) }
                guard bytes[index + 1] == UInt8(ascii: "u") else { throw JSONParseError(.loneSurrogate, at: start) }
                index += 2
                let low = try readHexQuad()
                guard low >= 0xDC00 && low <= 0xDFFF else { throw JSONParseError(.loneSurrogate, at: start) }
                scalar = 0x10000 + (UInt32(unit - 0xD800) << 10) + UInt32(low - 0xDC00)
            }
            UTF8Sequence.append(scalar, to: &out)
        default:
            throw JSONParseError(.invalidEscape, at: start)
        }
    }

    /// Four hex digits after `\u`, as a UTF-16 code unit.
    private mutating func readHexQuad() throws(JSONParseError) -> UInt16 {
        var unit: UInt16 = 0
        for _ in 0 ..< 4 {
            guard index < bytes.count else { throw JSONParseError(.unexpectedEnd, at: index) }
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0") ... UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a") ... UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A") ... UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw JSONParseError(.invalidUnicodeEscape, at: index)
            }
            unit = unit << 4 | UInt16(digit)
            index += 1
        }
        return unit
    }
}
