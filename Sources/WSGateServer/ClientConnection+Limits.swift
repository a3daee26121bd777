import WSGateConfig
import WSGateHTTP
import WSGateLimits

/// `--max-per-ip` and `--rate` at the upgrade: after the handshake checks, before the
/// `--maxforks` slot, so a refused client takes no slot and starts no program.
extension ClientConnection {
    /// Admits the client (keeping a `ClientLease` until the session ends), or answers 429 (503
    /// when the client table is full) with `Retry-After` and logs which limit refused whom;
    /// false when refused. The client is `remote`: the peer, or the client a trusted proxy
    /// named. A client that has no IP address (a `--unixsocket` peer, with no proxy naming
    /// one) is not limited: the socket's permissions already say who may connect.
    func admitClient(_ limiter: ClientLimiter) -> Bool {
        guard let address = IPAddress(remote) else { return true }
        let key = ClientKey(address)
        let refusal: ClientLimitRefusal
        let retryAfter: Int
        switch limiter.admit(key) {
        case .admitted:
            clientLease = ClientLease(limiter: limiter, key: key)
            return true
        case .tooManyOpen:
            // Nothing says when one of the client's sessions will end: ask for a second.
            (refusal, retryAfter) = (.maxPerIP, Self.maxPerIPRetryAfter)
            context.logger.log(.access, "session", fields, "Too many sessions from \(key) (\(limiter.maxOpenText)): 429")
        case .rateLimited(let seconds):
            (refusal, retryAfter) = (.rate, seconds)
            context.logger.log(.access, "session", fields,
                               "Too many handshakes from \(key) (\(limiter.rateText)): 429, retry after \(seconds) s")
        case .tableFull:
            (refusal, retryAfter) = (.tableFull, Self.maxPerIPRetryAfter)
            context.logger.log(.error, "session", fields,
                               "Client table full (\(limiter.limits.maxEntries) clients with sessions open), refused \(key): 503")
        }
        context.metrics.clientLimited(refusal)
        answer(refusal == .tableFull ? .serviceUnavailable : .tooManyRequests,
               extra: [("Retry-After", String(retryAfter))])
        return false
    }

    /// `Retry-After` for `--max-per-ip` and a full table, in seconds.
    static let maxPerIPRetryAfter = 1
}
