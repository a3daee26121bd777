/// The pseudo-terminal a `--pty` program gets.
///
/// Why it exists: the two uses of `--pty` want different terminals. Streaming a plain program
/// wants a raw one (no echo, no line editing, no `\r\n` added: output as the program wrote it,
/// only unbuffered because stdout is a terminal); a shell in a browser wants the usual cooked,
/// echoing one, with stderr (where shells write their prompt) on the terminal too.
public struct TerminalSettings: Sendable, Equatable {
    public var columns: UInt16
    public var rows: UInt16
    /// cfmakeraw: no echo, no canonical input, no signal characters, no output processing.
    public var raw: Bool
    /// stderr goes to the terminal as well (else to its own pipe, logged as without `--pty`).
    public var stderrOnTerminal: Bool

    public init(columns: UInt16, rows: UInt16, raw: Bool, stderrOnTerminal: Bool) {
        self.columns = columns
        self.rows = rows
        self.raw = raw
        self.stderrOnTerminal = stderrOnTerminal
    }
}
