import WSGatePosix

/// The process group of every program that is not finished yet, across all loops.
///
/// Why it exists: a second SIGTERM makes the gateway exit at once, without waiting for the kill
/// sequences; a program that ignores SIGINT and SIGTERM would then outlive it. Before exiting,
/// the gateway SIGKILLs every group still listed here. (A process that left its group with
/// `setsid` escapes this; the packaged unit's cgroup, `KillMode=control-group`, covers it.)
public final class ProgramGroups: Sendable {
    private let groups = LockedValue(Set<Int32>())

    public init() {}

    /// A program started in its own group `group` (its pid).
    func insert(_ group: Int32) {
        _ = groups.withLock { $0.insert(group) }
    }

    /// Nothing of `group` is left.
    func remove(_ group: Int32) {
        _ = groups.withLock { $0.remove(group) }
    }

    /// Groups still listed.
    public var count: Int { groups.withLock { $0.count } }

    /// Sends SIGKILL to every listed group (callable from any thread).
    public func killAll() {
        for group in groups.withLock({ $0 }) { _ = ProcessControl.signalGroup(group, .kill) }
    }
}
