import CWSGateLinux
import Glibc

/// How a child ended, as `waitpid` reported it.
public enum ProcessTermination: Equatable, Sendable, CustomStringConvertible {
    case exited(Int32)
    case signaled(Int32)

    /// Exit status 0.
    public var isSuccess: Bool { self == .exited(0) }

    /// `exit status 3` or `signal 9`: the close reason a client sees and the log shows.
    public var description: String {
        switch self {
        case .exited(let status): return "exit status \(status)"
        case .signaled(let signal): return "signal \(signal)"
        }
    }
}

/// Signals and reaping for the gateway's children.
///
/// Why it exists: the kill sequence is sent to a whole process group (so grandchildren go
/// too), and every child must be reaped or it stays a zombie; these are the only calls that do
/// either.
public enum ProcessControl {
    /// Sends `signal` to every process in group `group`. Returns false when the group has no
    /// process left (ESRCH), so the caller can stop escalating.
    @discardableResult
    public static func signalGroup(_ group: Int32, _ signal: Signal) -> Bool {
        precondition(group > 1, "refusing to signal process group \(group)")
        return kill(-group, signal.rawValue) == 0 || errno != ESRCH
    }

    /// A terminal's hang-up, as when a terminal window closes: SIGHUP, then SIGCONT so a
    /// stopped job sees it, to every process group of the session `leader` leads (the
    /// foreground job and the background ones alike).
    public static func hangUp(session leader: Int32) {
        signalSession(leader, .hangup)
        signalSession(leader, Signal(rawValue: SIGCONT))
    }

    /// Sends `signal` to every process group of the session `leader` leads; false when no
    /// process of it is left.
    @discardableResult
    public static func signalSession(_ leader: Int32, _ signal: Signal) -> Bool {
        var reached = false
        for group in ProcessSession.groups(in: leader) where group > 1 {
            reached = signalGroup(group, signal) || reached
        }
        return reached
    }

    /// `true` while any process of the session `leader` leads exists (zombies included).
    public static func sessionExists(_ leader: Int32) -> Bool {
        groupExists(leader) || !ProcessSession.groups(in: leader).isEmpty
    }

    /// `true` while any process of `group` exists (zombies included).
    public static func groupExists(_ group: Int32) -> Bool {
        precondition(group > 1, "refusing to probe process group \(group)")
        return kill(-group, 0) == 0 || errno != ESRCH
    }

    /// Reaps one exited child, if any (non-blocking).
    public static func reapAny() -> (pid: Int32, termination: ProcessTermination)? {
        reap(-1)
    }

    /// Reaps `pid` if it has exited (it stays a zombie otherwise); nil if it has not.
    public static func reap(_ pid: Int32) -> (pid: Int32, termination: ProcessTermination)? {
        var status: Int32 = 0
        let pid = waitpid(pid, &status, WNOHANG)
        guard pid > 0 else { return nil }
        if CWSGateLinux_WIFEXITED(status) != 0 {
            return (pid, .exited(CWSGateLinux_WEXITSTATUS(status)))
        }
        return (pid, .signaled(CWSGateLinux_WTERMSIG(status)))
    }
}
