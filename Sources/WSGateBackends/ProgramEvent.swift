/// A step in a program's life, reported for `--loglevel=debug` (websocketd's `process` lines:
/// `Process STDOUT closed`, `Process 42 terminated after SIGINT` …).
///
/// Why it exists: the log belongs to the server layer, while only `ProgramProcess` sees its
/// pipes close and knows which step of the kill sequence came before the exit.
public enum ProgramEvent: Equatable, Sendable {
    case stdoutClosed
    case stderrClosed
    /// The program was reaped; `after` is the last kill-sequence step carried out before, nil
    /// when it ended on its own (websocketd says "after stdin was closed" then too: it always
    /// closes stdin before it waits).
    case exited(after: TeardownPlan.Action?)
}
