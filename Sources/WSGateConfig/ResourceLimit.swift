/// One `--rlimit` entry: a resource every program is bounded by, and the value (both the soft
/// and the hard limit, so the program cannot raise it).
///
/// Why it exists: a program started for an anonymous client should not be able to take the
/// machine's memory, CPU, processes or descriptors; setrlimit's resources by their `ulimit`
/// names are what operators know.
public struct ResourceLimit: Sendable, Equatable {
    /// The resources `--rlimit` names (RLIMIT_AS, RLIMIT_CPU, …).
    public enum Resource: String, Sendable, CaseIterable {
        /// Address space, bytes (`ulimit -v` in KiB).
        case addressSpace = "as"
        /// CPU time, seconds: SIGXCPU, then SIGKILL at the hard limit (the same here).
        case cpu
        /// Open descriptors.
        case nofile
        /// Processes and threads of the program's user (all of them, not only this program's).
        case nproc
        /// The largest file the program may write, bytes.
        case fsize
        /// Core dump size, bytes (0: none).
        case core
        /// Data segment (heap), bytes.
        case data
        /// Stack, bytes.
        case stack

        /// Whether values are bytes (and may take K, M, G, T suffixes).
        public var isBytes: Bool {
            switch self {
            case .addressSpace, .fsize, .core, .data, .stack: true
            case .cpu, .nofile, .nproc: false
            }
        }
    }

    /// `unlimited`.
    public static let unlimited = UInt64.max

    public let resource: Resource
    public let value: UInt64

    public init(_ resource: Resource, _ value: UInt64) {
        self.resource = resource
        self.value = value
    }
}
