import CWSGateLinux
import Glibc
import WSGatePosix

/// A running websocketd 0.4.1 (Debian's `/usr/bin/websocketd`), the program wsgate replaces,
/// listening on a free loopback port.
///
/// Why it exists: differential tests run the same scenario against websocketd and wsgate and
/// compare what the client and the program see. websocketd cannot listen on port 0 (0 means
/// 80), so a free port is found by binding 127.0.0.1:0 and closing the socket, and websocketd
/// logs `Starting WebSocket server` *before* it binds, so that line alone does not mean it
/// listens: the listening socket is looked up in /proc (its inode among websocketd's
/// descriptors) before any client connects. If another process takes the port in between,
/// websocketd exits (status 3) and a new port is tried. It must not be used for anything but
/// tests: it trusts /proc and kills every child websocketd left when it goes away.
public final class ReferenceGateway {
    /// Where Debian installs websocketd.
    public static let executable = "/usr/bin/websocketd"
    /// `true` when websocketd is installed (differential suites are skipped otherwise).
    public static var isInstalled: Bool { access(executable, X_OK) == 0 }

    public let process: ChildProcess
    public let port: Int

    /// Starts websocketd with `--port=P --address=127.0.0.1` followed by `arguments`
    /// (through `executable`: websocketd itself, or a launcher that execs it).
    public init(_ arguments: [String], environment: [String]? = nil, timeout: Double = 10,
                executable: String = ReferenceGateway.executable) throws {
        (process, port) = try Self.startListening(
            name: "websocketd", executable: executable, environment: environment,
            readyLine: "Starting WebSocket server", timeout: timeout
        ) { port in ["--port=\(port)", "--address=127.0.0.1"] + arguments }
    }

    /// Starts a reference server on a free loopback port and waits until it really listens
    /// (/proc shows its socket; websocketd logs its start line *before* binding). A server that
    /// lost the port to another process (a race between picking and binding) is retried on
    /// another port, up to 5 times.
    static func startListening(name: String, executable: String, environment: [String]? = nil,
                               readyLine: String? = nil, timeout: Double,
                               arguments: (Int) -> [String]) throws -> (ChildProcess, Int) {
        var lastOutput = ""
        for _ in 0..<5 {
            let port = try freeLoopbackPort()
            let process = try ChildProcess(path: executable, arguments: arguments(port), environment: environment)
            if let readyLine { try process.waitForOutputLine(containing: readyLine, timeout: timeout) }
            let listening = ProcessTable.wait(upTo: timeout) {
                isListening(pid: process.pid, port: port) || !ProcessTable.isRunning(process.pid)
            }
            if listening && ProcessTable.isRunning(process.pid) { return (process, port) }
            _ = try? process.waitForExit(timeout: timeout)
            lastOutput = process.standardOutput + process.standardError
            // Lost the race for the port: try another. Anything else is a real failure.
            guard lastOutput.lowercased().contains("address already in use") else { break }
        }
        throw TestFailure("\(name) did not start listening; output:\n\(lastOutput)")
    }

    deinit {
        // websocketd never signals its programs when it dies: kill what it left.
        // Only while it is still ours: once reaped, its pid may be another test's process.
        guard process.exitStatus == nil else { return }
        for child in ProcessTable.children(of: process.pid) {
            kill(child.pid, SIGKILL)
        }
    }

    /// Connects a new client.
    public func connect() throws -> TestClient {
        try TestClient(port: port)
    }

    /// A loopback TCP port nobody listens on right now (bound to 127.0.0.1:0, then released).
    public static func freeLoopbackPort() throws -> Int {
        let (fd, port) = try BackendSocket.listenTCP()
        close(fd)
        return port
    }

    /// `true` if `pid` holds a socket listening on 127.0.0.1:`port` (/proc/net/tcp state 0A,
    /// its inode among the process's descriptors).
    static func isListening(pid: Int32, port: Int) -> Bool {
        guard let table = ProcessTable.readFile("/proc/\(pid)/net/tcp") else { return false }
        let local = "0100007F:" + String(port, radix: 16, uppercase: true).leftPadded(to: 4)
        let inodes = table.split(separator: "\n").dropFirst().compactMap { line -> Substring? in
            let fields = line.split(separator: " ")
            guard fields.count > 9, fields[1] == local, fields[3] == "0A" else { return nil }
            return fields[9]
        }
        guard !inodes.isEmpty else { return false }
        let held = Set(socketInodes(of: pid))
        return inodes.contains { held.contains(String($0)) }
    }

    /// The inodes of the sockets `pid` has open (`socket:[N]` links in /proc/PID/fd).
    static func socketInodes(of pid: Int32) -> [String] {
        let folder = "/proc/\(pid)/fd"
        guard let directory = opendir(folder) else { return [] }
        defer { closedir(directory) }
        var inodes: [String] = []
        while let item = readdir(directory) {
            let name = DirectoryEntryName.string(of: item)
            var buffer = [CChar](repeating: 0, count: 256)
            let count = readlink(folder + "/" + name, &buffer, buffer.count - 1)
            guard count > 0 else { continue }
            let target = String(decoding: buffer[0..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
            if target.hasPrefix("socket:["), target.hasSuffix("]") {
                inodes.append(String(target.dropFirst(8).dropLast()))
            }
        }
        return inodes
    }
}

extension String {
    /// The string with leading zeros up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
