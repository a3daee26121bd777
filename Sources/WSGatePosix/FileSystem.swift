import CWSGateLinux
import Glibc

/// The few file-system questions the gateway asks at start-up.
public enum FileSystem {
    /// `true` if `path` names a directory.
    public static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    /// `true` if `path` is a regular file this process may execute.
    public static func isExecutableFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG && access(path, X_OK) == 0
    }

    /// Removes a file (a stale Unix socket); errors are ignored.
    public static func unlink(_ path: String) {
        _ = Glibc.unlink(path)
    }
}

extension FileSystem {
    /// What `path` is, following symbolic links: a directory, something else, or nothing.
    public static func kindOfEntry(_ path: String) -> EntryKind {
        var info = stat()
        guard stat(path, &info) == 0 else { return .missing }
        return (info.st_mode & S_IFMT) == S_IFDIR ? .directory : .file
    }

    /// Kinds of directory entries, as `kindOfEntry` reports them.
    public enum EntryKind: Sendable {
        case directory
        case file
        case missing
    }

    /// The canonical absolute path (symbolic links resolved), or nil if it does not exist.
    public static func resolvedPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The working directory, for making `--dir` absolute.
    public static var currentDirectory: String {
        guard let path = getcwd(nil, 0) else { return "/" }
        defer { free(path) }
        return String(cString: path)
    }
}

extension FileSystem {
    /// The whole file as text (invalid UTF-8 repaired), or the system's reason it cannot be
    /// read. For configuration files: small, read once at start.
    public static func readText(_ path: String, limit: Int = 1 << 20) -> Result<String, IOError> {
        readBytes(path, limit: limit).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The whole file's bytes (key files, password files), or the system's reason it cannot be
    /// read; more than `limit` bytes is EFBIG.
    public static func readBytes(_ path: String, limit: Int = 1 << 20) -> Result<[UInt8], IOError> {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return .failure(IOError(errno: errno, function: "open")) }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while bytes.count <= limit {
            let count = read(fd, &chunk, chunk.count)
            if count < 0 && errno == EINTR { continue }
            if count < 0 { return .failure(IOError(errno: errno, function: "read")) }
            if count == 0 { return .success(bytes) }
            bytes += chunk[0..<count]
        }
        return .failure(IOError(errno: EFBIG, function: "read (over \(limit) bytes)"))
    }
}
