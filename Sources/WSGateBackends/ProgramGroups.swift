import WSGatePosix

/// The process group of every program that is not finished yet, across all loops.
///
/// Why it exists: a second SIGTERM makes the gateway exit at once, without waiting for the kill
/// sequences; a program that ignores SIGINT and SIGTERM would then outlive it. Before exiting,
/// the gateway SIGKILLs every group still listed here, and for a program on a terminal
/// (`--pty`) every group of the session it leads (a shell's background jobs). (A process that
/// left with `setsid` escapes this; the packaged unit's cgroup, `KillMode=control-group`,
/// covers it.)
public final class ProgramGroups: Sendable {
    /// Leader pid → whether it leads a whole session (a program on a terminal).
    private let groups = LockedValue([Int32: Bool]())

    public init() {}

    /// A program started in its own group `group` (its pid), leading a session of its own when
    /// `session`.
    func insert(_ group: Int32, session: Bool) {
        groups.withLock { $0[group] = session }
    }

    /// Nothing of `group` is left.
    func remove(_ group: Int32) {
        _ = groups.withLock { $0.removeValue(forKey: group) }
    }

    /// Groups still listed.
    public var count: Int { groups.withLock { $0.count } }

    /// Sends SIGKILL to every listed group, and to every group of a listed session (callable
    /// from any thread).
    public func killAll() {
        for (group, session) in groups.withLock({ $0 }) {
            _ = ProcessControl.signalGroup(group, .kill)
            if session { ProcessControl.signalSession(group, .kill) }
        }
    }
}
