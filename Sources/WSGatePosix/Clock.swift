public import WSGateCore
import CWSGateLinux
import Glibc

/// Reading the system clocks.
///
/// Why it exists: the loop reads the monotonic clock once per tick and passes that `Instant` to
/// everything that keeps time, so state machines can be tested with a manual clock; logs need
/// the wall clock in the local time zone.
public enum SystemClock {
    /// Now, on the monotonic clock (immune to wall-clock jumps).
    public static func monotonicNow() -> Instant {
        var spec = timespec()
        clock_gettime(CLOCK_MONOTONIC, &spec)
        return Instant(nanoseconds: Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec))
    }

    /// Now, as nanoseconds since the Unix epoch (cheap: no time-zone work).
    public static func unixNanoseconds() -> Int64 {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        return Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec)
    }

    /// Now, as local civil time, for log lines.
    public static func wallNow() -> CivilTime {
        var spec = timespec()
        clock_gettime(CLOCK_REALTIME, &spec)
        var seconds = spec.tv_sec
        var parts = tm()
        localtime_r(&seconds, &parts)
        return CivilTime(
            year: Int(parts.tm_year) + 1900, month: Int(parts.tm_mon) + 1, day: Int(parts.tm_mday),
            weekday: Int(parts.tm_wday), hour: Int(parts.tm_hour), minute: Int(parts.tm_min),
            second: Int(parts.tm_sec), nanosecond: Int(spec.tv_nsec), utcOffsetSeconds: Int(parts.tm_gmtoff),
            unixNanoseconds: Int64(spec.tv_sec) * 1_000_000_000 + Int64(spec.tv_nsec))
    }
}
