import CWSGateLinux
import Foundation
import Glibc
import WSGatePosix

/// A program started by a test with its stdout and stderr captured, waited for with deadlines.
///
/// Why it exists: integration tests run the real `wsgate` and must wait for its "listening"
/// line, read its log, send it signals and collect its exit status, all without sleeping.
/// The child is killed and reaped when the object goes away, so a failing test leaks nothing.
public final class ChildProcess {
    public let pid: Int32
    private let output = CapturedOutput()
    /// Everything the child wrote to stdout so far.
    public var standardOutput: String { output.text(of: .standardOutput) }
    /// Everything the child wrote to stderr so far.
    public var standardError: String { output.text(of: .standardError) }
    /// The exit status once reaped (`128 + signal` for a signal death).
    public private(set) var exitStatus: Int32?

    /// Starts `path` with `arguments` and `environment` (KEY=VALUE; default: inherit PATH only).
    /// `passing` descriptors become the child's 3, 4, … (socket activation tests).
    /// `standardInput`: a file opened as the child's stdin (default: the test runner's).
    public init(path: String, arguments: [String], environment: [String]? = nil, passing: [Int32] = [],
                standardInput: String? = nil) throws {
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
        if let standardInput { posix_spawn_file_actions_addopen(&actions, 0, standardInput, O_RDONLY, 0) }
        for (index, descriptor) in passing.enumerated() {
            posix_spawn_file_actions_adddup2(&actions, descriptor, Int32(3 + index))
        }
        CWSGateLinux_spawn_file_actions_addclosefrom(&actions, Int32(3 + passing.count))
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
        let env = (environment ?? ["PATH=/usr/local/bin:/usr/bin:/bin"]) + Self.sanitizerSettings
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
        // The child's output is read continuously by two threads: a child that logs a lot
        // (wsgate writes its log to stdout) must never block on a full pipe while the test
        // waits on something else.
        output.startReading(outPipe[0], as: .standardOutput)
        output.startReading(errPipe[0], as: .standardError)
    }

    /// The sanitizer and backtracer settings of this test process (`scripts/sanitize.sh` sets
    /// them), passed on so an instrumented child reports the way the run asked.
    static let sanitizerSettings: [String] = {
        let names: [String] = ["ASAN_OPTIONS", "TSAN_OPTIONS", "LSAN_OPTIONS", "SWIFT_BACKTRACE"]
        return names.compactMap { name in getenv(name).map { "\(name)=\(String(cString: $0))" } }
    }()

    deinit {
        output.setPaused(false)
        if exitStatus == nil {
            kill(pid, SIGKILL)
            var status: Int32 = 0
            waitpid(pid, &status, 0)
        }
    }

    /// The child's resident memory in KiB (VmRSS from /proc), or nil if it is gone.
    public var residentKilobytes: Int? { statusKilobytes("VmRSS:") }

    /// The child's peak resident memory so far in KiB (VmHWM from /proc), or nil if it is gone.
    public var peakResidentKilobytes: Int? { statusKilobytes("VmHWM:") }

    private func statusKilobytes(_ field: String) -> Int? {
        guard let text = ProcessTable.readFile("/proc/\(pid)/status"),
              let line = text.split(separator: "\n").first(where: { $0.hasPrefix(field) }) else { return nil }
        return Int(line.filter(\.isNumber))
    }

    /// Stops reading the child's stdout once the read in progress returns, so the pipe fills
    /// and the child's writes to it block, as with a log reader that stalls.
    public func pauseReadingOutput() {
        output.setPaused(true)
    }

    /// Reads the child's stdout again after `pauseReadingOutput`.
    public func resumeReadingOutput() {
        output.setPaused(false)
    }

    /// Sends `signal` to the child.
    public func send(signal: Int32) {
        kill(pid, signal)
    }

