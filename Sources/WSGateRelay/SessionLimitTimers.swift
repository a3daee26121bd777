import WSGateCore
import WSGateEventLoop

/// The `--max-session` and `--idle-timeout` timers of one session: at most two timers,
/// whatever the traffic.
///
/// Why it exists: moving an idle deadline on every message would touch the timer queue per
/// message. Instead a message only stores the instant (`recordActivity`), and the idle timer,
/// when it fires, re-arms itself for the rest of the interval if there was activity since.
/// The session reports activity and carries out the close; this type only decides when.
///
/// - Warning: loop-confined.
final class SessionLimitTimers {
    private let loop: EventLoop
    private let maxSessionMs: Int?
    private let idleTimeoutMs: Int?
    private let onLimit: (SessionLimit) -> Void
    private var sessionTimer: TimerID?
    private var idleTimer: TimerID?
    private var lastActivity: Instant

    /// nil when neither limit is set (a session then pays nothing for them).
    init?(loop: EventLoop, maxSessionMs: Int?, idleTimeoutMs: Int?, onLimit: @escaping (SessionLimit) -> Void) {
        guard maxSessionMs != nil || idleTimeoutMs != nil else { return nil }
        self.loop = loop
        self.maxSessionMs = maxSessionMs
        self.idleTimeoutMs = idleTimeoutMs
        self.onLimit = onLimit
        lastActivity = loop.now
    }

    /// Arms the timers; the session and the idle interval start now.
    func start() {
        lastActivity = loop.now
        if let maxSessionMs {
            sessionTimer = loop.scheduleTimer(afterMilliseconds: maxSessionMs) { [weak self] in
                guard let self else { return }
                self.sessionTimer = nil
                self.cancel()
                self.onLimit(.sessionTime(milliseconds: maxSessionMs))
            }
        }
        if let idleTimeoutMs { armIdleTimer(afterMilliseconds: idleTimeoutMs) }
    }

    /// A data message went one way or the other (a plain store: no timer is touched).
    func recordActivity() {
        lastActivity = loop.now
    }

    /// Stops both timers (the session is closing or closed).
    func cancel() {
        if let sessionTimer { loop.cancelTimer(sessionTimer) }
        if let idleTimer { loop.cancelTimer(idleTimer) }
        sessionTimer = nil
        idleTimer = nil
    }

    private func armIdleTimer(afterMilliseconds milliseconds: Int) {
        idleTimer = loop.scheduleTimer(afterMilliseconds: milliseconds) { [weak self] in
            guard let self, let timeout = self.idleTimeoutMs else { return }
            self.idleTimer = nil
            let idle = self.lastActivity.milliseconds(until: self.loop.now)
            if idle < Int64(timeout) {
                self.armIdleTimer(afterMilliseconds: timeout - Int(idle))
                return
            }
            self.cancel()
            self.onLimit(.idle(milliseconds: timeout))
        }
    }
}

@available(*, unavailable)
extension SessionLimitTimers: Sendable {}
