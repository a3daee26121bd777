import CWSGateLinux
import Glibc

extension ProcessSignals {
    /// Runs `body` with every signal blocked in the calling thread, then restores its mask.
    /// A thread started inside inherits the full mask, so no signal meant for the signalfd can
    /// reach it between its start and its first instruction.
    public static func withAllBlocked<Result, Failure: Error>(_ body: () throws(Failure) -> Result) throws(Failure) -> Result {
        var all = sigset_t()
        var previous = sigset_t()
        CWSGateLinux_sigfillset(&all)
        pthread_sigmask(SIG_SETMASK, &all, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        return try body()
    }
}
