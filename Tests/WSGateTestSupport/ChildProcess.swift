import CWSGateLinux
import Glibc

/// A program started by a test with its stdout and stderr captured, waited for with deadlines.
///
/// Why it exists: integration tests run the real `wsgate` and must wait for its "listening"
/// line, read its log, send it signals and collect its exit status, all without sleeping.
/// The child is killed and reaped when the object goes away, so a failing test leaks nothing.
public final class ChildProcess {
    public let pid: Int32
    private var stdoutFD: Int32
    private var stderrFD: Int32
    /// Everything the child wrote to stdout so far (what `read…` calls have collected).
    public private(set) var standardOutput = ""
    /// Everything the child wrote to stderr so far.
    public private(set) var standardError = ""
    private var stdoutBytes: [UInt8] = []
    private var stderrBytes: [UInt8] = []
    /// The exit status once reaped (`128 + signal` for a signal death).
    public private(set) var exitStatus: Int32?

    /// Starts `path` with `arguments` and `environment` (KEY=VALUE; default: inherit PATH only).
    public init(path: String, arguments: [String], environment: [String]? = nil) throws {
        var outPipe: [Int32] = [-1, -1]
        var errPipe: [Int32] = [-1, -1]
        // Close-on-exec from the start: tests run in parallel, and another test's child must
        // not inherit these ends (the pipes would never reach EOF).
        guard CWSGateLinux_pipe2(&outPipe, O_CLOEXEC) == 0, CWSGateLinux_pipe2(&errPipe, O_CLOEXEC) == 0 else {
            throw TestFailure("pipe2 failed: errno \(errno)")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        CWSGateLinux_spawn_file_actions_addclosefrom(&actions, 3)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The test runner may have signals blocked or ignored; the child starts clean.
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let env = environment ?? ["PATH=/usr/local/bin:/usr/bin:/bin"]
        let argv = ([path] + arguments).map { strdup($0) } + [nil]
        let envp = env.map { strdup($0) } + [nil]
        defer {
            argv.forEach { free($0) }
            envp.forEach { free($0) }
        }
        var child: pid_t = 0
        let status = posix_spawn(&child, path, &actions, &attributes, argv, envp)
        close(outPipe[1])
        close(errPipe[1])
        guard status == 0 else {
            close(outPipe[0])
            close(errPipe[0])
            throw TestFailure("cannot start \(path): errno \(status)")
        }
        pid = child
        stdoutFD = outPipe[0]
        stderrFD = errPipe[0]
        _ = fcntl(stdoutFD, F_SETFL, fcntl(stdoutFD, F_GETFL) | O_NONBLOCK)
        _ = fcntl(stderrFD, F_SETFL, fcntl(stderrFD, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
        if stdoutFD >= 0 { close(stdoutFD) }
        if stderrFD >= 0 { close(stderrFD) }
    }

    /// The child's resident memory in KiB (VmRSS from /proc), or nil if it is gone.
    public var residentKilobytes: Int? {
        guard let file = fopen("/proc/\(pid)/status", "r") else { return nil }
        defer { fclose(file) }
        var line = [CChar](repeating: 0, count: 256)
        while fgets(&line, Int32(line.count), file) != nil {
            let text = String(decoding: line.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if text.hasPrefix("VmRSS:") { return Int(text.filter(\.isNumber)) }
        }
        return nil
    }

    /// Sends `signal` to the child.
    public func send(signal: Int32) {
        kill(pid, signal)
    }

    /// Waits until stdout contains a line with `text`; returns that line.
    @discardableResult
    public func waitForOutputLine(containing text: String, timeout: Double = 10) throws -> String {
        let deadline = TestDeadline(seconds: timeout)
        while true {
            if let line = standardOutput.split(separator: "\n").first(where: { $0.contains(text) }) {
                return String(line)
            }
            if deadline.hasPassed || !pump(until: deadline) {
                throw TestFailure("no output line containing \"\(text)\" within \(timeout) s; stdout so far:\n\(standardOutput)\nstderr:\n\(standardError)")
            }
        }
    }

    /// Waits for the child to exit (collecting all output); returns its exit status.
    @discardableResult
    public func waitForExit(timeout: Double = 10) throws -> Int32 {
        let deadline = TestDeadline(seconds: timeout)
        while exitStatus == nil {
            // Output first: EOF on both pipes means the child is (about to be) gone.
            let open = pump(until: deadline)
            var status: Int32 = 0
            let reaped = waitpid(pid, &status, open ? WNOHANG : 0)
            if reaped == pid {
                exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
                _ = pump(until: TestDeadline(seconds: 0))
                break
            }
            if deadline.hasPassed {
                throw TestFailure("process \(pid) did not exit within \(timeout) s; stdout:\n\(standardOutput)")
            }
        }
        return exitStatus!
    }

    /// Reads whatever is available, waiting until `deadline` for something. Returns false once
    /// both pipes reached EOF.
    private func pump(until deadline: TestDeadline) -> Bool {
        var fds = [pollfd(fd: stdoutFD, events: Int16(POLLIN), revents: 0),
                   pollfd(fd: stderrFD, events: Int16(POLLIN), revents: 0)]
        if stdoutFD < 0 && stderrFD < 0 { return false }
        _ = poll(&fds, 2, deadline.remainingMilliseconds)
        readAvailable(&stdoutFD, into: &stdoutBytes)
        readAvailable(&stderrFD, into: &stderrBytes)
        standardOutput = String(decoding: stdoutBytes, as: UTF8.self)
        standardError = String(decoding: stderrBytes, as: UTF8.self)
        return stdoutFD >= 0 || stderrFD >= 0
    }

    private func readAvailable(_ fd: inout Int32, into bytes: inout [UInt8]) {
        guard fd >= 0 else { return }
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(fd, &chunk, chunk.count)
            if count > 0 {
                bytes += chunk[0..<count]
            } else if count == 0 {
                close(fd)
                fd = -1
                return
            } else {
                return
            }
        }
    }
}
