import Glibc
import Testing
import WSGateCore
import WSGatePosix

/// What a started program sees of its start: its three pipes and nothing else, default signals,
/// its own process group; and what the gateway sees when the start fails.
@Suite(.timeLimit(.minutes(10))) struct ProcessSpawnerTests {
    @Test func theChildHasItsThreePipesAndNoOtherDescriptor() throws {
        // A descriptor the test holds without close-on-exec must still not reach the child.
        let leaked = dup(STDERR_FILENO)
        try #require(leaked > 2)
        defer { close(leaked) }
        // ls lists its own descriptors: the three streams and 3, the directory it is reading.
        let child = try ProcessSpawner.spawn(path: "/bin/ls", arguments: ["ls", "/proc/self/fd", "/missing"], environment: [])
        #expect(try readToEnd(child.stdout) == "/proc/self/fd:\n0\n1\n2\n3\n")
        #expect(try readToEnd(child.stderr).contains("/missing"))
        child.stdin.close()
        #expect(waitForExit(child.pid) == 2)  // ls: /missing does not exist
    }

    @Test func theChildStartsWithDefaultSignalsAnEmptyMaskAndItsOwnGroup() throws {
        var blocked = sigset_t()
        var previous = sigset_t()
        sigemptyset(&blocked)
        sigaddset(&blocked, SIGUSR1)
        pthread_sigmask(SIG_BLOCK, &blocked, &previous)
        defer { pthread_sigmask(SIG_SETMASK, &previous, nil) }
        let previousPipeAction = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previousPipeAction) }

        let child = try ProcessSpawner.spawn(
            path: "/bin/sh", arguments: ["sh", "-c", "grep -E '^Sig(Blk|Ign)' /proc/self/status; read line"],
            environment: [])
        let status = try readLines(child.stdout, count: 2)
        #expect(status == ["SigBlk:\t0000000000000000", "SigIgn:\t0000000000000000"])
        #expect(getpgid(child.pid) == child.pid)
        child.stdin.close()
        child.stderr.close()
        #expect(waitForExit(child.pid) == 1)  // `read` met the end of stdin
        child.stdout.close()
    }

    @Test func ourEndsAreNonBlockingAndTheChildsAreNot() throws {
        let child = try ProcessSpawner.spawn(path: "/bin/cat", arguments: ["cat"], environment: ["ONLY=this"])
        #expect(fcntl(child.stdin.rawValue, F_GETFL) & O_NONBLOCK != 0)
        #expect(fcntl(child.stdout.rawValue, F_GETFL) & O_NONBLOCK != 0)
        #expect(fcntl(child.stderr.rawValue, F_GETFL) & O_NONBLOCK != 0)
        // cat's first read finds an empty pipe: a non-blocking stdin would make it fail at once.
        let line = Array("ping\n".utf8)
        _ = try line.withUnsafeBytes { bytes throws(IOError) in try child.stdin.write(bytes) }
        child.stdin.close()
        #expect(try readToEnd(child.stdout) == "ping\n")
        #expect(try readToEnd(child.stderr) == "")
        #expect(waitForExit(child.pid) == 0)
    }

    @Test func theEnvironmentAndArgumentsArePassedExactly() throws {
        let environment: EnvironmentBlock = ["ONE=1", "EMPTY=", "UNICODE=é ü", "LAST=x"]
        let child = try ProcessSpawner.spawn(
            path: "/bin/sh", arguments: ["sh", "-c", "env | sort; printf '%s|' \"$0\" \"$1\"", "zero", ""],
            environment: environment)
        #expect(try readToEnd(child.stdout) == "EMPTY=\nLAST=x\nONE=1\nPWD=\(currentDirectory())\nUNICODE=é ü\nzero||")
        child.stdin.close()
        child.stderr.close()
        #expect(waitForExit(child.pid) == 0)
    }

    @Test func aProgramThatCannotBeExecutedIsAnErrorWithItsErrno() throws {
        #expect(throws: IOError.self) { try ProcessSpawner.spawn(path: "/nonexistent/program", arguments: ["x"], environment: []) }
        do {
            _ = try ProcessSpawner.spawn(path: "/nonexistent/program", arguments: ["x"], environment: [])
        } catch {
            #expect(error.errno == ENOENT)
        }
        let notExecutable = "/tmp/wsgate-spawner-test-\(getpid())"
        let file = open(notExecutable, O_CREAT | O_WRONLY | O_TRUNC, 0o644)
        try #require(file >= 0)
        close(file)
        defer { unlink(notExecutable) }
        do {
            _ = try ProcessSpawner.spawn(path: notExecutable, arguments: ["x"], environment: [])
            Issue.record("a file without execute permission was started")
        } catch {
            #expect(error.errno == EACCES)
        }
    }

    // MARK: - Helpers

    private func readToEnd(_ descriptor: FileDescriptor) throws -> String {
        var buffer = ByteBuffer()
        while true {
            var poller = pollfd(fd: descriptor.rawValue, events: Int16(POLLIN), revents: 0)
            _ = poll(&poller, 1, -1)
            guard case .processed(let count) = try descriptor.read(into: &buffer, maxBytes: 4096), count > 0 else { break }
        }
        descriptor.close()
        return buffer.readString(buffer.readableBytes) ?? ""
    }

    private func readLines(_ descriptor: FileDescriptor, count: Int) throws -> [String] {
        var buffer = ByteBuffer()
        while buffer.withUnsafeReadableBytes({ $0.filter { $0 == UInt8(ascii: "\n") }.count }) < count {
            var poller = pollfd(fd: descriptor.rawValue, events: Int16(POLLIN), revents: 0)
            _ = poll(&poller, 1, -1)
            guard case .processed(let read) = try descriptor.read(into: &buffer, maxBytes: 4096), read > 0 else { break }
        }
        return (buffer.readString(buffer.readableBytes) ?? "").split(separator: "\n").map(String.init)
    }

    /// The exit status, or -1 when the child did not exit normally.
    private func waitForExit(_ pid: Int32) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status & 0x7f == 0 ? (status >> 8) & 0xff : -1
    }

    private func currentDirectory() -> String {
        var path = [CChar](repeating: 0, count: Int(PATH_MAX))
        return getcwd(&path, path.count).map { String(cString: $0) } ?? ""
    }
}
