import Glibc
import Testing
import WSGatePosix

/// `UnixSocketFile` in one process: what it does with each kind of entry at the path, and that
/// removal at exit touches only the file it bound.
@Suite(.timeLimit(.minutes(10))) struct UnixSocketFileTests {
    /// Runs `body` with the path of a socket inside a fresh mkdtemp directory, removed afterwards.
    func withSocketPath(_ body: (String) throws -> Void) throws {
        var template = Array("/tmp/wsgate-unixsocketfile-XXXXXX".utf8CString)
        let directory = try #require(template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
            .map { String(cString: $0) })
        defer {
            for name in ["ws.sock", "other"] { unlink(directory + "/" + name) }
            rmdir(directory)
        }
        try body(directory + "/ws.sock")
    }

    func isSocket(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFSOCK
    }

    @Test func aFreePathIsBoundAndRemoved() throws {
        try withSocketPath { path in
            let (socket, file) = try UnixSocketFile.listen(at: path)
            #expect(isSocket(path))
            socket.close()
            file.remove()
            #expect(!isSocket(path))
        }
    }

    @Test func aStaleSocketIsReplacedAndALiveOneRefused() throws {
        try withSocketPath { path in
            try Socket.listen(on: #require(SocketAddress(unixPath: path))).close()
            let (live, file) = try UnixSocketFile.listen(at: path)
            defer {
                live.close()
                file.remove()
            }
            #expect {
                _ = try UnixSocketFile.listen(at: path)
            } throws: { error in
                guard case .inUse = error as? UnixSocketFile.ClaimError else { return false }
                return true
            }
            #expect(isSocket(path))
        }
    }

    @Test func somethingElseAtThePathIsRefusedAndKept() throws {
        try withSocketPath { path in
            #expect(mkdir(path, 0o700) == 0)
            defer { rmdir(path) }
            #expect {
                _ = try UnixSocketFile.listen(at: path)
            } throws: { error in
                guard case .notASocket = error as? UnixSocketFile.ClaimError else { return false }
                return true
            }
            var info = stat()
            #expect(lstat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR)
        }
    }

    /// A successor that bound the path after ours was unlinked keeps its file when we exit.
    @Test func removalSparesASocketBoundThereSince() throws {
        try withSocketPath { path in
            let (first, firstFile) = try UnixSocketFile.listen(at: path)
            defer { first.close() }
            unlink(path)
            let (second, secondFile) = try UnixSocketFile.listen(at: path)
            defer { second.close() }
            firstFile.remove()
            #expect(isSocket(path))
            secondFile.remove()
            #expect(!isSocket(path))
        }
    }
}
