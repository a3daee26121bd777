/// A key or password file that `--auth-token-key` / `--auth-basic` cannot use: one line naming
/// the file, for the start-up failure (exit 1) or a reload's log line.
struct AccessSetupError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) { self.description = description }
}