    /// Waits until stdout contains a line with `text`; returns that line.
    @discardableResult
    public func waitForOutputLine(containing text: String, timeout: Double = 10) throws -> String {
        try waitForOutputLines(containing: text, count: 1, timeout: timeout)[0]
    }

    /// Waits until stdout contains `count` lines with `text`; returns all such lines so far.
    @discardableResult
    public func waitForOutputLines(containing text: String, count: Int, timeout: Double = 10) throws -> [String] {
        let deadline = TestDeadline(seconds: timeout)
        while true {
            let lines = standardOutput.split(separator: "\n").filter { $0.contains(text) }
            if lines.count >= count { return lines.map(String.init) }
            if deadline.hasPassed {
                throw TestFailure("no output line containing \"\(text)\" within \(timeout) s; stdout so far:\n\(standardOutput)\nstderr:\n\(standardError)")
            }
            output.waitForMore(milliseconds: deadline.remainingMilliseconds)
        }
    }

    /// Waits for the child to exit and its output to end; returns its exit status.
    @discardableResult
    public func waitForExit(timeout: Double = 10) throws -> Int32 {
        let deadline = TestDeadline(seconds: timeout)
        while exitStatus == nil {
            var status: Int32 = 0
            if waitpid(pid, &status, WNOHANG) == pid {
                exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
                break
            }
            if deadline.hasPassed {
                throw TestFailure("process \(pid) did not exit within \(timeout) s; stdout:\n\(standardOutput)")
            }
            // Output ends when the child does (or soon after); no other event tells of an exit.
            output.waitForMore(milliseconds: min(deadline.remainingMilliseconds, 20))
        }
        output.waitUntilClosed(deadline: deadline)
        return exitStatus!
    }
}

/// The child's stdout and stderr as read so far by their reader threads, with an eventfd that
/// wakes a waiting test whenever more arrives.
final class CapturedOutput: Sendable {
    enum Stream: Int, Sendable {
        case standardOutput = 0
        case standardError = 1
    }

    private struct State {
        var bytes: [[UInt8]] = [[], []]
        var open = 2
    }

    private let state = LockedValue(State())
    private let wake = eventfd(0, Int32(EFD_CLOEXEC))
    /// While true, stdout is not read (`ChildProcess.pauseReadingOutput`).
    private let stdoutPaused = GuardedState(false)

    deinit { close(wake) }

    func startReading(_ fd: Int32, as stream: Stream) {
        Thread.detachNewThread { [self] in
            var chunk = [UInt8](repeating: 0, count: 65536)
            while true {
                if stream == .standardOutput {
                    while stdoutPaused.wait(until: TestDeadline(seconds: 3600), { $0 ? nil : true }) == nil {}
                }
                let count = read(fd, &chunk, chunk.count)
                if count < 0 && errno == EINTR { continue }
                if count <= 0 { break }
                state.withLock { $0.bytes[stream.rawValue] += chunk[0..<count] }
                signal()
            }
            close(fd)
            state.withLock { $0.open -= 1 }
            signal()
        }
    }

    func setPaused(_ paused: Bool) {
        stdoutPaused.update { $0 = paused }
    }

    func text(of stream: Stream) -> String {
        String(decoding: state.withLock { $0.bytes[stream.rawValue] }, as: UTF8.self)
    }

    /// Blocks until more output arrives (or a stream closes) or `milliseconds` pass.
    func waitForMore(milliseconds: Int32) {
        var poller = pollfd(fd: wake, events: Int16(POLLIN), revents: 0)
        if poll(&poller, 1, milliseconds) == 1 {
            var value: UInt64 = 0
            _ = read(wake, &value, 8)
        }
    }

    func waitUntilClosed(deadline: TestDeadline) {
        while state.withLock({ $0.open > 0 }) && !deadline.hasPassed {
            waitForMore(milliseconds: deadline.remainingMilliseconds)
        }
    }

    private func signal() {
        var one: UInt64 = 1
        _ = write(wake, &one, 8)
    }
}
