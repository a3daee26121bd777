import CWSGateLinux
import Glibc

/// A program started with its standard streams connected to pipes we hold.
public struct SpawnedProcess {
    /// The child's pid, which is also its process-group id.
    public let pid: Int32
    /// Our end of the child's stdin (write; non-blocking, close-on-exec).
    public let stdin: FileDescriptor
    /// Our end of the child's stdout (read; non-blocking, close-on-exec).
    public let stdout: FileDescriptor
    /// Our end of the child's stderr (read; non-blocking, close-on-exec).
    public let stderr: FileDescriptor
}

/// Starts programs, set up the way a gateway's children must be.
///
/// Why it exists: a child inherits far too much by default: blocked and ignored signals (the
/// gateway blocks SIGTERM/SIGCHLD for its signalfd and ignores SIGPIPE, and a child that
/// ignores SIGPIPE never dies on a closed pipe), every descriptor without close-on-exec, and
/// the gateway's process group. Each child here gets every signal at its default, an empty
/// mask, its own process group (so the kill sequence reaches its children too), and nothing
/// but its three pipes. The start itself is `CWSGateLinux_spawn` (vfork then execve, no copy
/// of the gateway's memory, no stack mapped per child), and exec failures (missing file, no
/// permission) come back as errors here.
public enum ProcessSpawner {
    /// The signals to reset to their default in a child: those ignored in the gateway (SIGPIPE,
    /// and any its own parent left ignored, e.g. SIGHUP under `nohup`). Handled signals are
    /// reset by exec anyway, so resetting all 64 (64 sigaction calls per spawn) buys nothing.
    private static let ignoredSignals: UInt64 = CWSGateLinux_ignored_signals() | 1 << (UInt64(SIGPIPE) - 1)

    /// Starts `path` with `arguments` (argv, including argv[0]) and exactly `environment`
    /// ("NAME=value" entries), in `workingDirectory` (nil: the gateway's), bounded by `limits`.
    public static func spawn(path: String, arguments: [String], environment: EnvironmentBlock,
                             workingDirectory: String? = nil, limits: ChildLimits = ChildLimits()) throws(IOError)
        -> SpawnedProcess
    {
        // [stdin read, stdin write, stdout read, stdout write, stderr read, stderr write]
        var ends: (Int32, Int32, Int32, Int32, Int32, Int32) = (-1, -1, -1, -1, -1, -1)
        var openCount = 0
        defer {
            withUnsafeBytes(of: ends) { for fd in $0.bindMemory(to: Int32.self).prefix(openCount) { close(fd) } }
        }
        let pipeError: Int32 = withUnsafeMutableBytes(of: &ends) { raw in
            let fds = raw.bindMemory(to: Int32.self).baseAddress!
            for pipe in 0..<3 {
                guard CWSGateLinux_pipe2(fds + 2 * pipe, O_CLOEXEC) == 0 else { return errno }
                openCount += 2
            }
            return 0
        }
        guard pipeError == 0 else { throw IOError(errno: pipeError, function: "pipe2") }

        let argv = CStringArray(arguments)
        let envp = CStringArray(environment)
        var childStreams: (Int32, Int32, Int32) = (ends.0, ends.3, ends.5)
        var pid: pid_t = 0
        let status = withUnsafeBytes(of: &childStreams) { streams in
            let fds = streams.bindMemory(to: Int32.self).baseAddress!
            return withLimits(limits) { limits in
                guard let workingDirectory else {
                    return CWSGateLinux_spawn(path, argv.pointers, envp.pointers, nil, fds, ignoredSignals, limits, &pid)
                }
                return CWSGateLinux_spawn(path, argv.pointers, envp.pointers, workingDirectory, fds, ignoredSignals,
                                          limits, &pid)
            }
        }
        guard status == 0 else { throw IOError(errno: status, function: "exec \(path)") }

        // The child has its copies; close ours of its ends, keep and wrap ours.
        close(ends.0)
        close(ends.3)
        close(ends.5)
        openCount = 0
        // A fresh pipe end's only status flag is its access mode, which F_SETFL ignores: one
        // call each instead of F_GETFL then F_SETFL.
        for fd in [ends.1, ends.2, ends.4] { _ = fcntl(fd, F_SETFL, O_NONBLOCK) }
        return SpawnedProcess(
            pid: pid,
            stdin: FileDescriptor(taking: ends.1),
            stdout: FileDescriptor(taking: ends.2),
            stderr: FileDescriptor(taking: ends.4))
    }

    /// `limits` as the C structure (nil when empty) for the duration of `body`.
    private static func withLimits(_ limits: ChildLimits,
                                   _ body: (UnsafePointer<CWSGateLinux_spawn_limits>?) -> Int32) -> Int32 {
        if limits.isEmpty { return body(nil) }
        let resources = limits.resources.map { Int32($0.resource) }
        let values = limits.resources.map(\.value)
        let groups = limits.identity?.groups ?? []
        return resources.withUnsafeBufferPointer { resources in
            values.withUnsafeBufferPointer { values in
                groups.withUnsafeBufferPointer { groups in
                    var c = CWSGateLinux_spawn_limits(
                        rlimit_count: Int32(resources.count), rlimit_resources: resources.baseAddress,
                        rlimit_values: values.baseAddress, change_identity: limits.identity == nil ? 0 : 1,
                        uid: limits.identity?.uid ?? 0, gid: limits.identity?.gid ?? 0,
                        group_count: Int32(groups.count), groups: groups.baseAddress)
                    return body(&c)
                }
            }
        }
    }
}
