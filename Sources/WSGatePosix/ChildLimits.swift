import Glibc


/// What every program the gateway starts is bounded by (`--rlimit`) and runs as (`--user`,
/// `--group`), applied in the child between vfork and exec.
///
/// Why it exists: a gateway that starts a program for whoever connects should not give each
/// one its own privileges and unbounded resources. posix_spawn can set neither, so the
/// gateway's own spawn path (`CWSGateLinux_spawn`) applies them; the names are looked up once
/// at start (`UserAccount`), since the child may only make system calls.
public struct ChildLimits: Sendable, Equatable {
    /// A resource (`RLIMIT_*`) and its value, set as both the soft and the hard limit.
    public struct ResourceLimit: Sendable, Equatable {
        public let resource: Int32
        public let value: UInt64

        public init(resource: Int32, value: UInt64) {
            self.resource = resource
            self.value = value
        }
    }

    /// Who the child becomes: user, group and supplementary groups.
    public struct Identity: Sendable, Equatable {
        public let uid: UInt32
        public let gid: UInt32
        public let groups: [UInt32]

        public init(uid: UInt32, gid: UInt32, groups: [UInt32]) {
            self.uid = uid
            self.gid = gid
            self.groups = groups
        }
    }

    public var resources: [ResourceLimit]
    public var identity: Identity?

    public init(resources: [ResourceLimit] = [], identity: Identity? = nil) {
        self.resources = resources
        self.identity = identity
    }

    /// Nothing to apply.
    public var isEmpty: Bool { resources.isEmpty && identity == nil }
}

extension ChildLimits.ResourceLimit {
    /// The limit on the resource `ulimit` calls `name` (as, cpu, nofile, nproc, fsize, core,
    /// data, stack); nil for another name.
    public init?(named name: String, value: UInt64) {
        let resources: [String: Int32] = [
            "as": Int32(RLIMIT_AS.rawValue), "cpu": Int32(RLIMIT_CPU.rawValue), "nofile": Int32(RLIMIT_NOFILE.rawValue),
            "nproc": Int32(__RLIMIT_NPROC.rawValue), "fsize": Int32(RLIMIT_FSIZE.rawValue),
            "core": Int32(RLIMIT_CORE.rawValue), "data": Int32(RLIMIT_DATA.rawValue), "stack": Int32(RLIMIT_STACK.rawValue),
        ]
        guard let resource = resources[name] else { return nil }
        self.init(resource: resource, value: value)
    }
}
