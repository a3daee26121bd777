/// The settings of `PerClientLimiter`: `--max-per-ip` and `--rate`.
///
/// Why it exists: both limits are optional and share one table, so they travel together.
public struct PerClientLimits: Sendable, Equatable {
    /// The most open connections per client key (`--max-per-ip`), nil for no limit.
    public var maxOpen: Int?
    /// Handshakes per client key: a token every `interval` nanoseconds, `burst` at once
    /// (`--rate`), nil for no limit.
    public var rate: (interval: Int64, burst: Int)? {
        get { rateInterval.map { ($0, rateBurst) } }
        set { rateInterval = newValue?.interval; rateBurst = newValue?.burst ?? 0 }
    }
    /// The most keys remembered (default 100,000): beyond it idle keys are forgotten, oldest
    /// refill first, and if every key has an open connection new keys are refused.
    public var maxEntries: Int

    private var rateInterval: Int64?
    private var rateBurst = 0

    public init(maxOpen: Int? = nil, rate: (interval: Int64, burst: Int)? = nil, maxEntries: Int = 100_000) {
        self.maxOpen = maxOpen
        self.maxEntries = max(1, maxEntries)
        self.rate = rate
    }
}
