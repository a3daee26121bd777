/// Decodes the backslash escapes of the `printf` mode: \n \r \t \0 \\ and \xHH (two hex digits).
///
/// It exists so tests can ask for exact bytes (invalid UTF-8, NUL, bare "\r") through an argv,
/// which cannot hold some of them. Anything else after a backslash is an error, never guessed.
enum EscapeDecoder {
    /// Why an escaped argument could not be decoded.
    struct Failure: Error {
        let message: String
    }

    /// The bytes `escaped` stands for.
    static func decode(_ escaped: [UInt8]) throws(Failure) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(escaped.count)
        var index = 0
        while index < escaped.count {
            let byte = escaped[index]
            index += 1
            guard byte == UInt8(ascii: "\\") else {
                bytes.append(byte)
                continue
            }
            guard index < escaped.count else {
                throw Failure(message: "a lone backslash ends the argument")
            }
            let letter = escaped[index]
            index += 1
            switch letter {
            case UInt8(ascii: "n"): bytes.append(0x0A)
            case UInt8(ascii: "r"): bytes.append(0x0D)
            case UInt8(ascii: "t"): bytes.append(0x09)
            case UInt8(ascii: "0"): bytes.append(0x00)
            case UInt8(ascii: "\\"): bytes.append(UInt8(ascii: "\\"))
            case UInt8(ascii: "x"):
                guard index + 1 < escaped.count,
                      let high = hexValue(escaped[index]), let low = hexValue(escaped[index + 1]) else {
                    throw Failure(message: "\\x needs two hex digits")
                }
                bytes.append(high << 4 | low)
                index += 2
            default:
                throw Failure(message: "unknown escape \\\(Character(Unicode.Scalar(letter)))")
            }
        }
        return bytes
    }

    /// The value of one hex digit, or nil.
    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
