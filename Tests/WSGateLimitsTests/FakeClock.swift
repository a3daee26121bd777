import WSGateCore

/// Instants made up from milliseconds, for tests that step time by hand.
func at(milliseconds: Int64) -> Instant { Instant(nanoseconds: milliseconds * 1_000_000) }
