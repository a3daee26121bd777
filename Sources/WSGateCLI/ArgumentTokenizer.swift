/// Splits one command-line word into an `ArgumentToken` by Go `flag` package rules.
///
/// Why it exists: websocketd parses with Go's `flag`, so a drop-in replacement must classify
/// words exactly as `flag.FlagSet.parseOne` does: a word shorter than two bytes or not starting
/// with `-` is not a flag; `--` alone ends the flags; one or two dashes are equivalent; a name
/// that is empty or starts with `-` or `=` is "bad flag syntax"; the value follows the first `=`
/// after the name's first byte. It must not consult the flag table.
enum ArgumentTokenizer {
    static func classify(_ word: String) throws(CLIError) -> ArgumentToken {
        let bytes = Array(word.utf8)
        let dash = UInt8(ascii: "-")
        guard bytes.count >= 2, bytes[0] == dash else { return .operand }
        var dashes = 1
        if bytes[1] == dash {
            dashes = 2
            if bytes.count == 2 { return .endOfFlags }
        }
        let name = bytes[dashes...]
        guard let first = name.first, first != dash, first != UInt8(ascii: "=") else {
            throw .badFlagSyntax(word: word)
        }
        // Go searches for `=` from the name's second byte: the first cannot be `=` here anyway.
        guard let equals = name.dropFirst().firstIndex(of: UInt8(ascii: "=")) else {
            return .flag(name: String(decoding: name, as: UTF8.self), inlineValue: nil)
        }
        return .flag(
            name: String(decoding: name[..<equals], as: UTF8.self),
            inlineValue: String(decoding: name[(equals + 1)...], as: UTF8.self)
        )
    }
}
