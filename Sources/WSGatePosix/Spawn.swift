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
    /// `--pty`: stdin and stdout are the master of the program's terminal (two descriptors of
    /// it), and the program leads its own session.
    public let isTerminal: Bool
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
    /// ("NAME=value" entries), in `workingDirectory` (nil: the gateway's), bounded by `limits`,
    /// on pipes or, with `terminal`, on a pseudo-terminal.
    public static func spawn(path: String, arguments: [String], environment: EnvironmentBlock,
                             workingDirectory: String? = nil, limits: ChildLimits = ChildLimits(),
                             terminal: TerminalSettings? = nil) throws(IOError) -> SpawnedProcess {
        if let terminal {
            return try spawnOnTerminal(path: path, arguments: arguments, environment: environment,
                                       workingDirectory: workingDirectory, limits: limits, terminal: terminal)
        }
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

        let pid = try start(path: path, arguments: arguments, environment: environment,
                            workingDirectory: workingDirectory, streams: (ends.0, ends.3, ends.5), limits: limits,
                            controllingTerminal: false)
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
            stderr: FileDescriptor(taking: ends.4),
            isTerminal: false)
    }

    /// `--pty`: stdin and stdout (and stderr, with `terminal.stderrOnTerminal`) are a new
    /// pseudo-terminal's, which becomes the program's controlling terminal in a session it
    /// leads. Ours: the master twice (a duplicate to write, the master to read: each end has
    /// its own transport) and a stderr pipe, which reads EOF at once when stderr is the terminal.
    private static func spawnOnTerminal(path: String, arguments: [String], environment: EnvironmentBlock,
                                        workingDirectory: String?, limits: ChildLimits,
                                        terminal: TerminalSettings) throws(IOError) -> SpawnedProcess {
        var master: Int32 = -1, slave: Int32 = -1
        let opened = CWSGateLinux_open_pty(terminal.raw ? 1 : 0, terminal.columns, terminal.rows, &master, &slave)
        guard opened == 0 else { throw IOError(errno: opened, function: "open a pseudo-terminal") }
        var stderrEnds: (Int32, Int32) = (-1, -1)
        var toClose = [master, slave]
        defer { for fd in toClose { close(fd) } }
        let pipeError: Int32 = withUnsafeMutableBytes(of: &stderrEnds) { raw in
            CWSGateLinux_pipe2(raw.bindMemory(to: Int32.self).baseAddress!, O_CLOEXEC) == 0 ? 0 : errno
        }
        guard pipeError == 0 else { throw IOError(errno: pipeError, function: "pipe2") }
        toClose += [stderrEnds.0, stderrEnds.1]
        let writer = fcntl(master, F_DUPFD_CLOEXEC, 3)
        guard writer >= 0 else { throw IOError(errno: errno, function: "fcntl(F_DUPFD_CLOEXEC)") }
        toClose.append(writer)

        let pid = try start(path: path, arguments: arguments, environment: environment,
                            workingDirectory: workingDirectory,
                            streams: (slave, slave, terminal.stderrOnTerminal ? slave : stderrEnds.1), limits: limits,
                            controllingTerminal: true)
        // The child has the terminal; ours is the master. Our stderr pipe's write end closes,
        // so with stderr on the terminal the pipe reads EOF at once.
        close(slave)
        close(stderrEnds.1)
        toClose = []
        // One status flag for both master descriptors (they share the open file).
        _ = fcntl(master, F_SETFL, O_NONBLOCK)
        _ = fcntl(stderrEnds.0, F_SETFL, O_NONBLOCK)
        return SpawnedProcess(
            pid: pid,
            stdin: FileDescriptor(taking: writer),
            stdout: FileDescriptor(taking: master),
            stderr: FileDescriptor(taking: stderrEnds.0),
            isTerminal: true)
    }

    /// The vfork and exec, with `streams` as the child's 0, 1 and 2; the pid, or the errno of
    /// the step that failed (exec's included).
    private static func start(path: String, arguments: [String], environment: EnvironmentBlock,
                              workingDirectory: String?, streams: (Int32, Int32, Int32), limits: ChildLimits,
                              controllingTerminal: Bool) throws(IOError) -> pid_t {
        let argv = CStringArray(arguments)
        let envp = CStringArray(environment)
        var childStreams = streams
        var pid: pid_t = 0
        let status = withUnsafeBytes(of: &childStreams) { streams in
            let fds = streams.bindMemory(to: Int32.self).baseAddress!
            return withOptions(limits, controllingTerminal: controllingTerminal) { options in
                guard let workingDirectory else {
                    return CWSGateLinux_spawn(path, argv.pointers, envp.pointers, nil, fds, ignoredSignals, options, &pid)
                }
                return CWSGateLinux_spawn(path, argv.pointers, envp.pointers, workingDirectory, fds, ignoredSignals,
                                          options, &pid)
            }
        }
        guard status == 0 else { throw IOError(errno: status, function: "exec \(path)") }
        return pid
    }

    /// `limits` and the terminal flag as the C structure (nil when there is nothing to apply)
    /// for the duration of `body`.
    private static func withOptions(_ limits: ChildLimits, controllingTerminal: Bool,
                                    _ body: (UnsafePointer<CWSGateLinux_spawn_options>?) -> Int32) -> Int32 {
        if limits.isEmpty && !controllingTerminal { return body(nil) }
        let resources = limits.resources.map { Int32($0.resource) }
        let values = limits.resources.map(\.value)
        let groups = limits.identity?.groups ?? []
        return resources.withUnsafeBufferPointer { resources in
            values.withUnsafeBufferPointer { values in
                groups.withUnsafeBufferPointer { groups in
                    var c = CWSGateLinux_spawn_options(
                        rlimit_count: Int32(resources.count), rlimit_resources: resources.baseAddress,
                        rlimit_values: values.baseAddress, change_identity: limits.identity == nil ? 0 : 1,
                        uid: limits.identity?.uid ?? 0, gid: limits.identity?.gid ?? 0,
                        group_count: Int32(groups.count), groups: groups.baseAddress,
                        controlling_terminal: controllingTerminal ? 1 : 0)
                    return body(&c)
                }
            }
        }
    }
}
