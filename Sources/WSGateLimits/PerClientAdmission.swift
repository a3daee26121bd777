/// What `PerClientLimiter.admit` answers.
///
/// Why it exists: each refusal is answered differently (429 with or without `Retry-After`, or
/// 503 when the table is full) and counted apart in the metrics.
public enum PerClientAdmission: Sendable, Equatable {
    /// Counted as open: call `release` when the connection ends.
    case admitted
    /// The key already has `maxOpen` connections.
    case tooManyOpen
    /// The key's handshake rate is spent; `retryAfter` whole seconds, at least 1.
    case rateLimited(retryAfter: Int)
    /// The table holds `maxEntries` keys, each with an open connection.
    case tableFull
}
