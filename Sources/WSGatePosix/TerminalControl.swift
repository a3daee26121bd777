import CWSGateLinux

/// Calls on a `--pty` program's terminal from the gateway's side.
///
/// Why it exists: ioctl is variadic, which Swift cannot call; the C shim does, and this is
/// its one Swift face.
public enum TerminalControl {
    /// TIOCSWINSZ on the master `fd`; 0 or an errno.
    public static func setWindowSize(_ fd: Int32, columns: UInt16, rows: UInt16) -> Int32 {
        CWSGateLinux_set_window_size(fd, columns, rows)
    }
}
