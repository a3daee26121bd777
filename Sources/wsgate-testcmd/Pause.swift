import Glibc

/// Sleeping without a runtime: the modes that wait are plain single-threaded programs.
///
/// It exists so signal handlers that return (the `signals` mode) do not cut sleeps short, and so
/// "sleep until killed" is one call that cannot return.
enum Pause {
    /// Sleeps `milliseconds`, resuming after signal handlers until the full time has passed.
    static func milliseconds(_ milliseconds: Int) {
        var request = timespec(tv_sec: milliseconds / 1000, tv_nsec: (milliseconds % 1000) * 1_000_000)
        var remaining = timespec()
        while nanosleep(&request, &remaining) != 0 && errno == EINTR {
            request = remaining
        }
    }

    /// Sleeps until a signal ends the process.
    static func forever() -> Never {
        while true {
            _ = pause()
        }
    }
}
