import CWSGateLinux

extension ProcessSignals {
    /// `true` when `signal` is ignored (`SIG_IGN`) in this process: set so by whoever started
    /// it, as a shell does with SIGINT and SIGQUIT for `cmd &` in a script, or `nohup` with SIGHUP.
    public static func isIgnored(_ signal: Signal) -> Bool {
        guard (1...64).contains(signal.rawValue) else { return false }
        return CWSGateLinux_ignored_signals() & (1 << UInt64(signal.rawValue - 1)) != 0
    }
}
