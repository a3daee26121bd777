/// A script that starts a program with some signals ignored, as a non-interactive shell does
/// with SIGINT and SIGQUIT for `cmd &`.
///
/// Why it exists: tests of inherited dispositions need the real binary started the way a
/// user's script starts it; `ChildProcess` resets every signal to its default. The script
/// `exec`s the program, so it keeps the script's pid and the ignored dispositions.
public enum SignalIgnoringLauncher {
    /// Writes a script that ignores `signals` (shell names: `INT`, `QUIT`) and execs
    /// `executable` with the script's arguments; returns its path (the caller removes it).
    public static func script(for executable: String, ignoring signals: [String]) throws -> String {
        let path = TemporaryFiles.path("ignoring-" + signals.joined(separator: "-"), suffix: ".sh")
        try TemporaryFiles.write("#!/bin/sh\ntrap '' \(signals.joined(separator: " "))\nexec '\(executable)' \"$@\"\n",
                                 to: path, mode: 0o755)
        return path
    }
}
