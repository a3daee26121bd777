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

/// Starts programs with `posix_spawn`, set up the way a gateway's children must be.
///
/// Why it exists: a child inherits far too much by default: blocked and ignored signals (the
/// gateway blocks SIGTERM/SIGCHLD for its signalfd and ignores SIGPIPE, and a child that
/// ignores SIGPIPE never dies on a closed pipe), every descriptor without close-on-exec, and
/// the gateway's process group. Each child here gets every signal at its default, an empty
/// mask, its own process group (so the kill sequence reaches its children too), and nothing
/// but its three pipes. `posix_spawn` on glibc uses vfork semantics, so spawning costs no
/// copy of the gateway's memory, and exec failures (missing file, no permission) come back
/// as errors here.
public enum ProcessSpawner {
    /// The signals to reset to their default in a child: those ignored in the gateway (SIGPIPE,
    /// and any its own parent left ignored, e.g. SIGHUP under `nohup`). Handled signals are
    /// reset by exec anyway, so resetting all 64 (64 sigaction calls per spawn) buys nothing.
    private static let ignoredSignals: sigset_t = {
        var set = sigset_t()
        CWSGateLinux_sigemptyset(&set)
        CWSGateLinux_sigaddset(&set, SIGPIPE)
        for number in 1..<Int32(65) where CWSGateLinux_signal_is_ignored(number) != 0 {
            CWSGateLinux_sigaddset(&set, number)
        }
        return set
    }()

    /// Starts `path` with `arguments` (argv, including argv[0]) and exactly `environment`
    /// ("NAME=value" entries), in the current working directory.
    public static func spawn(path: String, arguments: [String], environment: [String]) throws(IOError) -> SpawnedProcess {
        var stdinPipe: [Int32] = [-1, -1]
        var stdoutPipe: [Int32] = [-1, -1]
        var stderrPipe: [Int32] = [-1, -1]
        var opened: [Int32] = []
        defer { for fd in opened { close(fd) } }
        for index in 0..<3 {
            var pair: [Int32] = [-1, -1]
            _ = try syscallValue("pipe2") { CWSGateLinux_pipe2(&pair, O_CLOEXEC) }
            opened += pair
            switch index {
            case 0: stdinPipe = pair
            case 1: stdoutPipe = pair
            default: stderrPipe = pair
            }
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        // dup2 onto 0/1/2 clears close-on-exec on the copies; everything else is closed.
        posix_spawn_file_actions_adddup2(&actions, stdinPipe[0], 0)
        posix_spawn_file_actions_adddup2(&actions, stdoutPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, stderrPipe[1], 2)
        CWSGateLinux_spawn_file_actions_addclosefrom(&actions, 3)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var ignored = ignoredSignals
        var noSignal = sigset_t()
        CWSGateLinux_sigemptyset(&noSignal)
        posix_spawnattr_setsigdefault(&attributes, &ignored)
        posix_spawnattr_setsigmask(&attributes, &noSignal)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP))

        let argv = arguments.map { strdup($0) } + [nil]
        let envp = environment.map { strdup($0) } + [nil]
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        var pid: pid_t = 0
        let status = posix_spawn(&pid, path, &actions, &attributes, argv, envp)
        guard status == 0 else { throw IOError(errno: status, function: "posix_spawn \(path)") }

        // The child has its copies; close ours of its ends, keep and wrap ours.
        for fd in [stdinPipe[0], stdoutPipe[1], stderrPipe[1]] { close(fd) }
        opened = []
        let process = SpawnedProcess(
            pid: pid,
            stdin: FileDescriptor(taking: stdinPipe[1]),
            stdout: FileDescriptor(taking: stdoutPipe[0]),
            stderr: FileDescriptor(taking: stderrPipe[0]))
        for end in [process.stdin, process.stdout, process.stderr] {
            try? end.setNonBlocking()
        }
        return process
    }
}
