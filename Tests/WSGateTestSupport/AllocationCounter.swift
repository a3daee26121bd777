import Glibc

/// Counts the heap allocations of a `wsgate` process while a test drives it.
///
/// Why it exists: "the steady state allocates nothing per message" is a property of the real
/// release binary, so it is checked there: `Tests/AllocationCounter/allocation_counter.c` is
/// compiled (with the toolchain's clang) into an `LD_PRELOAD` library that adds one to a counter in a shared file for
/// every malloc-family call; the test reads the counter before and after a batch of messages.
public final class AllocationCounter {
    /// The release binary the counts are about (`swift build -c release` makes it).
    public static var releaseGateway: String { Executables.packageRoot + "/.build/release/wsgate" }

    private let library: String
    private let counterFile: String

    /// Compiles the counting library and makes the counter file.
    public init() throws {
        library = TemporaryFiles.path("allocation-counter", suffix: ".so")
        counterFile = TemporaryFiles.path("allocation-count")
        let source = Executables.packageRoot + "/Tests/AllocationCounter/allocation_counter.c"
        guard let cc = Self.cCompiler else { throw TestFailure("no C compiler (clang or cc) on PATH") }
        let compiler = try ChildProcess(path: cc, arguments: ["-shared", "-fPIC", "-O2", "-o", library, source])
        guard try compiler.waitForExit(timeout: 60) == 0 else {
            throw TestFailure("cc failed on \(source): \(compiler.standardError)")
        }
        try TemporaryFiles.write(String(repeating: "\0", count: 4096), to: counterFile)
    }

    /// The Swift toolchain's clang (next to `swift` on PATH), or the system's cc.
    static var cCompiler: String? {
        let path = getenv("PATH").map { String(cString: $0) } ?? "/usr/bin:/bin"
        for name in ["clang", "cc"] {
            for directory in path.split(separator: ":") where access("\(directory)/\(name)", X_OK) == 0 {
                return "\(directory)/\(name)"
            }
        }
        return nil
    }

    deinit {
        unlink(library)
        unlink(counterFile)
    }

    /// What the gateway's environment needs for its allocations to be counted.
    public var environment: [String] {
        ["PATH=/usr/local/bin:/usr/bin:/bin", "LD_PRELOAD=\(library)", "WSGATE_ALLOCATION_COUNTER_FILE=\(counterFile)"]
    }

    /// Allocations so far.
    public func count() throws -> UInt64 {
        let fd = open(counterFile, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw TestFailure("open \(counterFile): errno \(errno)") }
        defer { close(fd) }
        var value: UInt64 = 0
        guard pread(fd, &value, 8, 0) == 8 else { throw TestFailure("read \(counterFile): errno \(errno)") }
        return UInt64(littleEndian: value)
    }
}
