/// A command a `--binary --pty` client sends in a text message: `resize COLUMNS ROWS`
/// (e.g. `resize 120 40`, each 1 to 9999).
///
/// Why it exists: a browser terminal must tell the program its size, and that must never be
/// mistaken for typed input. Input comes in binary messages; a text message is a command, so
/// no byte sequence a user can type is one. (ttyd and gotty put a type byte before every
/// message instead; the opcode already is one.)
public enum TerminalCommand: Equatable, Sendable {
    case resize(columns: UInt16, rows: UInt16)

    /// The longest command kept; a longer text message is ignored.
    public static let maxBytes = 64

    /// The command `text` spells, or nil (ignored).
    public init?(_ text: [UInt8]) {
        let words = text.split(separator: UInt8(ascii: " "), omittingEmptySubsequences: false)
        guard words.count == 3, words[0].elementsEqual("resize".utf8),
              let columns = Self.dimension(words[1]), let rows = Self.dimension(words[2]) else { return nil }
        self = .resize(columns: columns, rows: rows)
    }

    private static func dimension(_ digits: ArraySlice<UInt8>) -> UInt16? {
        guard (1...4).contains(digits.count), digits.first != UInt8(ascii: "0"),
              digits.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else { return nil }
        return UInt16(digits.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) })
    }
}
