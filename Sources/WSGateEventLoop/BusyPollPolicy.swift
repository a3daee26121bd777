/// Decides when an idle event loop polls `epoll_wait` without blocking for a short window
/// instead of going to sleep at once.
///
/// Why it exists: a thread asleep in `epoll_wait` is expensive to wake, most of all on a
/// virtual machine, where its idle vCPU has halted and the hypervisor has to resume it: on the
/// 2-core VM the benchmarks run on, that costs tens of microseconds, more than the gateway's own
/// work for a message. A message through a program is two such waits in a row (the client's
/// message, then the program's reply a few microseconds later). Polling for a window after each
/// busy tick catches that next event with no wake-up at all.
///
/// Polling only pays when the next event usually comes within the window, so the policy scores
/// the idle gaps it sees, polled or slept through: a gap inside the window counts up, a longer
/// one (a poll that ran out) counts down four times as much, and the loop polls only while the
/// score says that at least four gaps in five were short. A chat that sends a message a second
/// never polls; a busy pipeline polls all the time. While polling, the loop yields the CPU after
/// every empty poll, so a program or client that is ready to run is never kept waiting by it.
///
/// A value type with no clock of its own: the loop passes the times in, so it is tested with
/// plain numbers.
public struct BusyPollPolicy: Sendable, Equatable {
    /// How long to keep polling after the last event; 0 turns polling off.
    public let windowNanoseconds: Int64
    /// Recent gaps: +1 for one within the window, -4 for one beyond it; 0...maximumScore.
    public private(set) var score = 0
    /// Polling is allowed until this instant (the last event plus the window).
    private var pollingUntil: Int64 = 0

    /// The score from which the loop polls: reached after eight short gaps in a row, and left
    /// again after a single long gap unless more short ones came first.
    public static let pollingScore = 8
    /// Upper bound of the score, so a long busy phase is forgotten after a few long gaps.
    public static let maximumScore = 16
    static let shortGapCredit = 1
    static let longGapPenalty = 4

    /// How the loop waited in one tick.
    public enum Wait: Sendable, Equatable {
        /// Blocked (a timeout above 0): the gap until the next event is measured.
        case blocking
        /// Polled because this policy said so.
        case polling
        /// Did not wait for another reason (work already queued): tells nothing about gaps.
        case immediate
    }

    /// What the loop does after a wait.
    public enum Advice: Sendable, Equatable {
        /// Nothing: go on.
        case proceed
        /// The poll found nothing and the window is still open: give the CPU to anyone ready
        /// to run, then poll again.
        case yield
    }

    /// `windowMicroseconds` 0 (or less) turns polling off.
    public init(windowMicroseconds: Int) {
        windowNanoseconds = Int64(Swift.max(windowMicroseconds, 0)) * 1000
    }

    /// Whether the loop, about to block at `now`, should poll instead.
    public func shouldPoll(at now: Int64) -> Bool {
        windowNanoseconds > 0 && score >= Self.pollingScore && now < pollingUntil
    }

    /// Records a wait that started at `start`, ended at `end` and found events or not.
    public mutating func record(_ wait: Wait, foundEvents: Bool, start: Int64, end: Int64) -> Advice {
        guard windowNanoseconds > 0 else { return .proceed }
        defer { if foundEvents { pollingUntil = end + windowNanoseconds } }
        switch wait {
        case .immediate:
            return .proceed
        case .blocking:
            // A timer firing is not a gap; an event is, and its length says what polling
            // would have done.
            guard foundEvents else { return .proceed }
            countGap(short: end - start <= windowNanoseconds)
            return .proceed
        case .polling:
            if foundEvents {
                countGap(short: true)
                return .proceed
            }
            if end >= pollingUntil {
                countGap(short: false)
                return .proceed
            }
            return .yield
        }
    }

    private mutating func countGap(short: Bool) {
        score = short
            ? Swift.min(score + Self.shortGapCredit, Self.maximumScore)
            : Swift.max(score - Self.longGapPenalty, 0)
    }
}
