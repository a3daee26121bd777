import Glibc
import Testing
import WSGatePosix
import WSGateTestSupport
import WSGateWebSocket

/// `--unixsocket=PATH` with the real binary: alone or beside TCP, what programs and the log
/// see, stale, live and foreign files at the path, removal at exit, several loops and systemd.
/// Every test works in its own mkdtemp directory.
@Suite(.timeLimit(.minutes(10)), .onItsOwnThread) struct UnixSocketListenerTests {
    static let readyLine = "Starting WebSocket server   : ws+unix://"

    /// Runs `body` with a fresh private directory, removed afterwards.
    func inDirectory(_ body: (String) throws -> Void) throws {
        let directory = try TemporaryFiles.directory("unixsocket")
        defer { TemporaryFiles.removeDirectory(directory) }
        try body(directory)
    }

    /// Starts wsgate with `arguments` and waits until it listens on the Unix socket.
    func start(_ arguments: [String]) throws -> ChildProcess {
        let process = try ChildProcess(path: Executables.path("wsgate"), arguments: arguments)
        try process.waitForOutputLine(containing: Self.readyLine)
        return process
    }

    /// A WebSocket through the Unix socket at `path`, after its 101.
    func openWebSocket(_ path: String, urlPath: String = "/") throws -> TestClient {
        let client = try TestClient(unixPath: path)
        let response = try client.upgrade(path: urlPath, host: "localhost")
        guard response.status == 101 else { throw TestFailure("expected 101, got \(response.status)") }
        return client
    }

    func expectEcho(_ client: TestClient, _ text: String) throws {
        try client.send(FrameBytes.text(text))
        #expect(try client.readMessage().text == text)
    }

    /// What is at `path` (lstat): its type bits and permission bits, or nil if nothing.
    func entry(_ path: String) -> (type: UInt32, permissions: UInt32)? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return (UInt32(info.st_mode & S_IFMT), UInt32(info.st_mode & 0o7777))
    }

    /// Inodes of the TCP sockets in LISTEN state in this network namespace.
    func listeningTCPInodes() -> Set<String> {
        var inodes: Set<String> = []
        for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
            for line in (ProcessTable.readFile(table) ?? "").split(separator: "\n").dropFirst() {
                let fields = line.split(separator: " ")
                // sl local rem st tx:rx tr:when retrnsmt uid timeout inode …; 0A = LISTEN
                if fields.count > 9 && fields[3] == "0A" { inodes.insert(String(fields[9])) }
            }
        }
        return inodes
    }

    /// Inodes of the sockets `pid` has open ("socket:[INODE]" links in /proc/PID/fd).
    func socketInodes(of pid: Int32) -> Set<String> {
        var inodes: Set<String> = []
        for fd in 0..<1024 {
            var buffer = [CChar](repeating: 0, count: 256)
            let count = readlink("/proc/\(pid)/fd/\(fd)", &buffer, buffer.count - 1)
            guard count > 0 else { continue }
            let target = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if target.hasPrefix("socket:[") { inodes.insert(String(target.dropFirst(8).dropLast())) }
        }
        return inodes
    }

    /// Without `--port`/`--address` the Unix socket is the only listener: it serves, no TCP
    /// socket is listening in the process, and no `ws://` line is printed.
    @Test func aloneItServesAndNoTCPPortIsOpen() throws {
        try inDirectory { directory in
            let path = directory + "/ws.sock"
            let process = try start(["--unixsocket=\(path)", "--echo"])
            #expect(process.standardOutput.contains(Self.readyLine + path))
            try expectEcho(try openWebSocket(path), "alone")
            #expect(!process.standardOutput.contains("ws://"))
            let sockets = socketInodes(of: process.pid)
            #expect(!sockets.isEmpty)
            #expect(sockets.isDisjoint(with: listeningTCPInodes()))
        }
    }

    /// `--port`/`--address` given: TCP and the Unix socket both serve.
    @Test func besideTCPBothServe() throws {
        try inDirectory { directory in
            let path = directory + "/ws.sock"
            let gateway = try GatewayProcess(["--unixsocket=\(path)", "--echo"])
            try gateway.process.waitForOutputLine(containing: Self.readyLine + path)
            try expectEcho(try gateway.openWebSocket(), "over TCP")
            try expectEcho(try openWebSocket(path), "over the Unix socket")
        }
    }

    /// A relative path is bound relative to the working directory and named absolute in the
    /// start-up line; the socket's mode is what the umask leaves (nothing is chmod-ed).
    @Test func theFileModeFollowsTheUmask() throws {
        try inDirectory { directory in
            let process = try ChildProcess(
                path: "/bin/sh",
                arguments: ["-c", "cd \"$1\" && umask 077 && exec \"$0\" --unixsocket=ws.sock --echo",
                            Executables.path("wsgate"), directory])
            try process.waitForOutputLine(containing: Self.readyLine + directory + "/ws.sock")
            let found = try #require(entry(directory + "/ws.sock"))
            #expect(found.type == UInt32(S_IFSOCK))
            #expect(found.permissions == 0o700)
        }
    }

    /// Programs see websocketd main's values: REMOTE_ADDR and REMOTE_HOST `unix-socket`,
    /// REMOTE_PORT empty; the log's `remote` field says `unix-socket` too.
    @Test func programsSeeUnixSocketAsTheRemoteAddress() throws {
        try inDirectory { directory in
            let path = directory + "/ws.sock"
            let process = try start(["--unixsocket=\(path)", Executables.path("wsgate-testcmd"), "env"])
            let client = try openWebSocket(path, urlPath: "/env?x=1")
            let variables = try Transcript.read(from: client).environment()
            #expect(variables["REMOTE_ADDR"] == "unix-socket")
            #expect(variables["REMOTE_HOST"] == "unix-socket")
            #expect(variables["REMOTE_PORT"] == "")
            #expect(variables["REQUEST_URI"] == "/env?x=1")
            let connect = try process.waitForOutputLine(containing: "| CONNECT")
            #expect(connect.contains("remote:'unix-socket'"))
        }
    }

    /// A socket file left by a dead server (connect is refused) is replaced.
    @Test func aStaleSocketFileIsReplaced() throws {
        try inDirectory { directory in
            let path = directory + "/ws.sock"
            let dead = try Socket.listen(on: #require(SocketAddress(unixPath: path)))
            dead.close()  // the file stays; nobody listens
            #expect(entry(path)?.type == UInt32(S_IFSOCK))
            #expect(throws: TestFailure.self) { try TestClient(unixPath: path) }
            let process = try start(["--unixsocket=\(path)", "--echo"])
            try expectEcho(try openWebSocket(path), "replaced")
            withExtendedLifetime(process) {}
        }
    }

    /// A socket a live server listens on is not taken: exit 3 with one FATAL line, the same
    /// path as a port in use; the first gateway and its file are untouched and keep serving.
    @Test func aLiveSocketIsAStartUpErrorAndTheFirstGatewayKeepsServing() throws {
        try inDirectory { directory in
            let path = directory + "/ws.sock"
            let first = try start(["--unixsocket=\(path)", "--echo"])
            let second = try ChildProcess(path: Executables.path("wsgate"),
                                          arguments: ["--unixsocket=\(path)", "--echo", "--threads=2"])
            #expect(try second.waitForExit() == 3)
            let fatal = second.standardOutput.split(separator: "\n").filter { $0.contains("FATAL") }
            #expect(fatal.count == 1)
            #expect(fatal.first?.contains("Can't start server: listen unix \(path): bind: Address already in use") == true)
            #expect(!second.standardOutput.contains("Starting WebSocket server"))
            #expect(entry(path)?.type == UInt32(S_IFSOCK))
            try expectEcho(try openWebSocket(path), "still served")
            withExtendedLifetime(first) {}
        }
    }

    /// A path that exists and is not a socket (a file, or a symbolic link, even to a stale
    /// socket) is a start-up error, exit 3, and is never deleted.
    @Test func aPathThatIsNotASocketIsLeftAlone() throws {
        try inDirectory { directory in
            let file = directory + "/precious.txt"
            try TemporaryFiles.write("keep me\n", to: file)
            let stale = directory + "/stale.sock"
            try Socket.listen(on: #require(SocketAddress(unixPath: stale))).close()
            let link = directory + "/link.sock"
            #expect(symlink(stale, link) == 0)
            for path in [file, link] {
                let process = try ChildProcess(path: Executables.path("wsgate"), arguments: ["--unixsocket=\(path)", "--echo"])
                #expect(try process.waitForExit() == 3)
                #expect(process.standardOutput.contains("Can't start server: listen unix \(path): the path exists and is not a socket"))
            }
            #expect(ProcessTable.readFile(file) == "keep me\n")
            #expect(entry(link)?.type == UInt32(S_IFLNK))
            #expect(entry(stale)?.type == UInt32(S_IFSOCK))
        }
    }

    /// SIGTERM or SIGINT: every loop sharing the socket drains its clients (close 1001), wsgate
    /// exits 0, and the socket file is gone.
    @Test(arguments: [SIGTERM, SIGINT])
    func theFileIsRemovedAtShutdown(signal: Int32) throws {
        try inDirectory { directory in
            let path = directory + "/ws.sock"
            let process = try start(["--unixsocket=\(path)", "--echo", "--threads=3"])
            let clients = try (0..<12).map { _ in try openWebSocket(path) }
            for (index, client) in clients.enumerated() { try expectEcho(client, "client \(index)") }
            process.send(signal: signal)
            for client in clients {
                #expect(try client.readFrame().closeCode == 1001)
                try client.send(FrameBytes.close(code: 1001))
            }
            #expect(try process.waitForExit() == 0)
            #expect(entry(path) == nil)
        }
    }

    /// systemd socket activation still works, with a Unix socket from systemd too: it is
    /// served and named in the start-up line, `--unixsocket` is not bound (systemd's sockets
    /// replace every listener), and systemd's file is not removed at exit.
    @Test func socketActivationReplacesTheUnixSocketAndKeepsSystemdsFile() throws {
        try inDirectory { directory in
            let activated = directory + "/systemd.sock"
            let ignored = directory + "/ignored.sock"
            let listener = try Socket.listen(on: #require(SocketAddress(unixPath: activated)))
            defer { listener.close() }
            let process = try ChildProcess(
                path: "/bin/sh",
                arguments: ["-c", "LISTEN_PID=$$ LISTEN_FDS=1 exec \"$0\" --echo --threads=2 --unixsocket=\"$1\"",
                            Executables.path("wsgate"), ignored],
                passing: [listener.rawValue])
            try process.waitForOutputLine(containing: Self.readyLine + activated)
            #expect(process.standardOutput.contains("from systemd"))
            #expect(entry(ignored) == nil)
            let client = try openWebSocket(activated)
            try expectEcho(client, "activated")
            let connect = try process.waitForOutputLine(containing: "| CONNECT")
            #expect(connect.contains("remote:'unix-socket'"))
            process.send(signal: SIGTERM)
            _ = try client.readFrame()
            try client.send(FrameBytes.close(code: 1001))
            #expect(try process.waitForExit() == 0)
            #expect(entry(activated)?.type == UInt32(S_IFSOCK))
        }
    }
}
