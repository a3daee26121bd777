import WSGateConfig
import WSGateCore
import WSGateLimits
import WSGatePosix

/// `--max-per-ip` and `--rate` for the whole gateway: one `PerClientLimiter` behind a lock
/// (`LockedValue`: a pthread mutex, which ThreadSanitizer sees, unlike the standard library's).
///
/// Why it exists: a client's connections land on any loop (`--threads`), so the counts must
/// be shared for the limit to hold; the table is small work per handshake, so one lock is
/// cheap enough, and only upgrades take it (none at all when both flags are off: there is
/// then no limiter). The clock is read under the lock, so the pure limiter sees time move
/// forward even when loops call it in turn.
final class ClientLimiter: Sendable {
    let limits: PerClientLimits
    /// `--max-per-ip` and `--rate` as written, for log lines.
    let maxOpenText: String
    let rateText: String
    private let state: LockedValue<PerClientLimiter>

    /// nil when neither limit is set.
    init?(config: GatewayConfig) {
        guard config.maxPerIP != nil || config.rate != nil else { return nil }
        let rate = config.rate.map { (interval: $0.intervalNanoseconds, burst: config.rateBurst ?? $0.count) }
        limits = PerClientLimits(maxOpen: config.maxPerIP, rate: rate)
        maxOpenText = config.maxPerIP.map { "--max-per-ip=\($0)" } ?? ""
        rateText = config.rate.map { "--rate=\($0), burst \(rate?.burst ?? 0)" } ?? ""
        state = LockedValue(PerClientLimiter(limits: limits))
    }

    /// Admits a handshake from `key`; on `.admitted` the caller holds a `ClientLease`.
    func admit(_ key: ClientKey) -> PerClientAdmission {
        state.withLock { $0.admit(key, now: SystemClock.monotonicNow()) }
    }

    /// Ends one admitted session of `key` (through `ClientLease` only).
    func release(_ key: ClientKey) {
        state.withLock { $0.release(key, now: SystemClock.monotonicNow()) }
    }

    /// Forgets idle clients (a timer on loop 0 calls it).
    func sweep() {
        state.withLock { $0.sweep(now: SystemClock.monotonicNow()) }
    }

    /// How often `sweep` runs.
    static let sweepIntervalMs = 30_000
}
