/// How a flag takes its value, which decides how the parser reads the command line.
///
/// Why it exists: under Go `flag` rules a boolean never consumes the next word (`--binary false`
/// makes `false` the COMMAND) while every other flag does, even a word starting with `-`.
/// It describes syntax only; what the value means lives in the flag's table row.
public enum FlagKind: Sendable, Equatable {
    /// `--flag` (true) or `--flag=VALUE` with a Go boolean spelling.
    case bool
    /// An integer in Go syntax (`0x1F90`, `010` is octal) within `range`.
    case int(ClosedRange<Int>)
    /// One string; given twice, the last wins (Go).
    case string
    /// A string that may be given many times; every occurrence is kept, in order.
    case repeatableString

    /// Whether the flag needs a value (from `=VALUE` or the next word).
    public var takesValue: Bool {
        self != .bool
    }
}
